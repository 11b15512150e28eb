/**
 * Compare on every x axis (issue 15, bug 1): group means, bands and the per-seed lines share the chosen axis. The
 * metrics are stored as the run queue stores them: update-level keys once per update with a wall time, finished
 * episodes at the end of their rollout with a `seq` each, evaluations after an update.
 */
import { describe, expect, it } from 'vitest';
import { compareSeries } from '../../../src/backend/analysis/compare';
import { groupedSeries, readSeries, updateNumbers } from '../../../src/backend/analysis/series';
import type { ExperimentStore, MetricSample } from '../../../src/backend/store/types';
import { chartCsv } from '../../../src/renderer/src/lib/charts/datasets';
import { newRun, useTempStore } from '../store/helpers';

const t = useTempStore();

const T0 = 1_700_000_000_000;
/** Env steps per rollout (nSteps × nEnvs). */
const ROLLOUT = 512;

/**
 * One run's stored metrics over `updates` updates: `time/fps` and `train/value_loss` per update, two episodes per
 * rollout (returns `10·u` and `10·u + 2` for update u), an evaluation after every second update; the u-th update
 * ends `u · secondsPerUpdate` seconds after the run started.
 */
function runSamples(runId: number, updates: number, secondsPerUpdate: number, offset: number): MetricSample[] {
  const samples: MetricSample[] = [];
  for (let u = 1; u <= updates; u++) {
    const step = u * ROLLOUT;
    const wallTime = T0 + u * secondsPerUpdate * 1000;
    samples.push({ runId, step, seq: 0, wallTime: wallTime - 10, values: { 'rollout/ep_return': 10 * u + offset, 'rollout/ep_length': 10 } });
    samples.push({ runId, step, seq: 1, wallTime: wallTime - 5, values: { 'rollout/ep_return': 10 * u + 2 + offset, 'rollout/ep_length': 12 } });
    samples.push({ runId, step, wallTime, values: { 'time/fps': 100 * u + offset, 'train/value_loss': u + offset } });
    if (u % 2 === 0) samples.push({ runId, step, wallTime: wallTime + 20, values: { 'eval/mean_return': 50 * u + offset } });
  }
  return samples;
}

/** Two seeds of one configuration: seed 0 takes 1 s per update, seed 1 takes 2 s; 4 updates each. */
async function twoSeeds(store: ExperimentStore): Promise<number[]> {
  const runs = await store.createRuns([newRun(0, {}, { startedAt: T0 }), newRun(1, {}, { startedAt: T0 })]);
  await store.appendMetrics([...runSamples(runs[0]!.id, 4, 1, 0), ...runSamples(runs[1]!.id, 4, 2, 4)]);
  return runs.map((r) => r.id);
}

const compare = (store: ExperimentStore, runIds: number[], keys: string[], x: 'step' | 'update' | 'wall') =>
  compareSeries(store, { runIds, keys, maxPoints: 500, x, smoothing: 0, band: 'minmax' });

describe('compare on the update and wall-time axes', () => {
  it('puts group means, bands and per-seed lines on updates, for update-level, per-episode and eval keys', async () => {
    const runIds = await twoSeeds(t.store);
    const { groups } = await compare(t.store, runIds, ['time/fps', 'rollout/ep_return', 'eval/mean_return'], 'update');
    const byKey = new Map(groups.map((g) => [g.metric, g]));

    const fps = byKey.get('time/fps')!;
    expect(fps.x).toEqual([1, 2, 3, 4]);
    expect(fps.mean).toEqual([102, 202, 302, 402]);
    expect(fps.lower).toEqual([100, 200, 300, 400]);
    expect(fps.upper).toEqual([104, 204, 304, 404]);
    expect(fps.runs.map((r) => r.x)).toEqual([[1, 2, 3, 4], [1, 2, 3, 4]]);

    // Episodes finish during the rollout of update u: they are at update u, whatever their index among episodes.
    const episodes = byKey.get('rollout/ep_return')!;
    expect(episodes.x).toEqual([1, 2, 3, 4]);
    expect(episodes.mean).toEqual([13, 23, 33, 43]);
    expect(episodes.runs[0]!.x).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);

    // Evaluations after updates 2 and 4 are at updates 2 and 4 (not at 1 and 2, their indices).
    const evals = byKey.get('eval/mean_return')!;
    expect(evals.x).toEqual([2, 4]);
    expect(evals.runs.map((r) => r.x)).toEqual([[2, 4], [2, 4]]);
    expect(evals.mean).toEqual([102, 202]);
  });

  it('interpolates each seed onto a common grid of wall seconds since its start, without extrapolating', async () => {
    const runIds = await twoSeeds(t.store);
    const { groups } = await compare(t.store, runIds, ['time/fps'], 'wall');
    const [fps] = groups;
    // Seed 0 logs at 1, 2, 3, 4 s (100…400); seed 1 at 2, 4, 6, 8 s (104…404).
    expect(fps!.x).toEqual([1, 2, 3, 4, 6, 8]);
    expect(fps!.count).toEqual([1, 2, 2, 2, 1, 1]);
    // At 2 s: seed 0 = 200, seed 1 = 104. At 3 s: 300 and seed 1 halfway between 104 and 204. At 6 s only seed 1.
    expect(fps!.mean).toEqual([100, 152, (300 + 154) / 2, (400 + 204) / 2, 304, 404]);
    expect(fps!.lower).toEqual([100, 104, 154, 204, 304, 404]);
    expect(fps!.upper).toEqual([100, 200, 300, 400, 304, 404]);
    expect(fps!.runs.map((r) => r.x)).toEqual([[1, 2, 3, 4], [2, 4, 6, 8]]);
  });

  it('keeps the env-step axis as it was', async () => {
    const runIds = await twoSeeds(t.store);
    const { groups } = await compare(t.store, runIds, ['time/fps'], 'step');
    expect(groups[0]!.x).toEqual([512, 1024, 1536, 2048]);
    expect(groups[0]!.runs[1]!.x).toEqual([512, 1024, 1536, 2048]);
  });

  it('gives the chart CSV group and per-seed rows on the same axis', async () => {
    const runIds = await twoSeeds(t.store);
    for (const x of ['update', 'wall'] as const) {
      const { groups } = await compare(t.store, runIds, ['rollout/ep_return'], x);
      const rows = chartCsv('rollout/ep_return', groups, null).trim().split('\r\n').slice(1).map((line) => line.split(','));
      const xs = (run: string): number[] => rows.filter((r) => r[3] === run).map((r) => Number(r[4]));
      const groupX = xs('');
      const seedX = [...xs(String(runIds[0])), ...xs(String(runIds[1]))];
      expect(Math.min(...seedX)).toBeGreaterThanOrEqual(Math.min(...groupX));
      expect(Math.max(...seedX)).toBe(Math.max(...groupX));
      expect(Math.max(...groupX)).toBeCloseTo(x === 'update' ? 4 : 7.995, 9);
    }
  });

  it('aggregates and reads series on the same axis (groupedSeries and readSeries agree)', async () => {
    const runIds = await twoSeeds(t.store);
    const grouped = await groupedSeries(t.store, { runIds, keys: ['eval/mean_return'], x: 'update' });
    expect(Array.from(grouped.series[0]!.x)).toEqual([2, 4]);
    const [first] = await readSeries(t.store, { runIds: [runIds[0]!], keys: ['eval/mean_return'], x: 'update' });
    expect(Array.from(first!.x)).toEqual([2, 4]);
  });
});

describe('updateNumbers', () => {
  it('numbers update steps 1…n, interpolates between them and goes on past the last at the last rollout size', () => {
    expect(updateNumbers([0, 256, 512, 768, 1024, 1536, 2048], [512, 1024, 1536])).toEqual([0, 0.5, 1, 1.5, 2, 3, 4]);
    expect(updateNumbers([100], [])).toEqual([NaN]);
  });

  it('sorts a run whose wall times go back (a clock set back) so the group still aggregates', async () => {
    const [run] = await t.store.createRuns([newRun(0, {}, { startedAt: T0 })]);
    await t.store.appendMetrics([
      { runId: run!.id, step: 512, wallTime: T0 + 3000, values: { 'time/fps': 1 } },
      { runId: run!.id, step: 1024, wallTime: T0 + 2000, values: { 'time/fps': 2 } },
    ]);
    const { groups } = await compare(t.store, [run!.id], ['time/fps'], 'wall');
    expect(groups[0]!.x).toEqual([2, 3]);
    expect(groups[0]!.mean).toEqual([2, 1]);
  });
});
