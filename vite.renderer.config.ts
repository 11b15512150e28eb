// The renderer's Vite settings, shared by the Electron build (electron.vite.config.ts) and web mode
// (vite.web.config.ts): one renderer, two hosts.
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { UserConfig } from 'vite';

export const rendererRoot = resolve(import.meta.dirname, 'src/renderer');

export function rendererConfig(outDir: string): UserConfig {
  return {
    root: rendererRoot,
    base: './',
    plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
    resolve: { alias: { '@core': resolve(import.meta.dirname, 'src/core') } },
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: resolve(rendererRoot, 'index.html') },
    },
  };
}
