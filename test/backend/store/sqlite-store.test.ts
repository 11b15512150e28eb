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

  it("gives every run an `algorithm` param: its config's, PPO for a config without one (a legacy run, an old bundle)", async () => {
    const [legacy, a2c, explicit] = await store.createRuns([
      newRun(1),
      newRun(2, { algorithm: 'a2c', objective: 'a2c' }),
      newRun(3, { algorithm: 'trpo', objective: 'trpo' }, { params: { algorithm: 'trpo' } }),
    ]);
    const params = await store.getRunParams([legacy!.id, a2c!.id, explicit!.id]);
    expect([...params.values()].map((p) => [p.values['algorithm'], p.explicit.includes('algorithm')])).toEqual([['ppo', false], ['a2c', false], ['trpo', true]]);
    expect(legacy!.config).not.toHaveProperty('algorithm');
    const records = await store.readRecords([legacy!.id]);
    const run = records.runs[0]!;
    const { algorithm: _dropped, ...oldValues } = run.params.values;
    await store.insertRecords({ ...records, runs: [{ ...run, params: { values: oldValues, explicit: run.params.explicit } }] });
    const ppo = await store.listRuns({ filter: { params: [{ key: 'algorithm', op: '=', value: 'ppo' }] } });
    expect(ppo.runs.map((r) => r.seed)).toEqual([1, 1]);
  });

  it('keeps owners with leases; reclaims the runs of expired ones only, and a run is claimed once', async () => {
    const live = { id: 'live', host: 'h', pid: 1, startedAt: 0 };
    await store.registerOwner(live, 60_000);
    const [a, b] = await store.createRuns([newRun(1, {}, { ownerId: 'live' }), newRun(2, {}, { status: 'running' })]);
    expect(await store.claimRun(a.id, 'live')).toBe(true);
    expect(await store.claimRun(a.id, 'live')).toBe(false); // already running
    expect((await store.reclaimExpired()).map((r) => r.runId)).toEqual([b.id]);
    expect((await store.getRun(a.id))!.status).toBe('running');
    expect((await store.getRun(b.id))!.status).toBe('interrupted');
    expect(await store.renewOwner('live', 60_000)).toBe(true);
    expect((await store.getOwner('live'))?.leaseUntil).toBeGreaterThan(Date.now() + 50_000);
    await store.releaseOwner('live');
    expect(await store.renewOwner('live', 60_000)).toBe(false);
    expect((await store.reclaimExpired()).map((r) => r.runId)).toEqual([a.id]);
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
      { runId: run.id, step: 3000, seq: 1, values: { 'rollout/ep_return': 30 } },
      { runId: run.id, step: 3000, seq: 0, values: { 'rollout/ep_return': 20 } },
    ]);
    await store.appendMetrics([{ runId: run.id, step: 2048, values: { 'train/value_loss': 6 } }]);
    const points = await store.readMetrics({ runIds: [run.id], keys: ['train/approx_kl', 'train/value_loss', 'rollout/ep_return'], withSeq: true, withWallTime: true });
    const byKey = new Map(points.map((p) => [p.key, p]));
    expect(byKey.size).toBe(3);
    const kl = byKey.get('train/approx_kl')!;
    expect(kl.steps).toEqual([2048, 4096]);
    expect(kl.values[0]).toBe(0.01);
    expect(kl.values[1]).toBeNaN();
    expect(kl.wallTimes).toEqual([1e12, 1e12 + 500]);
    expect(byKey.get('train/value_loss')).toMatchObject({ steps: [2048, 4096], values: [6, 4], wallTimes: [null, 1e12 + 500] });
    expect(byKey.get('rollout/ep_return')).toMatchObject({ steps: [3000, 3000], seqs: [0, 1], values: [20, 30] });
    // Columns not asked for are not read; no key list means every key.
    const [lean] = await store.readMetrics({ runIds: [run.id], keys: ['train/value_loss'] });
    expect(lean).toEqual({ runId: run.id, key: 'train/value_loss', steps: [2048, 4096], values: [6, 4] });
    expect((await store.readMetrics({ runIds: [run.id] })).map((p) => p.key).sort()).toEqual(['rollout/ep_return', 'train/approx_kl', 'train/value_loss']);
    expect(await store.readMetrics({ runIds: [run.id], keys: ['never/logged'] })).toEqual([]);
    expect(await store.listMetricKeys([run.id])).toEqual(['rollout/ep_return', 'train/approx_kl', 'train/value_loss']);

    expect(await store.deleteMetricsAfter(run.id, 2048)).toBe(4); // kl and value loss at 4096, two episodes at 3000
    expect((await store.readMetrics({ runIds: [run.id], keys: ['train/value_loss'] }))[0].steps).toEqual([2048]);
  });

  it('reads many runs in one call, grouped by run in id order', async () => {
    const runs = await store.createRuns([newRun(1), newRun(2), newRun(3)]);
    await store.appendMetrics(runs.flatMap((run, r) => [{ runId: run.id, step: 1, values: { a: r, b: -r } }]));
    const points = await store.readMetrics({ runIds: [runs[2].id, runs[0].id, 777], keys: ['b', 'a'] });
    expect(points.map((p) => p.runId)).toEqual([runs[0].id, runs[0].id, runs[2].id, runs[2].id]);
    expect(points.filter((p) => p.runId === runs[2].id).map((p) => [p.key, p.values[0]]).sort()).toEqual([['a', 2], ['b', -2]]);
  });

  it('rejects a batch naming a missing run and writes none of it', async () => {
    const [run] = await store.createRuns([newRun(1)]);
    await expect(
      store.appendMetrics([
        { runId: run.id, step: 1, values: { a: 1 } },
        { runId: 12345, step: 1, values: { a: 1 } },
      ]),
    ).rejects.toThrow(/run 12345 does not exist/);
    expect(await store.readMetrics({ runIds: [run.id] })).toEqual([]);
    const notANumber = { a: '3' } as unknown as Record<string, number>;
    await expect(store.appendMetrics([{ runId: run.id, step: 1, values: { a: 1 } }, { runId: run.id, step: 2, values: notANumber }])).rejects.toThrow(
      /step 2: 'a' is not a number/,
    );
    await expect(store.appendMetrics([{ runId: run.id, step: NaN, values: { a: 1 } }])).rejects.toThrow(/bad step/);
    expect(await store.readMetrics({ runIds: [run.id] })).toEqual([]);
    await store.appendMetrics([{ runId: run.id, step: 1, values: { a: 2 } }]);
    expect((await store.readMetrics({ runIds: [run.id] }))[0].values).toEqual([2]);
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
