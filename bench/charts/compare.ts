// The Compare view of 100 runs × 1,000 points each draws in under 200 ms, and zooming redraws in under 50 ms
// (issue 15). Mounts the real ChartPanel components (two panels, Compare's default metrics, laid out as at 1440 px)
// in Chromium and times, inside the page: the first draw (Svelte mount + buildDatasets + Chart.js), a synced zoom
// step (the view's x window changes, every panel redraws), and a Ctrl+wheel step through chartjs-plugin-zoom's own
// handler (the chart under the pointer zooms, the others follow).
// Run: `npm run bench -- charts` (or `node bin/run-ts.mjs bench/charts.ts compare-view` for this one alone).
import type { Browser } from 'playwright-core';
import { bundlePage, loadAverage, median, openBenchPage, type ChartMeasurement } from './harness';
import type { BenchCase } from './compare-case';

const DRAW_TARGET_MS = 200;
const ZOOM_TARGET_MS = 50;
const REPEATS = 7;
const ZOOM_STEPS = 12;

interface PageBench {
  prepare(c: BenchCase): { lines: number; points: number };
  draw(): Promise<{ draw: number; frame: number }>;
  zoom(steps: number): number[];
  wheel(steps: number): { times: number[]; range: { min: number; max: number } | null };
  shownWindows(): string[];
  teardown(): void;
}

const base = { runs: 100, points: 1_000, groups: 10, panels: 2 };
const cases: { label: string; c: BenchCase; gated: boolean }[] = [
  { label: 'seed lines on, every series downsampled to the point budget as Compare asks the backend', c: { ...base, showRuns: true, budget: true }, gated: true },
  { label: 'seed lines off (the default): 10 group means with ±std bands, downsampled likewise', c: { ...base, showRuns: false, budget: true }, gated: true },
  { label: 'for reference: all 1,000 points of every series (Chart.js decimation of the means and bands)', c: { ...base, showRuns: true, budget: false }, gated: false },
];

const verdict = (ms: number, target: number, gated: boolean): string => (!gated ? '' : ms < target ? ` (target < ${target} ms met)` : ` (target < ${target} ms NOT met)`);

async function runCompareBench(browser: Browser): Promise<void> {
  console.log(`Compare view in Chromium: ${base.panels} panels of ${base.runs} runs × ${base.points} points in ${base.groups} groups; ${loadAverage()}`);
  const bundle = await bundlePage('compare.svelte.ts');
  let missed = false;
  const page = await openBenchPage(browser, bundle);
  try {
    const call = <R>(fn: (bench: PageBench, arg: unknown) => R | Promise<R>, arg?: unknown): Promise<R> =>
      page.evaluate(({ source, arg }) => new Function('bench', 'arg', `return (${source})(bench, arg)`)((window as unknown as { proximaCompareBench: PageBench }).proximaCompareBench, arg), { source: fn.toString(), arg }) as Promise<R>;
    // Warm-up (JIT, font and style caches), untimed: otherwise the first case pays for it.
    for (const { c } of cases) {
      await call((b, arg) => b.prepare(arg as BenchCase), c);
      for (let i = 0; i < 2; i++) await call((b) => b.draw());
      await call((b, n) => b.zoom(n as number), ZOOM_STEPS);
    }
    for (const { label, c, gated } of cases) {
      const size = await call((b, arg) => b.prepare(arg as BenchCase), c);
      const draws: { draw: number; frame: number }[] = [];
      for (let i = 0; i < REPEATS; i++) draws.push(await call((b) => b.draw()));
      const zooms = await call((b, n) => b.zoom(n as number), ZOOM_STEPS);
      // Back to the whole range, then the wheel through the plugin's handler.
      await call((b) => b.draw());
      const wheel = await call((b, n) => b.wheel(n as number), ZOOM_STEPS);
      const windows = await call((b) => b.shownWindows());
      if (new Set(windows).size !== 1 || wheel.range === null) throw new Error(`the wheel zoom did not reach every panel: ${windows.join(', ')}`);
      await call((b) => b.teardown());

      const draw = median(draws.map((d) => d.draw));
      const frame = median(draws.map((d) => d.frame));
      const zoom = median(zooms);
      const wheelMs = median(wheel.times);
      // The fastest repeat: what the work costs when the shared machine lets it run.
      const best = { frame: Math.min(...draws.map((d) => d.frame)), zoom: Math.min(...zooms, ...wheel.times) };
      const worstZoom = Math.max(...zooms, ...wheel.times);
      if (gated && (frame >= DRAW_TARGET_MS || Math.max(zoom, wheelMs) >= ZOOM_TARGET_MS)) missed = true;
      console.log(`  ${label}: ${size.lines} lines, ${size.points.toLocaleString('en')} points per panel`);
      console.log(`    first draw ${draw.toFixed(1)} ms, shown on the next frame at ${frame.toFixed(1)} ms${verdict(frame, DRAW_TARGET_MS, gated)} — median of ${REPEATS} (fastest to the frame ${best.frame.toFixed(1)} ms)`);
      console.log(`    zoom redraw of all panels: synced window ${zoom.toFixed(1)} ms, Ctrl+wheel ${wheelMs.toFixed(1)} ms${verdict(Math.max(zoom, wheelMs), ZOOM_TARGET_MS, gated)} — median of ${ZOOM_STEPS} steps (fastest ${best.zoom.toFixed(1)} ms, slowest ${worstZoom.toFixed(1)} ms)`);
    }
  } finally {
    await page.close();
  }
  if (missed) console.log('  a Compare target was missed');
}

export const compareView: ChartMeasurement = { name: 'compare-view', run: runCompareBench };
