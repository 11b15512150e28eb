// Lint rules, above all the layer rules of HOUSE-STYLE.md: each folder under src/ is one runtime and may import
// only what that runtime has; and imports in src/ never form a cycle. A violation fails `npm run lint` (and so
// `npm test`).
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'worker_threads', 'stream', 'events', 'util'];
const electron = { group: ['electron', 'electron/*'], message: 'Only src/main and src/preload may import electron.' };
const tfjs = { group: ['@tensorflow/*'], message: 'tfjs lives only in src/trainer.' };
const sqlite = { group: ['better-sqlite3'], message: 'SQLite lives only in src/backend.' };
const node = { group: nodeBuiltins, message: 'src/core and src/renderer run anywhere: no Node built-ins.' };
const renderer = { group: ['**/renderer/**', '*.svelte', '**/*.svelte'], message: 'Only src/renderer imports the renderer.' };
const trainer = { group: ['**/trainer/**'], message: 'The trainer is a process of its own: start it, do not import it.' };
const backend = { group: ['**/backend/**'], message: 'Reach the backend through the API contract, not by import.' };
const mainProc = { group: ['**/main/**', '**/preload/**'], message: 'Electron main/preload code stays in its own layer.' };

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    // Any cycle, however long, between the TypeScript modules of src/ (Svelte components import them but are not
    // followed). Type-only imports are erased at build time and so do not count (import-x skips them).
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  { files: ['src/core/**'], rules: restrict(electron, tfjs, sqlite, node, renderer, trainer, backend, mainProc) },
  { files: ['src/trainer/**'], rules: restrict(electron, sqlite, renderer, backend, mainProc) },
  { files: ['src/backend/**'], rules: restrict(electron, tfjs, renderer, trainer, mainProc) },
  { files: ['src/main/**'], rules: restrict(tfjs, renderer, trainer) },
  { files: ['src/preload/**'], rules: restrict(tfjs, sqlite, renderer, trainer, backend, { group: nodeBuiltins, message: 'The sandboxed preload has no Node built-ins.' }) },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(electron, tfjs, sqlite, node, trainer, backend, mainProc),
  },
);
