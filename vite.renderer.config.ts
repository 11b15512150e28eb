// The renderer's Vite settings, shared by the Electron build (electron.vite.config.ts) and web mode
// (vite.web.config.ts): one renderer, two hosts.
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin, UserConfig } from 'vite';

/**
 * The renderer's CSP (index.html) allows connections to 'self' only: the app talks over IPC, web mode's same-origin
 * WebSocket is 'self'. Vite's dev server alone also needs its own HMR WebSocket, so while serving (never in a
 * build) the exact ws:// origin of that server is added.
 */
function devServerCsp(): Plugin {
  return {
    name: 'proxima-dev-csp',
    apply: 'serve',
    transformIndexHtml(html, ctx) {
      const local = ctx.server?.resolvedUrls?.local[0];
      if (!local) return html;
      const ws = new URL(local);
      ws.protocol = 'ws:';
      return html.replace("connect-src 'self';", `connect-src 'self' ${ws.origin};`);
    },
  };
}

export const rendererRoot = resolve(import.meta.dirname, 'src/renderer');

export function rendererConfig(outDir: string): UserConfig {
  return {
    root: rendererRoot,
    base: './',
    plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') }), devServerCsp()],
    resolve: { alias: { '@core': resolve(import.meta.dirname, 'src/core') } },
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: resolve(rendererRoot, 'index.html') },
    },
  };
}
