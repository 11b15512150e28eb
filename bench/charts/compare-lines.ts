// Chart drawing: 100 runs × 1,000 points must draw in under 200 ms (issue 7). Loads Chart.js's UMD build into a
// blank page of the suite's Chromium (bench/charts/harness.ts), and times, with performance.now() inside the page,
// what the Compare view does: build a line chart with the workbench's options (no parsing, no animation, LTTB
// decimation) from datasets made by the renderer's own `buildDatasets`, and redraw it with new data the way a live
// update does (`chart.update('none')`).
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { SeriesGroup } from '../../src/core/api/contract';
import { downsample } from '../../src/core/math/downsample';
import { pointBudget } from '../../src/renderer/src/lib/charts/budget';
import { buildDatasets, type LineDataset } from '../../src/renderer/src/lib/charts/datasets';
import { median, root, type ChartMeasurement } from './harness';

const TARGET_MS = 200;
const RUNS = 100;
const POINTS = 1_000;
const GROUPS = 10;
const REPEATS = 7;
// The package's exports map hides dist/; the UMD file sits next to the ESM build in node_modules.
const chartJsPath = join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js');

/** A noisy learning curve: seeded LCG so every run of the bench draws the same data. */
function curve(seed: number, phase: number): number[] {
  let s = (seed * 2654435761) >>> 0;
  const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  return Array.from({ length: POINTS }, (_, i) => 500 * (1 - Math.exp(-i / (200 + phase * 30))) + 40 * rand());
}

/** 10 groups × 10 runs × 1,000 points, aggregated as `series.aggregate` returns them (mean, band, runs). */
function groups(offset: number): SeriesGroup[] {
  const x = Array.from({ length: POINTS }, (_, i) => i * 1_000);
  return Array.from({ length: GROUPS }, (_, g) => {
    const runs = Array.from({ length: RUNS / GROUPS }, (_, r) => ({ runId: g * 100 + r, x, y: curve(g * 100 + r + offset, g) }));
    const mean = x.map((_, i) => runs.reduce((sum, run) => sum + run.y[i], 0) / runs.length);
    const sd = x.map((_, i) => Math.sqrt(runs.reduce((sum, run) => sum + (run.y[i] - mean[i]) ** 2, 0) / runs.length));
    return {
      key: `group=${g}`, params: { group: g }, runIds: runs.map((r) => r.runId), metric: 'eval/mean_return', x, mean,
      lower: mean.map((m, i) => m - sd[i]), upper: mean.map((m, i) => m + sd[i]), count: x.map(() => runs.length), runs,
    };
  });
}

/** The per-run lines as the backend sends them for this many runs: downsampled to the renderer's point budget. */
function serverSide(gs: SeriesGroup[]): SeriesGroup[] {
  const maxPoints = pointBudget(RUNS);
  return gs.map((g) => ({
    ...g,
    runs: g.runs.map((r) => {
      const d = downsample(r.x, r.y, maxPoints);
      return { runId: r.runId, x: Array.from(d.x), y: Array.from(d.y) };
    }),
  }));
}

function datasets(offset: number, showRuns: boolean, downsampled: boolean): LineDataset[] {
  const gs = groups(offset);
  return buildDatasets(downsampled ? serverSide(gs) : gs, { showRuns, hidden: new Set(), highlight: null });
}

interface Timing {
  create: number;
  update: number;
}

async function run(browser: Browser): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.setContent('<div style="position:relative;width:900px;height:420px"><canvas id="c"></canvas></div>');
    await page.addScriptTag({ path: chartJsPath });
    const cases: { label: string; showRuns: boolean; downsampled: boolean; gated: boolean }[] = [
      {
        label: `${RUNS} runs × ${POINTS} points, seed lines downsampled server-side to ${pointBudget(RUNS)} points (what Compare asks for) + ${GROUPS} group means with ±std bands`,
        showRuns: true, downsampled: true, gated: true,
      },
      { label: `${GROUPS} group means with bands of ${RUNS} runs × ${POINTS} points (seed lines off)`, showRuns: false, downsampled: false, gated: true },
      { label: `for reference: all ${RUNS} × ${POINTS} raw points handed to Chart.js (its LTTB decimation only)`, showRuns: true, downsampled: false, gated: false },
    ];
    console.log(`Chart drawing in Chromium (Chart.js, decimation on, animation off), median of ${REPEATS}; target < ${TARGET_MS} ms`);
    for (const c of cases) {
      const first = datasets(0, c.showRuns, c.downsampled);
      const next = datasets(1, c.showRuns, c.downsampled);
      const points = first.reduce((n, d) => n + d.data.length, 0);
      const timings: Timing[] = [];
      for (let i = 0; i < REPEATS; i++) {
        timings.push(
          await page.evaluate(
            ({ first, next }) => {
              const ChartCtor = (window as unknown as { Chart: new (el: HTMLCanvasElement, cfg: unknown) => { update(mode: string): void; destroy(): void; data: { datasets: unknown[] } } }).Chart;
              const canvas = document.getElementById('c') as HTMLCanvasElement;
              const t0 = performance.now();
              const chart = new ChartCtor(canvas, {
                type: 'line',
                data: { datasets: first },
                options: {
                  parsing: false, normalized: true, animation: false, responsive: true, maintainAspectRatio: false, spanGaps: true,
                  interaction: { mode: 'nearest', axis: 'x', intersect: false },
                  scales: { x: { type: 'linear' }, y: { type: 'linear' } },
                  plugins: { legend: { display: false }, decimation: { enabled: true, algorithm: 'lttb', samples: 400 } },
                },
              });
              const t1 = performance.now();
              chart.data.datasets = next;
              chart.update('none');
              const t2 = performance.now();
              chart.destroy();
              return { create: t1 - t0, update: t2 - t1 };
            },
            { first, next },
          ),
        );
      }
      const create = median(timings.map((t) => t.create));
      const update = median(timings.map((t) => t.update));
      const verdict = !c.gated ? '(not a target case)' : Math.max(create, update) < TARGET_MS ? `target < ${TARGET_MS} ms met` : `target < ${TARGET_MS} ms NOT met`;
      console.log(`  ${c.label}: ${first.length} datasets, ${points.toLocaleString('en')} points`);
      console.log(`    first draw ${create.toFixed(1)} ms, live redraw with new data ${update.toFixed(1)} ms — ${verdict}`);
    }
  } finally {
    await page.close();
  }
}

export const compareLines: ChartMeasurement = { name: 'compare-lines', run };
