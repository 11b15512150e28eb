/**
 * What the chart benchmarks share: the renderer's own code bundled for a blank Chromium page (Vite with the Svelte
 * plugin, as the app is built, so a benchmark can mount the real components), Debian's Chromium launched with the
 * flags of test/e2e/support.ts, the machine's load average, and medians.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, type Rollup } from 'vite';

export const root = resolve(import.meta.dirname, '..', '..');
export const chromiumPath = process.env['PROXIMA_CHROMIUM'] ?? '/usr/bin/chromium';

/** `entry` (a path under bench/) bundled as one script that sets `window[globalName]`, with the CSS it imports. */
export async function bundleForBrowser(entry: string, globalName: string): Promise<{ js: string; css: string }> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'error',
    mode: 'production',
    plugins: [svelte({ configFile: resolve(root, 'svelte.config.js') })],
    build: {
      write: false,
      minify: process.env['PROXIMA_BENCH_MINIFY'] !== '0',
      cssCodeSplit: false,
      lib: { entry: resolve(root, entry), formats: ['iife'], name: globalName, fileName: () => 'bench.js' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => (r as Rollup.RollupOutput).output);
  const js = outputs.find((o): o is Rollup.OutputChunk => o.type === 'chunk')?.code;
  if (!js) throw new Error(`bundling ${entry} produced no script`);
  const css = outputs.filter((o): o is Rollup.OutputAsset => o.type === 'asset' && o.fileName.endsWith('.css')).map((o) => String(o.source)).join('\n');
  return { js, css };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

/** A blank page of the given size holding the bundle. */
export async function benchPage(browser: Browser, bundle: { js: string; css: string }, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;font:14px system-ui"><main id="bench"></main></body></html>');
  if (bundle.css) await page.addStyleTag({ content: bundle.css });
  await page.addScriptTag({ content: bundle.js });
  if (errors.length > 0) throw new Error(`the bench page failed: ${errors.join('; ')}`);
  return page;
}

/** The 1, 5 and 15 minute load averages, for reading the figures (the machine is shared). */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
