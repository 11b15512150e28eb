#!/usr/bin/env node
// postinstall: applies patches/ with patch-package to the dependencies that are installed.
//
// Why not plain `patch-package`: the only patched package today, @tensorflow/tfjs-node, is an optional dependency
// that npm drops wherever its install script cannot download libtensorflow, and patch-package counts a patch for an
// absent package as an error (and fails the install under CI=true). So the patches of absent packages are set
// aside, with one line saying so; the others go through patch-package with --error-on-fail, so a patch that no
// longer applies (a new version of the package) fails the install loudly instead of leaving it unpatched.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const patchDir = join(root, 'patches');
const stagingDir = join(root, 'node_modules', '.cache', 'proxima-patches');

/** `@tensorflow+tfjs-node+4.22.0.patch` -> { name: '@tensorflow/tfjs-node', version: '4.22.0' } (patch-package's naming). */
function parsePatchName(file) {
  const parts = file.replace(/\.patch$/, '').split('+');
  const version = parts.pop();
  const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  return { name, version };
}

const patches = existsSync(patchDir) ? readdirSync(patchDir).filter((f) => f.endsWith('.patch')) : [];
const present = [];
for (const file of patches) {
  const { name, version } = parsePatchName(file);
  const manifest = join(root, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) {
    console.log(`apply-patches: ${name} is not installed (optional); ${file} not needed`);
    continue;
  }
  const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
  if (installed !== version) {
    console.error(`apply-patches: ${file} is for ${name}@${version} but ${installed} is installed; update the patch`);
    process.exit(1);
  }
  present.push(file);
}
if (present.length === 0) process.exit(0);

rmSync(stagingDir, { recursive: true, force: true });
mkdirSync(stagingDir, { recursive: true });
for (const file of present) copyFileSync(join(patchDir, file), join(stagingDir, file));
const bin = join(root, 'node_modules', 'patch-package', 'index.js');
if (!existsSync(bin)) {
  // A production install without devDependencies: nothing to patch with, and nothing that needs it at build time.
  console.log('apply-patches: patch-package is not installed; skipping');
  process.exit(0);
}
const result = spawnSync(process.execPath, [bin, '--error-on-fail', '--patch-dir', relative(root, stagingDir)], {
  cwd: root,
  stdio: 'inherit',
});
rmSync(stagingDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
