/**
 * What the chart measurements share: Debian's Chromium (the flags of test/e2e/support.ts; never `playwright
 * install`), bench pages bundled by Vite from an entry under bench/charts/pages/ (the renderer's real components
 * and helpers, compiled by the renderer's Svelte plugin, in one IIFE script plus its CSS, built in memory), and
 * the figures: medians, verdicts against a target, the machine's load average.
 *
 * Why a bundled page rather than `proxima web` with a seeded database: the page times exactly the drawing (from
 * mounting the component to pixels read back from its canvas) with nothing else on the main thread, and needs no
 * build of the whole app; the data still comes from the backend's own functions over a real store.
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, type Rollup } from 'vite';

export const root = resolve(import.meta.dirname, '..', '..');
const chromiumPath = process.env['PROXIMA_CHROMIUM'] ?? '/usr/bin/chromium';

/** One measurement of the `charts` suite: prints its own figures. */
export interface ChartMeasurement {
  name: string;
  run(browser: Browser): Promise<void>;
}

export async function withChromium<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

export interface PageBundle {
  js: string;
  css: string;
}

/** Bundles `bench/charts/pages/<name>` (and what it imports: Svelte components, Chart.js, CSS) for the browser. */
export async function bundlePage(name: string): Promise<PageBundle> {
  const output = (await build({
    configFile: false,
    root,
    logLevel: 'warn',
    mode: 'production',
    plugins: [svelte({ configFile: join(root, 'svelte.config.js') })],
    build: {
      write: false,
      minify: true,
      lib: { entry: join(root, 'bench', 'charts', 'pages', name), formats: ['iife'], name: 'benchPage', fileName: 'bench-page' },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const files = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
  const js = files.filter((f): f is Rollup.OutputChunk => f.type === 'chunk').map((f) => f.code).join('\n');
  const css = files.filter((f): f is Rollup.OutputAsset => f.type === 'asset' && f.fileName.endsWith('.css')).map((f) => String(f.source)).join('\n');
  return { js, css };
}

/** A blank page at `viewport` with a `#root` as wide as the workbench's main area, running the bundle. */
export async function openBenchPage(browser: Browser, bundle: PageBundle, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body><main style="padding:16px"><div id="root"></div></main></body></html>');
  if (bundle.css) await page.addStyleTag({ content: bundle.css });
  await page.addScriptTag({ content: bundle.js });
  if (errors.length > 0) throw new Error(`the bench page failed: ${errors.join('; ')}`);
  return page;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function verdict(ms: number, target: number): string {
  return ms < target ? `target < ${target} ms met` : `target < ${target} ms NOT met`;
}

/** The 1, 5 and 15 minute load averages and the core count: the figures mean little on a busy machine. */
export function loadAverage(): string {
  const [one, five, fifteen] = loadavg();
  return `load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} (1 / 5 / 15 min)`;
}
