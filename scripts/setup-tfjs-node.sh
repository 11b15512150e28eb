#!/usr/bin/env bash
# Builds @tensorflow/tfjs-node's native binding offline, against libtensorflow taken from the tensorflow-cpu Python
# wheel, for machines that cannot download libtensorflow (tfjs-node's own install script does that). Use:
#   npm run setup:tfjs-node            # needs Node 24 first on PATH (source scripts/setup-node.sh)
# Exit codes: 0 built (or already working), 3 the wheel cannot be had here (nothing changed), 1 a real failure.
# Idempotent: a tfjs-node that already loads and computes is left alone. The wheel is cached in .tools/.
#
# Steps (the facts they rest on: tfjs-node's binding.gyp links -ltensorflow -ltensorflow_framework with an rpath to
# deps/lib; the wheel's libtensorflow_cc.so.2 exports the C API TF_* and the eager C API TFE_* the binding calls):
#   1. npm install --no-save --ignore-scripts @tensorflow/tfjs-node@<locked version> (lockfile untouched, no download)
#   2. pip download tensorflow-cpu==$TF_WHEEL_VERSION from pip's configured (local) index
#   3. the two libraries into deps/lib, libtensorflow.so{,.2} -> libtensorflow_cc.so.2, headers into deps/include
#   4. node-gyp rebuild against the Node on PATH (N-API 8, lib/napi-v8, which node-pre-gyp picks on Node >= 24)
#   5. patch-package: the Node >= 23 fixes in patches/ (tfjs-node's install script never ran, so neither did ours)
#   6. check: backend 'tensorflow' active and a matMul of ones gives 2s
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
TF_WHEEL_VERSION="${TF_WHEEL_VERSION:-2.21.0}"
pkg="$root/node_modules/@tensorflow/tfjs-node"
say() { echo "setup:tfjs-node: $*"; }

check() {
  TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=0 node -e "
    const tf = require('@tensorflow/tfjs-node');
    if (tf.getBackend() !== 'tensorflow') throw new Error('backend is ' + tf.getBackend());
    const v = tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).dataSync();
    if (Array.from(v).join() !== '2,2,2,2') throw new Error('matMul gave ' + Array.from(v));
    console.log('setup:tfjs-node: ok, tfjs-node ' + tf.version['tfjs-node'] + ' on TensorFlow ' + (tf.backend().binding.TF_Version || '?'));
  " 2>&1
}

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 22 ]; then
  say "needs Node >= 22 first on PATH (source scripts/setup-node.sh); found $(node --version)" >&2
  exit 1
fi

# Already built and patched (check runs an op, which throws unpatched): nothing to do.
if [ -d "$pkg" ] && result="$(check)"; then
  echo "$result"
  exit 0
fi

# 2 first: without the wheel nothing is installed or changed.
wheel_dir="$root/.tools/tensorflow-wheel"
wheel="$(ls "$wheel_dir"/tensorflow_cpu-"$TF_WHEEL_VERSION"-*.whl 2>/dev/null | head -1 || true)"
if [ -z "$wheel" ]; then
  mkdir -p "$wheel_dir"
  # Ask only the configured local indexes when there are any (the public index is unreachable here and pip would
  # spend its retries on it first).
  index_args=()
  extra="$(pip config get global.extra-index-url 2>/dev/null || true)"
  if [ -n "$extra" ] && ! grep -qv '^file://' <<<"$(tr ' ' '\n' <<<"$extra" | sed '/^$/d')"; then
    first=1
    for url in $extra; do
      if [ $first = 1 ]; then index_args+=(--index-url "$url"); first=0; else index_args+=(--extra-index-url "$url"); fi
    done
  fi
  say "pip download tensorflow-cpu==$TF_WHEEL_VERSION ${index_args[*]:-}"
  if ! pip download --quiet --no-deps --only-binary=:all: "${index_args[@]}" -d "$wheel_dir" "tensorflow-cpu==$TF_WHEEL_VERSION"; then
    say "the tensorflow-cpu==$TF_WHEEL_VERSION wheel is not available here; tfjs-node not built" >&2
    exit 3
  fi
  wheel="$(ls "$wheel_dir"/tensorflow_cpu-"$TF_WHEEL_VERSION"-*.whl | head -1)"
fi

# 1. tfjs-node's npm sources, at the version the lockfile pins.
version="$(node -p "require('./package-lock.json').packages['node_modules/@tensorflow/tfjs-node'].version")"
say "npm install --no-save --ignore-scripts @tensorflow/tfjs-node@$version"
npm install --no-save --ignore-scripts --no-audit --no-fund "@tensorflow/tfjs-node@$version" >/dev/null

# 3. libtensorflow and its headers from the wheel.
deps="$pkg/deps"
rm -rf "$deps" && mkdir -p "$deps/lib"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unzip -q "$wheel" 'tensorflow/libtensorflow_cc.so.2' 'tensorflow/libtensorflow_framework.so.2' 'tensorflow/include/*' -d "$tmp"
mv "$tmp/tensorflow/libtensorflow_cc.so.2" "$tmp/tensorflow/libtensorflow_framework.so.2" "$deps/lib/"
ln -s libtensorflow_cc.so.2 "$deps/lib/libtensorflow.so"
ln -s libtensorflow_cc.so.2 "$deps/lib/libtensorflow.so.2"
ln -s libtensorflow_framework.so.2 "$deps/lib/libtensorflow_framework.so"
mv "$tmp/tensorflow/include" "$deps/include"

# 4. The binding, against the Node on PATH (its folder ships include/node: no header download).
nodedir="$(dirname "$(dirname "$(command -v node)")")"
gyp="$(dirname "$(dirname "$(command -v npm)")")/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
say "node-gyp rebuild (nodedir $nodedir)"
(cd "$pkg" && node "$gyp" rebuild --silent --nodedir="$nodedir" --napi_build_version=8 \
  --module_name=tfjs_binding --module_path="$pkg/lib/napi-v8" >"$tmp/gyp.log" 2>&1) || {
  tail -30 "$tmp/gyp.log" >&2
  say "node-gyp failed" >&2
  exit 1
}
rm -rf "$pkg/build" "$deps/include" # headers are needed for the build only (0.3 GB)

# 5. Our patches (the Node >= 23 fix), as the postinstall hook would have applied them.
node scripts/apply-patches.mjs >/dev/null

# 6.
check
