import { describe, expect, it } from 'vitest';
import { groupedSeries, readSeries } from '../../../src/backend/analysis/series';
import { newRun, useTempStore } from '../store/helpers';

const t = useTempStore();

describe('readSeries', () => {
  it('plots against steps, updates, or wall seconds since the run started', async () => {
    const [run] = await t.store.createRuns([newRun(1, {}, { startedAt: 1_000_000 })]);
    await t.store.appendMetrics([
      { runId: run.id, step: 10, wallTime: 1_002_000, values: { a: 1 } },
      { runId: run.id, step: 20, values: { a: NaN } },
      { runId: run.id, step: 30, wallTime: 1_004_500, values: { a: 3 } },
    ]);
    const [steps] = await readSeries(t.store, { runIds: [run.id], keys: ['a'] });
    expect(Array.from(steps.x)).toEqual([10, 20, 30]);
    expect(steps.y[1]).toBeNaN();
    const [update] = await readSeries(t.store, { runIds: [run.id], keys: ['a'], x: 'update' });
    expect(Array.from(update.x)).toEqual([1, 2, 3]);
    const [wall] = await readSeries(t.store, { runIds: [run.id], keys: ['a'], x: 'wall' });
    expect(Array.from(wall.x)).toEqual([2, 4.5]); // the point without a wall time is left out
    expect(Array.from(wall.y)).toEqual([1, 3]);
    await expect(readSeries(t.store, { runIds: [run.id], keys: ['a'], maxPoints: 3 })).rejects.toThrow(/maxPoints/);
  });

  it('downsamples many runs at once keeping each series’ extremes', async () => {
    const runs = await t.store.createRuns([newRun(1), newRun(2), newRun(3)]);
    await t.store.appendMetrics(
      runs.flatMap((run, r) =>
        Array.from({ length: 5000 }, (_, i) => ({
          runId: run.id,
          step: (i + 1) * 8,
          values: { 'train/loss': i === 1234 + r ? 99 : i === 4321 - r ? -99 : Math.sin(i / 30) },
        })),
      ),
    );
    const series = await readSeries(t.store, { runIds: runs.map((r) => r.id).concat(777), keys: ['train/loss', 'missing'], maxPoints: 100 });
    expect(series.map((s) => [s.runId, s.key])).toEqual([
      [runs[0].id, 'train/loss'], [runs[0].id, 'missing'],
      [runs[1].id, 'train/loss'], [runs[1].id, 'missing'],
      [runs[2].id, 'train/loss'], [runs[2].id, 'missing'],
      [777, 'train/loss'], [777, 'missing'],
    ]);
    series.filter((s) => s.key === 'train/loss' && s.runId !== 777).forEach((s, r) => {
      expect(s.stored).toBe(5000);
      expect(s.x.length).toBeLessThanOrEqual(100);
      expect(Math.max(...s.y)).toBe(99);
      expect(Math.min(...s.y)).toBe(-99);
      expect(Array.from(s.x)).toContain((1234 + r + 1) * 8);
    });
    expect(series[1].x.length).toBe(0);
  });

});

describe('groupedSeries', () => {
  it('aggregates over seeds grouped by the params that differ', async () => {
    const runs = await t.store.createRuns([
      newRun(1, { objective: 'clip' }),
      newRun(2, { objective: 'clip' }),
      newRun(3, { objective: 'kl-adaptive' }),
    ]);
    const ys = [[1, 2, 3], [3, 4, 5], [10, 10, 10]];
    await t.store.appendMetrics(runs.flatMap((run, r) => [100, 200, 300].map((step, i) => ({ runId: run.id, step, values: { 'eval/mean_return': ys[r][i] } }))));
    const result = await groupedSeries(t.store, { runIds: runs.map((r) => r.id), keys: ['eval/mean_return'] });
    expect(result.groupBy).toEqual(['objective']);
    const [clip, kl] = result.series;
    expect(clip).toMatchObject({ group: 'objective=clip', params: { objective: 'clip' }, runIds: [runs[0].id, runs[1].id], key: 'eval/mean_return' });
    expect(Array.from(clip.x)).toEqual([100, 200, 300]);
    expect(Array.from(clip.mean)).toEqual([2, 3, 4]);
    expect(Array.from(clip.std)).toEqual([Math.SQRT2, Math.SQRT2, Math.SQRT2]);
    expect(Array.from(clip.min)).toEqual([1, 2, 3]);
    expect(Array.from(clip.max)).toEqual([3, 4, 5]);
    expect(Array.from(clip.count)).toEqual([2, 2, 2]);
    expect(kl.group).toBe('objective=kl-adaptive');
    expect(Array.from(kl.mean)).toEqual([10, 10, 10]);

    const all = await groupedSeries(t.store, { runIds: runs.map((r) => r.id), keys: ['eval/mean_return'], groupBy: [] });
    expect(all.series).toHaveLength(1);
    expect(all.series[0].group).toBe('all runs');
    expect(all.series[0].mean[0]).toBeCloseTo(14 / 3, 12);

    // A bootstrap CI of the mean comes back when asked for: with a generator stuck at 0 every resample repeats the
    // first run's value, so the interval collapses onto it.
    const ci = await groupedSeries(t.store, { runIds: [runs[0].id, runs[1].id], keys: ['eval/mean_return'], groupBy: [], ci: { random: () => 0, resamples: 10 } });
    expect(Array.from(ci.series[0].ciLow!)).toEqual([1, 2, 3]);
    expect(Array.from(ci.series[0].ciHigh!)).toEqual([1, 2, 3]);

    // Smoothing is applied per run before aggregation: w = 0.5 on [1, 2, 3] → 1, 5/3, 17/7.
    const smooth = await groupedSeries(t.store, { runIds: [runs[0].id], keys: ['eval/mean_return'], groupBy: [], smoothing: 0.5 });
    expect(smooth.series[0].mean[1]).toBeCloseTo(1.25 / 0.75, 12);
  });
});
