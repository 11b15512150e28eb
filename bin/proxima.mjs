#!/usr/bin/env node
// The `proxima` command: the CLI of src/backend/cli, run through tsx so no separate build step is needed.
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';

register();
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { main } = await import(pathToFileURL(resolve(root, 'src/backend/cli/main.ts')).href);
process.exitCode = await main(process.argv.slice(2));
