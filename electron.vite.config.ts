// electron-vite build: main process (plus the trainer utility-process entry), sandboxed preload (CommonJS, as a
// sandboxed preload must be), and the Svelte renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          trainer: resolve(import.meta.dirname, 'src/trainer/electron-entry.ts'),
        },
        // tfjs-node (optional) loads its native binding from its own package folder at run time: never bundled.
        external: ['@tensorflow/tfjs-node'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig(resolve(import.meta.dirname, 'out/renderer')),
});
