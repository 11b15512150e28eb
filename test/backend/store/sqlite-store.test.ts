import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../../src/backend/store/open-store';
import { StoreNotFoundError, type ExperimentStore } from '../../../src/backend/store/types';
import { PROXIMA_VERSION } from '../../../src/core/version';
import { newRun, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let store: ExperimentStore;

beforeEach(async () => {
  tmp = tempDir();
  store = await openStore(join(tmp.dir, 'p.db'));
});
afterEach(async () => {
  await store.close();
  tmp.cleanup();
});

describe('sweeps and runs', () => {
  it('creates, reads, updates and deletes runs with their sweep', async () => {
    const sweep = await store.createSweep({ name: 'clip vs kl', envId: 'CartPole-v1', spec: { grid: { objective: ['clip', 'kl-adaptive'] } } });
    const [a, b] = await store.createRuns([
      newRun(1, {}, { sweepId: sweep.id, params: { objective: 'clip' } }),
      newRun(2, { objective: 'kl-adaptive' }, { sweepId: sweep.id, params: { objective: 'kl-adaptive' } }),
    ]);
    expect(a).toMatchObject({ sweepId: sweep.id, seed: 1, status: 'queued', proximaVersion: PROXIMA_VERSION, stepsDone: 0, tags: [], notes: '', hidden: false });
    expect(b.objective).toBe('kl-adaptive');
    expect(a.config).toMatchObject({ learningRate: 3e-4 });

    const updated = await store.updateRun(a.id, { status: 'completed', finalEval: { mean: 500, std: 0, episodes: 10 }, tags: ['best'], notes: 'n', stepsDone: 10_000 });
    expect(updated).toMatchObject({ status: 'completed', finalEval: { mean: 500, std: 0, episodes: 10 }, tags: ['best'], notes: 'n', stepsDone: 10_000 });
    expect((await store.getSweep(sweep.id))!.counts).toMatchObject({ completed: 1, queued: 1 });
    await expect(store.updateRun(999, { notes: 'x' })).rejects.toThrow(StoreNotFoundError);

    const params = await store.getRunParams([a.id, 999]);
    expect([...params.keys()]).toEqual([a.id]);
    expect(params.get(a.id)!.values).toMatchObject({ objective: 'clip', entCoef: 0, seed: 1, envId: 'CartPole-v1' });
    expect(params.get(a.id)!.explicit).toEqual(['objective']);

    await store.appendMetrics([{ runId: b.id, step: 1, values: { 'train/approx_kl': 0.1 } }]);
    await store.saveCheckpoint({ runId: b.id, step: 1, weights: new Uint8Array([1, 2]) });
    expect(await store.deleteSweep(sweep.id)).toBe(true);
    expect(await store.getRun(a.id)).toBeNull();
    expect((await store.listRuns({ filter: { includeHidden: true } })).total).toBe(0);
    expect(await store.listMetricKeys()).toEqual([]);
    expect(await store.checkIntegrity()).toEqual([]);
  });

  it('flattens nested config into params; booleans compare as 0/1 and as text', async () => {
    const [run] = await store.createRuns([newRun(1, { normalizeObs: true, net: { pi: [64, 64], act: 'tanh' }, targetKl: null })]);
    const { values } = (await store.getRunParams([run.id])).get(run.id)!;
    expect(values).toMatchObject({ normalizeObs: true, 'net.pi': '[64,64]', 'net.act': 'tanh', targetKl: null });
    expect((await store.listRuns({ filter: { params: [{ key: 'normalizeObs', op: '=', value: true }] } })).total).toBe(1);
    expect((await store.listRuns({ filter: { params: [{ key: 'normalizeObs', op: '=', value: 0 }] } })).total).toBe(0);
  });

  it('marks runs left running as interrupted', async () => {
    const [a, b] = await store.createRuns([newRun(1, {}, { status: 'running' }), newRun(2)]);
    expect(await store.markInterrupted()).toEqual([a.id]);
    expect((await store.getRun(a.id))!.status).toBe('interrupted');
    expect((await store.getRun(b.id))!.status).toBe('queued');
  });
});

describe('listRuns filters and sorting', () => {
  beforeEach(async () => {
    const sweep = await store.createSweep({ name: 'entropy sweep', envId: 'CartPole-v1', spec: {} });
    await store.createRuns([
      newRun(1, { objective: 'clip', entCoef: 0 }, { createdAt: 1000, status: 'completed', finalEval: { mean: 100, std: 1, episodes: 5 } }),
      newRun(2, { objective: 'clip', entCoef: 0.01 }, { createdAt: 2000, status: 'failed', error: 'NaN loss', sweepId: sweep.id }),
      newRun(3, { objective: 'kl-adaptive', entCoef: 0.01 }, { createdAt: 3000, status: 'completed', finalEval: { mean: 300, std: 1, episodes: 5 }, notes: 'promising' }),
      newRun(4, { envId: 'Pendulum-v1', objective: 'clip', entCoef: 0.001 }, { createdAt: 4000, hidden: true }),
    ]);
  });
  const seeds = async (q: Parameters<ExperimentStore['listRuns']>[0]): Promise<number[]> => (await store.listRuns(q)).runs.map((r) => r.seed);

  it('defaults to newest first without hidden runs', async () => {
    expect(await seeds({})).toEqual([3, 2, 1]);
    expect(await seeds({ filter: { includeHidden: true } })).toEqual([4, 3, 2, 1]);
  });

  it('filters by params, status, env, sweep and text', async () => {
    expect(await seeds({ filter: { params: [{ key: 'objective', op: '=', value: 'clip' }, { key: 'entCoef', op: '>', value: 0 }] } })).toEqual([2]);
    expect(await seeds({ filter: { params: [{ key: 'entCoef', op: '>=', value: 0.01 }] } })).toEqual([3, 2]);
    expect(await seeds({ filter: { params: [{ key: 'entCoef', op: '<', value: 0.01 }], includeHidden: true } })).toEqual([4, 1]);
    expect(await seeds({ filter: { params: [{ key: 'objective', op: '!=', value: 'clip' }] } })).toEqual([3]);
    expect(await seeds({ filter: { status: ['completed'] } })).toEqual([3, 1]);
    expect(await seeds({ filter: { envId: ['Pendulum-v1'], includeHidden: true } })).toEqual([4]);
    expect(await seeds({ filter: { text: ['PROMISING'] } })).toEqual([3]);
    expect(await seeds({ filter: { text: ['entropy'] } })).toEqual([2]);
    expect(await seeds({ filter: { text: ['cartpole', 'kl-'] } })).toEqual([3]);
    expect(await seeds({ filter: { text: ['100%'] } })).toEqual([]);
  });

  it('sorts by columns and params, nulls last, and pages', async () => {
    expect(await seeds({ sort: { by: 'finalEval', dir: 'desc' } })).toEqual([3, 1, 2]);
    expect(await seeds({ sort: { by: 'param:entCoef', dir: 'asc' }, filter: { includeHidden: true } })).toEqual([1, 4, 2, 3]);
    const page = await store.listRuns({ sort: { by: 'seed', dir: 'asc' }, limit: 2, offset: 1 });
    expect(page.runs.map((r) => r.seed)).toEqual([2, 3]);
    expect(page.total).toBe(3);
    await expect(store.listRuns({ sort: { by: 'nonsense' as 'id', dir: 'asc' } })).rejects.toThrow(/cannot sort/);
    await expect(store.listRuns({ sort: { by: 'constructor' as 'id', dir: 'asc' } })).rejects.toThrow(/cannot sort/);
  });
});

describe('metrics', () => {
  it('appends batches, replaces a rewritten point, keeps episodes apart by seq, and reads NaN back', async () => {
    const [run] = await store.createRuns([newRun(1)]);
    await store.appendMetrics([
      { runId: run.id, step: 2048, wallTime: 1e12, values: { 'train/approx_kl': 0.01, 'train/value_loss': 5 } },
      { runId: run.id, step: 4096, wallTime: 1e12 + 500, values: { 'train/approx_kl': NaN, 'train/value_loss': 4 } },
      { runId: run.id, step: 3000, seq: 0, values: { 'rollout/ep_return': 20 } },
      { runId: run.id, step: 3000, seq: 1, values: { 'rollout/ep_return': 30 } },
    ]);
    await store.appendMetrics([{ runId: run.id, step: 2048, values: { 'train/value_loss': 6 } }]);
    const [kl, vl, ep] = await store.getSeries({ runIds: [run.id], keys: ['train/approx_kl', 'train/value_loss', 'rollout/ep_return'] });
    expect(Array.from(kl.x)).toEqual([2048, 4096]);
    expect(kl.y[0]).toBe(0.01);
    expect(kl.y[1]).toBeNaN();
    expect(Array.from(vl.y)).toEqual([6, 4]);
    expect(Array.from(ep.x)).toEqual([3000, 3000]);
    expect(Array.from(ep.y)).toEqual([20, 30]);
    expect(await store.listMetricKeys([run.id])).toEqual(['rollout/ep_return', 'train/approx_kl', 'train/value_loss']);

    const [update] = await store.getSeries({ runIds: [run.id], keys: ['train/value_loss'], x: 'update' });
    expect(Array.from(update.x)).toEqual([1, 2]);
    expect(await store.deleteMetricsAfter(run.id, 2048)).toBe(4); // kl and value loss at 4096, two episodes at 3000
    expect(Array.from((await store.getSeries({ runIds: [run.id], keys: ['train/value_loss'] }))[0].x)).toEqual([2048]);
  });

  it('plots against wall seconds since the run started', async () => {
    const [run] = await store.createRuns([newRun(1, {}, { startedAt: 1_000_000 })]);
    await store.appendMetrics([
      { runId: run.id, step: 10, wallTime: 1_002_000, values: { a: 1 } },
      { runId: run.id, step: 20, values: { a: 2 } },
      { runId: run.id, step: 30, wallTime: 1_004_500, values: { a: 3 } },
    ]);
    const [wall] = await store.getSeries({ runIds: [run.id], keys: ['a'], x: 'wall' });
    expect(Array.from(wall.x)).toEqual([2, 4.5]); // the point without a wall time is left out
    expect(Array.from(wall.y)).toEqual([1, 3]);
  });

  it('rejects a batch naming a missing run and writes none of it', async () => {
    const [run] = await store.createRuns([newRun(1)]);
    await expect(
      store.appendMetrics([
        { runId: run.id, step: 1, values: { a: 1 } },
        { runId: 12345, step: 1, values: { a: 1 } },
      ]),
    ).rejects.toThrow(/run 12345 does not exist/);
    expect((await store.getSeries({ runIds: [run.id], keys: ['a'] }))[0].stored).toBe(0);
    const notANumber = { a: '3' } as unknown as Record<string, number>;
    await expect(store.appendMetrics([{ runId: run.id, step: 1, values: { a: 1 } }, { runId: run.id, step: 2, values: notANumber }])).rejects.toThrow(
      /step 2: 'a' is not a number/,
    );
    await expect(store.appendMetrics([{ runId: run.id, step: NaN, values: { a: 1 } }])).rejects.toThrow(/bad step/);
    expect((await store.getSeries({ runIds: [run.id], keys: ['a'] }))[0].stored).toBe(0);
    await store.appendMetrics([{ runId: run.id, step: 1, values: { a: 2 } }]);
    expect(Array.from((await store.getSeries({ runIds: [run.id], keys: ['a'] }))[0].y)).toEqual([2]);
  });

  it('downsamples many runs at once keeping each series’ extremes', async () => {
    const runs = await store.createRuns([newRun(1), newRun(2), newRun(3)]);
    await store.appendMetrics(
      runs.flatMap((run, r) =>
        Array.from({ length: 5000 }, (_, i) => ({
          runId: run.id,
          step: (i + 1) * 8,
          values: { 'train/loss': i === 1234 + r ? 99 : i === 4321 - r ? -99 : Math.sin(i / 30) },
        })),
      ),
    );
    const series = await store.getSeries({ runIds: runs.map((r) => r.id).concat(777), keys: ['train/loss', 'missing'], maxPoints: 100 });
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

  it('aggregates over seeds grouped by the params that differ', async () => {
    const runs = await store.createRuns([
      newRun(1, { objective: 'clip' }),
      newRun(2, { objective: 'clip' }),
      newRun(3, { objective: 'kl-adaptive' }),
    ]);
    const ys = [[1, 2, 3], [3, 4, 5], [10, 10, 10]];
    await store.appendMetrics(runs.flatMap((run, r) => [100, 200, 300].map((step, i) => ({ runId: run.id, step, values: { 'eval/mean_return': ys[r][i] } }))));
    const result = await store.getAggregatedSeries({ runIds: runs.map((r) => r.id), keys: ['eval/mean_return'] });
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

    const all = await store.getAggregatedSeries({ runIds: runs.map((r) => r.id), keys: ['eval/mean_return'], groupBy: [] });
    expect(all.series).toHaveLength(1);
    expect(all.series[0].mean[0]).toBeCloseTo(14 / 3, 12);

    // A bootstrap CI of the mean comes back when asked for: with a generator stuck at 0 every resample repeats the
    // first run's value, so the interval collapses onto it.
    const ci = await store.getAggregatedSeries({ runIds: [runs[0].id, runs[1].id], keys: ['eval/mean_return'], groupBy: [], ci: { random: () => 0, resamples: 10 } });
    expect(Array.from(ci.series[0].ciLow!)).toEqual([1, 2, 3]);
    expect(Array.from(ci.series[0].ciHigh!)).toEqual([1, 2, 3]);

    // Smoothing is applied per run before aggregation: w = 0.5 on [1, 2, 3] → 1, 5/3, 17/7.
    const smooth = await store.getAggregatedSeries({ runIds: [runs[0].id], keys: ['eval/mean_return'], groupBy: [], smoothing: 0.5 });
    expect(smooth.series[0].mean[1]).toBeCloseTo(1.25 / 0.75, 12);
  });
});

describe('checkpoints and replays', () => {
  it('stores blobs and statistics, returns the latest by default', async () => {
    const [run] = await store.createRuns([newRun(1)]);
    const normalization = { obs: { mean: [0.1, 0.2], var: [1, 2], count: 1e4 } };
    await store.saveCheckpoint({ runId: run.id, step: 2048, weights: new Uint8Array([1, 2, 3]), meta: { updates: 1 } });
    await store.saveCheckpoint({ runId: run.id, step: 4096, weights: new Uint8Array([4, 5]), optimizer: new Uint8Array([9]), normalization });
    expect((await store.listCheckpoints(run.id)).map((c) => [c.step, c.weightsBytes, c.optimizerBytes])).toEqual([
      [2048, 3, null],
      [4096, 2, 1],
    ]);
    const latest = (await store.getCheckpoint(run.id))!;
    expect(latest.step).toBe(4096);
    expect(Array.from(latest.weights)).toEqual([4, 5]);
    expect(Array.from(latest.optimizer!)).toEqual([9]);
    expect(latest.normalization).toEqual(normalization);
    expect((await store.getCheckpoint(run.id, 2048))!.meta).toEqual({ updates: 1 });
    expect(await store.getCheckpoint(run.id, 1)).toBeNull();
    await expect(store.saveCheckpoint({ runId: 999, step: 1, weights: new Uint8Array() })).rejects.toThrow(/run 999/);

    const id = await store.saveReplay({ runId: run.id, name: 'good one', checkpointStep: 4096, seed: 7, envId: 'CartPole-v1', frames: [{ t: 0 }, { t: 1 }], totalReturn: 2, length: 2 });
    expect(await store.listReplays(run.id)).toEqual([expect.objectContaining({ id, name: 'good one', seed: 7, totalReturn: 2 })]);
    expect((await store.getReplay(id))!.frames).toEqual([{ t: 0 }, { t: 1 }]);
    expect(await store.deleteReplay(id)).toBe(true);
    expect(await store.getReplay(id)).toBeNull();
  });
});
