/**
 * The parallel-coordinates view of 500 runs must draw in under 200 ms (issue 15, item 6). Stores a 250-configuration
 * sweep × 2 seeds (learningRate × entCoef × gaeLambda × objective, 50 evaluation points a run) in a temp SQLite
 * store, asks the backend's `hparamsTable` for it (timed too: what `hparams.get` computes), and draws the result with
 * the real ParallelCoordinates component in Chromium (bench/charts/pages/hparams-pcp.svelte.ts): one line per run
 * across 5 axes, then a redraw with one run selected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { hparamsTable } from '../../src/backend/analysis/hparams';
import { openStore } from '../../src/backend/store/open-store';
import type { NewRun } from '../../src/backend/store/types';
import type { HparamsResult } from '../../src/core/api/contract';
import { bundlePage, median, openBenchPage, verdict, type ChartMeasurement } from './harness';

/** What the bench page measures for one draw. */
export interface PcpTiming {
  lines: number;
  axes: number;
  /** Mount to pixels, ms. */
  draw: number;
  /** Selection change to pixels, ms. */
  select: number;
  /** Non-blank pixels on the canvas after the first draw (that something was drawn). */
  ink: number;
}

const TARGET_MS = 200;
const REPEATS = 7;
const POINTS = 50;
const EVAL = 'eval/mean_return';
const GRID = {
  learningRate: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2],
  entCoef: [0, 0.001, 0.01, 0.05, 0.1],
  gaeLambda: [0.9, 0.95, 0.98, 0.99, 1],
  objective: ['clip', 'kl-adaptive'],
};
const SEEDS = [0, 1];

/** Every combination of the grid, seeds innermost (as a sweep expands). */
function trials(): { params: Record<string, number | string>; seed: number }[] {
  const out: { params: Record<string, number | string>; seed: number }[] = [];
  for (const learningRate of GRID.learningRate)
    for (const entCoef of GRID.entCoef)
      for (const gaeLambda of GRID.gaeLambda)
        for (const objective of GRID.objective) for (const seed of SEEDS) out.push({ params: { learningRate, entCoef, gaeLambda, objective }, seed });
  return out;
}

/** A seeded LCG, so every run of the bench stores the same curves. */
function random(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** 500 stored runs and the backend's result for them (with how long it took). */
async function storedResult(): Promise<{ result: HparamsResult; ms: number; runs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'proxima-bench-hparams-'));
  const store = await openStore(join(dir, 'bench.db'));
  try {
    const all = trials();
    const newRuns: NewRun[] = all.map(({ params, seed }) => ({
      envId: 'CartPole-v1', seed, objective: String(params.objective), totalTimesteps: 50_000, status: 'completed',
      config: { envId: 'CartPole-v1', seed, totalTimesteps: 50_000, ...params }, params,
    }));
    const runs = await store.createRuns(newRuns);
    const rand = random(1);
    await store.appendMetrics(
      runs.flatMap((run, i) => {
        const quality = 1 - Math.abs(Math.log10(Number(all[i].params.learningRate)) + 3) / 2;
        return Array.from({ length: POINTS }, (_, p) => ({ runId: run.id, step: (p + 1) * 1_000, values: { [EVAL]: 500 * quality * (1 - Math.exp(-p / 10)) + 30 * rand() } }));
      }),
    );
    const t0 = performance.now();
    const result = await hparamsTable(store, { runs, metric: EVAL, goal: 'max' });
    return { result, ms: performance.now() - t0, runs: runs.length };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(browser: Browser): Promise<void> {
  const { result, ms, runs } = await storedResult();
  console.log(`Hyperparameters: ${runs} runs (${Object.keys(GRID).join(' × ')} × ${SEEDS.length} seeds, ${POINTS} eval points each)`);
  console.log(`  backend hparamsTable (hparams.get) over the stored runs: ${ms.toFixed(1)} ms`);
  const page = await openBenchPage(browser, await bundlePage('hparams-pcp.svelte.ts'));
  try {
    const timings: PcpTiming[] = [];
    for (let i = 0; i < REPEATS; i++) {
      timings.push(await page.evaluate((r) => (window as unknown as { benchPcp: { draw(r: HparamsResult): PcpTiming } }).benchPcp.draw(r), result));
    }
    const [first] = timings;
    if (first.lines !== runs || first.ink < 10_000) throw new Error(`the chart drew ${first.lines} lines and ${first.ink} inked pixels: not a real draw`);
    const draw = median(timings.map((t) => t.draw));
    const select = median(timings.map((t) => t.select));
    console.log(`  parallel coordinates, ${first.lines} lines × ${first.axes} axes (1440×900, median of ${REPEATS}; mount to pixels read back):`);
    console.log(`    first draw ${draw.toFixed(1)} ms — ${verdict(draw, TARGET_MS)}`);
    console.log(`    redraw after selecting a run ${select.toFixed(1)} ms — ${verdict(select, TARGET_MS)}`);
  } finally {
    await page.close();
  }
}

export const hparamsPcp: ChartMeasurement = { name: 'hparams-pcp', run };
