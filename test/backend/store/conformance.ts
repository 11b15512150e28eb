/**
 * The store conformance suite: the same cases for every `ExperimentStore` (SQLite in sqlite-store.test.ts,
 * PostgreSQL in postgres-store.test.ts). Each case gets a fresh, empty store from `open` and closes it after.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricCondition } from '../../../src/core/runs/run-query';
import { StoreNotFoundError, type ExperimentStore } from '../../../src/backend/store/types';
import { PROXIMA_VERSION } from '../../../src/core/version';
import { newRun } from './helpers';

export function storeConformance(open: () => Promise<ExperimentStore>): void {
  let store: ExperimentStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
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

    it('lists no workers on a store no cluster worker has joined', async () => {
      expect(await store.listWorkers()).toEqual([]);
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

  describe('param sorts over mixed types', () => {
    it('orders numbers before text ascending and text before numbers descending, runs without the param last', async () => {
      await store.createRuns([
        newRun(1, {}, { params: { width: 64 } }),
        newRun(2, {}, { params: { width: 'wide' } }),
        newRun(3, {}, { params: { width: 8 } }),
        newRun(4, {}, { params: { width: 'auto' } }),
        newRun(5),
      ]);
      const seeds = async (dir: 'asc' | 'desc'): Promise<number[]> => (await store.listRuns({ sort: { by: 'param:width', dir } })).runs.map((r) => r.seed);
      expect(await seeds('asc')).toEqual([3, 1, 4, 2, 5]);
      expect(await seeds('desc')).toEqual([2, 4, 1, 3, 5]);
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

    it('keeps the later of a point written twice in one batch, and stores extreme steps and values exactly', async () => {
      const [run] = await store.createRuns([newRun(1)]);
      const big = 2 ** 40 + 3;
      await store.appendMetrics([
        { runId: run.id, step: -5, values: { a: -0.5 } },
        { runId: run.id, step: 7, values: { a: 1, b: Number.MAX_VALUE } },
        { runId: run.id, step: big, seq: 2 ** 31 - 1, wallTime: 1.7e12 + 0.25, values: { a: 5e-324 } },
        { runId: run.id, step: 7, values: { a: 2 } },
      ]);
      const byKey = new Map((await store.readMetrics({ runIds: [run.id], withSeq: true, withWallTime: true })).map((p) => [p.key, p]));
      expect(byKey.get('a')).toMatchObject({ steps: [-5, 7, big], seqs: [0, 0, 2 ** 31 - 1], values: [-0.5, 2, 5e-324], wallTimes: [null, null, 1.7e12 + 0.25] });
      expect(byKey.get('b')).toMatchObject({ steps: [7], values: [Number.MAX_VALUE] });
      // Sent again whole (an acknowledgement lost), with one value changed: replaced, not doubled.
      await store.appendMetrics([
        { runId: run.id, step: 7, values: { a: 3, b: 0 } },
        { runId: run.id, step: 8, values: { a: 4 } },
      ]);
      expect((await store.readMetrics({ runIds: [run.id], keys: ['a'] }))[0]).toMatchObject({ steps: [-5, 7, 8, big], values: [-0.5, 3, 4, 5e-324] });
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

  describe('latest values, copies and deletions', () => {
    it('reads the last finite point of each (run, key), skipping NaN and taking the highest seq at a step', async () => {
      const [a, b] = await store.createRuns([newRun(1), newRun(2)]);
      await store.appendMetrics([
        { runId: a.id, step: 100, wallTime: 5, values: { x: 1, y: 10 } },
        { runId: a.id, step: 200, values: { x: NaN, y: 20 } },
        { runId: b.id, step: 100, seq: 0, values: { x: 3 } },
        { runId: b.id, step: 100, seq: 1, values: { x: 4 } },
      ]);
      const latest = (await store.readLatestMetrics([a.id, b.id], ['x', 'y', 'z'])).sort((p, q) => p.runId - q.runId || (p.key < q.key ? -1 : 1));
      expect(latest).toEqual([
        { runId: a.id, key: 'x', step: 100, value: 1, wallTime: 5 },
        { runId: a.id, key: 'y', step: 200, value: 20, wallTime: null },
        { runId: b.id, key: 'x', step: 100, value: 4, wallTime: null },
      ]);
    });

    it('copies runs with everything they have under new ids, and deletes checkpoints and runs', async () => {
      const sweep = await store.createSweep({ name: 's', envId: 'CartPole-v1', spec: { seeds: 2 }, createdAt: 123 });
      const [run] = await store.createRuns([newRun(1, {}, { sweepId: sweep.id, tags: ['t'], params: { entCoef: 0 } })]);
      await store.appendMetrics([
        { runId: run.id, step: 1, wallTime: 1e12, values: { a: 1, b: NaN } },
        { runId: run.id, step: 2, seq: 3, values: { a: 2 } },
      ]);
      await store.saveCheckpoint({ runId: run.id, step: 1, weights: new Uint8Array([1]), normalization: { n: 1 }, createdAt: 7 });
      await store.saveCheckpoint({ runId: run.id, step: 2, weights: new Uint8Array([2, 3]), optimizer: new Uint8Array([4]), createdAt: 8 });
      await store.saveReplay({ runId: run.id, name: 'r', checkpointStep: 2, seed: 1, envId: 'CartPole-v1', frames: [1, 2], totalReturn: 2, length: 2, createdAt: 9 });
      const records = await store.readRecords([run.id]);
      expect(records.sweeps).toEqual([{ id: sweep.id, name: 's', envId: 'CartPole-v1', spec: { seeds: 2 }, status: 'queued', createdAt: 123 }]);
      expect(records.metrics.map((m) => m.key)).toEqual(['a', 'b']);
      expect(records.metrics[0]).toMatchObject({ steps: [1, 2], seqs: [0, 3], values: [1, 2], wallTimes: [1e12, null] });
      expect(records.metrics[1].values[0]).toBeNaN();
      const { runIds, sweepIds } = await store.insertRecords(records);
      const copy = await store.readRecords([runIds[run.id]]);
      expect(copy.sweeps[0]).toEqual({ ...records.sweeps[0], id: sweepIds[sweep.id] });
      expect(copy.runs[0]).toEqual({ ...records.runs[0], id: runIds[run.id], sweepId: sweepIds[sweep.id] });
      expect(copy.metrics.map((m) => ({ ...m, runId: 0 }))).toEqual(records.metrics.map((m) => ({ ...m, runId: 0 })));
      expect(copy.checkpoints.map((c) => ({ ...c, runId: 0 }))).toEqual(records.checkpoints.map((c) => ({ ...c, runId: 0 })));
      expect(copy.replays.map((r) => ({ ...r, id: 0, runId: 0 }))).toEqual(records.replays.map((r) => ({ ...r, id: 0, runId: 0 })));
      await expect(store.readRecords([run.id, 4242])).rejects.toThrow(StoreNotFoundError);

      expect(await store.deleteCheckpoints(run.id, [1, 5])).toBe(1);
      expect((await store.listCheckpoints(run.id)).map((c) => c.step)).toEqual([2]);
      expect(await store.deleteRuns([run.id, 4242])).toBe(1);
      expect(await store.listReplays(run.id)).toEqual([]);
      expect(await store.listMetricKeys([run.id])).toEqual([]);
      expect((await store.listSweeps()).map((s) => s.counts.queued).sort()).toEqual([0, 1]);
      await store.setSweepStatus(sweep.id, 'completed');
      expect((await store.getSweep(sweep.id))!.status).toBe('completed');
      await expect(store.setSweepStatus(4242, 'completed')).rejects.toThrow(StoreNotFoundError);
    });
  });

  async function matching(...metrics: MetricCondition[]): Promise<number[]> {
    return (await store.listRuns({ filter: { metrics }, sort: { by: 'seed', dir: 'asc' } })).runs.map((r) => r.seed);
  }

  describe('metric conditions', () => {
    it('roll each run\'s points up (last finite value, max, min, mean) and leave runs without the metric out', async () => {
      const [a, b] = await store.createRuns([newRun(1), newRun(2), newRun(3)]);
      await store.appendMetrics([
        { runId: a!.id, step: 100, values: { 'eval/mean_return': 10 } },
        { runId: a!.id, step: 200, values: { 'eval/mean_return': 40 } },
        { runId: a!.id, step: 300, values: { 'eval/mean_return': 20 } },
        // Two episodes finishing at one step: the later seq is the last value.
        { runId: b!.id, step: 100, seq: 0, values: { 'rollout/ep_return': 7, 'eval/mean_return': 30 } },
        { runId: b!.id, step: 100, seq: 1, values: { 'rollout/ep_return': 9 } },
        // A NaN (diverged) point is stored as NULL: it is no run's last value, best or mean.
        { runId: b!.id, step: 200, values: { 'eval/mean_return': Number.NaN } },
      ]);
      expect(await matching({ key: 'eval/mean_return', of: 'last', op: '=', value: 20 })).toEqual([1]);
      expect(await matching({ key: 'eval/mean_return', of: 'last', op: '=', value: 30 })).toEqual([2]);
      expect(await matching({ key: 'eval/mean_return', of: 'max', op: '>=', value: 40 })).toEqual([1]);
      expect(await matching({ key: 'eval/mean_return', of: 'min', op: '<', value: 15 })).toEqual([1]);
      expect(await matching({ key: 'eval/mean_return', of: 'mean', op: '>', value: 23 })).toEqual([1, 2]);
      expect(await matching({ key: 'eval/mean_return', of: 'mean', op: '>', value: 24 })).toEqual([2]);
      expect(await matching({ key: 'rollout/ep_return', of: 'last', op: '=', value: 9 })).toEqual([2]);
      // Run 3 has no points: it never matches, not even `!=`.
      expect(await matching({ key: 'eval/mean_return', of: 'last', op: '!=', value: 20 })).toEqual([2]);
      expect(await matching({ key: 'eval/mean_return', of: 'last', op: '>', value: 0 }, { key: 'rollout/ep_return', of: 'max', op: '>', value: 8 })).toEqual([2]);
      expect(await matching({ key: 'no/such_key', of: 'max', op: '<', value: 1e9 })).toEqual([]);
    });

    it('refuses an operator or roll-up it does not know rather than writing it into SQL', async () => {
      await expect(store.listRuns({ filter: { metrics: [{ key: 'eval/mean_return', of: 'last', op: '; DROP' as '=', value: 1 }] } })).rejects.toThrow(/cannot filter runs/);
    });
  });
}
