import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiResponses, ApiResult } from '../../../src/core/api/contract';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { fakeTrainerLauncher } from '../../support/fake-launcher';

let service: ApiService;

async function call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponses[M]> {
  const result = await service.handle(method, params);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as ApiResponses[M];
}

async function fail(method: string, params: unknown): Promise<Extract<ApiResult<unknown>, { ok: false }>['error']> {
  const result = await service.handle(method, params);
  expect(result.ok).toBe(false);
  return (result as Extract<ApiResult<unknown>, { ok: false }>).error;
}

const tiny = { totalTimesteps: 1000, nSteps: 64, nEnvs: 2, batchSize: 64 };
const sweep = { name: 'clip vs kl', env: 'CartPole-v1', preset: 'zoo', grid: { objective: ['clip', 'kl-adaptive'] }, seeds: [1, 2, 3], overrides: tiny };

beforeAll(async () => {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-service-')), 'p.db'));
  service = new ApiService({ host: 'web', store, launcher: fakeTrainerLauncher(), concurrency: 2 });
  await service.start();
});

afterAll(async () => {
  await service.close();
});

describe('ApiService', () => {
  it('serves the catalog: five envs, each algorithm\'s presets, the templates, a field per config key', async () => {
    const catalog = await call('catalog.get', {});
    expect(catalog.envs.map((e) => e.id)).toContain('CartPole-v1');
    expect(catalog.algorithms.find((a) => a.id === 'ppo')?.presets.map((p) => p.name).sort()).toEqual(['cleanrl', 'sb3-defaults', 'seed-blog', 'zoo']);
    expect(catalog.templates.map((t) => t.id)).toEqual([
      'clip-vs-kl',
      'entropy-on-off',
      'ppo-a2c-trpo',
      'reinforce-baseline',
      'ppo-vs-grpo',
      'why-clip',
      'kl-targets',
      'entropy-exploration',
      'true-vs-learned-reward',
    ]);
    const batch = catalog.fields.find((f) => f.name === 'batchSize');
    expect(batch).toMatchObject({ kind: 'integer', default: 64, nullable: false });
    expect(catalog.fields.find((f) => f.name === 'objective')?.options).toContain('kl-adaptive');
    expect(catalog.fields.find((f) => f.name === 'clipRangeVf')).toMatchObject({ kind: 'number', nullable: true });
    expect(catalog.metrics.find((m) => m.key === 'train/approx_kl')?.meaning).toMatch(/KL/);
  });

  it('previews a sweep with its trial count and an ETA, and names bad fields', async () => {
    const preview = await call('sweeps.preview', sweep);
    expect(preview.trials).toBe(6);
    expect(preview.estimatedSeconds).toBeGreaterThan(0);
    expect(preview.warnings).toEqual([]);
    const small = await call('sweeps.preview', { ...sweep, overrides: { ...tiny, totalTimesteps: 100 } });
    // Once, not once per trial.
    expect(small.warnings).toEqual(['totalTimesteps 100 is less than one rollout (nSteps × nEnvs = 128): the run does a single update on 128 steps']);
    const bad = await fail('sweeps.preview', { ...sweep, grid: { entCof: [0, 0.01] }, overrides: { ...tiny, batchSize: 300 } });
    expect(bad.issues?.map((i) => i.path)).toContain('grid.entCof');
    const divide = await fail('sweeps.preview', { ...sweep, overrides: { ...tiny, batchSize: 100 } });
    expect(divide.issues?.[0]).toMatchObject({ path: 'overrides.batchSize', message: expect.stringMatching(/does not divide nSteps × nEnvs = 128/) });
    const noSeeds = await fail('sweeps.launch', { ...sweep, seeds: [] });
    expect(noSeeds.issues?.[0]?.path).toBe('seeds');
    expect((await call('sweeps.list', {})).length).toBe(0);
  });

  it('launches a sweep, runs it, and compares the groups over seeds', async () => {
    const { sweepId, runIds } = await call('sweeps.launch', sweep);
    expect(runIds).toHaveLength(6);
    await service.queue.idle();
    const runs = await call('runs.list', { sweepId });
    expect(runs.map((r) => r.status)).toEqual(Array(6).fill('completed'));
    // About tells what the runs really trained on (the scripted trainer reports backend 'fake').
    expect((await call('app.about', {})).recentRunBackends).toEqual([{ backend: 'fake', runs: 6 }]);
    expect(runs[0]?.params).toMatchObject({ totalTimesteps: 1000, nSteps: 64 });
    expect(runs.every((r) => r.evalRollup !== null)).toBe(true);

    const picked = await call('runs.list', { runIds: [runIds[1]!, runIds[4]!] });
    expect(picked.map((r) => r.id).sort()).toEqual([runIds[1], runIds[4]].sort());

    const filtered = await call('runs.list', { filter: 'objective=clip' });
    expect(filtered.map((r) => r.objective)).toEqual(Array(3).fill('clip'));
    expect((await fail('runs.list', { filter: 'status=sleeping' })).message).toMatch(/filter/);

    const agg = await call('series.aggregate', { runIds, keys: ['train/policy_loss', 'rollout/ep_return'], band: 'std' });
    expect(agg.groupBy).toEqual(['objective']);
    const lossGroups = agg.groups.filter((g) => g.metric === 'train/policy_loss');
    expect(lossGroups.map((g) => g.key).sort()).toEqual(['objective=clip', 'objective=kl-adaptive']);
    for (const g of lossGroups) {
      expect(g.runIds).toHaveLength(3);
      expect(g.count.every((c) => c === 3)).toBe(true);
      expect(g.lower.every((l, i) => l <= (g.mean[i] as number) && (g.mean[i] as number) <= (g.upper[i] as number))).toBe(true);
      expect(g.runs).toHaveLength(3);
    }

    const summary = await call('summary.get', { runIds, compare: ['objective=clip', 'objective=kl-adaptive'] });
    const clip = summary.groups.find((g) => g.key === 'objective=clip');
    expect(clip?.scores.sort()).toEqual([101, 102, 103]);
    expect(clip?.mean).toBeCloseTo(102);
    expect(clip?.iqmCi[0]).toBeLessThanOrEqual(clip?.iqm as number);
    expect(summary.improvement?.probability).toBe(1);
    expect(summary.configDiff['objective']).toEqual({ 'objective=clip': 'clip', 'objective=kl-adaptive': 'kl-adaptive' });
  });

  it('tags, notes, hides, restarts, exports and re-imports runs', async () => {
    const [run] = await call('runs.list', { filter: 'objective=clip', sort: { by: 'seed', dir: 'asc' } });
    // An unknown sort key is a bad request naming the key's field, not an internal error.
    const badSort = await fail('runs.list', { sort: { by: 'colour', dir: 'asc' } });
    expect(badSort).toMatchObject({ code: 'bad-request', issues: [{ path: 'sort.by', message: expect.stringMatching(/^unknown sort key: use one of id, createdAt/) }] });
    expect((await call('runs.list', { sort: { by: 'eval', dir: 'desc' } })).length).toBeGreaterThan(0);
    expect((await call('runs.list', { sort: { by: 'param:entCoef', dir: 'asc' } })).length).toBeGreaterThan(0);
    const updated = await call('runs.update', { runId: run!.id, tags: ['baseline', 'baseline'], notes: 'looks good', hidden: true });
    expect(updated).toMatchObject({ tags: ['baseline'], notes: 'looks good', hidden: true });
    expect((await call('runs.list', {})).some((r) => r.id === run!.id)).toBe(false);
    expect((await call('runs.list', { includeHidden: true })).some((r) => r.id === run!.id)).toBe(true);

    const csv = await call('export.runCsv', { runId: run!.id });
    expect(csv.csv.split('\n')[0]).toMatch(/time\/total_timesteps/);
    const { json } = await call('export.bundle', { runIds: [run!.id] });
    const imported = await call('import.bundle', { bundle: json });
    expect(imported.runIds).toHaveLength(1);
    const copy = await call('runs.get', { runId: imported.runIds[0]! });
    expect(copy.config).toEqual((await call('runs.get', { runId: run!.id })).config);
    expect((await fail('import.bundle', { bundle: '{"nope": true' })).message).toMatch(/not valid JSON/);

    const { runId: restarted } = await call('runs.restart', { runId: run!.id });
    await service.queue.idle();
    expect((await call('runs.get', { runId: restarted })).status).toBe('completed');
    expect((await fail('runs.resume', { runId: restarted })).code).toBe('conflict');

    expect(await call('runs.delete', { runIds: [restarted] })).toEqual({ deleted: 1 });
    expect((await fail('runs.get', { runId: restarted })).code).toBe('not-found');
  });

  it('resolves a preset for an algorithm: its own version of the preset, its fields only', async () => {
    const reinforce = await call('config.resolve', { preset: 'zoo', envId: 'CartPole-v1', algorithm: 'reinforce' });
    // REINFORCE has no zoo entry: `zoo` is its tuned preset (4 envs × 2 episodes per batch).
    expect(reinforce.config).toMatchObject({ algorithm: 'reinforce', nEnvs: 4, episodesPerBatch: 8, useBaseline: true });
    const trpo = await call('config.resolve', { preset: 'zoo', envId: 'CartPole-v1', algorithm: 'trpo', overrides: { seed: 3 } });
    expect(trpo.config).toMatchObject({ algorithm: 'trpo', seed: 3, nSteps: 512, cgDamping: 1e-3, nCriticUpdates: 20 });
    // Without an algorithm: PPO, as before.
    expect((await call('config.resolve', { preset: 'zoo', envId: 'CartPole-v1' })).config).toMatchObject({ algorithm: 'ppo', nSteps: 32 });
    const foreign = await fail('config.resolve', { preset: 'zoo', envId: 'CartPole-v1', algorithm: 'trpo', overrides: { entCoef: 0.01 } });
    expect(foreign.issues).toEqual([
      { path: 'overrides.entCoef', message: expect.stringMatching(/belongs to PPO\/A2C\/REINFORCE\/GRPO; this config's algorithm is TRPO/), coded: expect.objectContaining({ code: 'belongsToHint' }) },
    ]);
    expect((await fail('config.resolve', { preset: 'zoo', envId: 'CartPole-v1', algorithm: 'sac' })).issues?.[0]?.path).toBe('algorithm');
    const clash = await fail('config.resolve', { preset: 'zoo', envId: 'CartPole-v1', algorithm: 'a2c', overrides: { algorithm: 'ppo' } });
    expect(clash.issues?.[0]?.path).toBe('overrides.algorithm');
  });

  it('runs PPO vs A2C vs TRPO: each run has its algorithm, and Compare and Summary group by the algorithm alone', async () => {
    // The scripted trainer ignores the algorithm; what is under test is resolution, storage and grouping.
    const request = { name: 'ancestors', env: 'CartPole-v1', preset: 'zoo', grid: { algorithm: ['ppo', 'a2c', 'trpo'] }, seeds: [1, 2], overrides: tiny };
    const preview = await call('sweeps.preview', request);
    expect(preview.trials).toBe(6);
    // batchSize is PPO's minibatch and TRPO's critic minibatch; A2C has none.
    expect(preview.warnings).toContain('overrides.batchSize applies to the PPO/TRPO trials only (A2C has no batchSize)');
    const { sweepId, runIds } = await call('sweeps.launch', request);
    await service.queue.idle();
    const runs = await call('runs.list', { sweepId, sort: { by: 'id', dir: 'asc' } });
    expect(runs.map((r) => [r.algorithm, r.objective, r.params['algorithm']])).toEqual([
      ['ppo', 'clip', 'ppo'], ['ppo', 'clip', 'ppo'], ['a2c', 'a2c', 'a2c'], ['a2c', 'a2c', 'a2c'], ['trpo', 'trpo', 'trpo'], ['trpo', 'trpo', 'trpo'],
    ]);
    const a2c = await call('runs.get', { runId: runs[2]!.id });
    expect(a2c.config).toMatchObject({ algorithm: 'a2c', nSteps: 64, nEnvs: 2, useRmsProp: true });
    expect(a2c.config).not.toHaveProperty('batchSize');
    expect((await call('runs.list', { filter: 'algorithm=trpo' })).map((r) => r.id)).toEqual([runs[5]!.id, runs[4]!.id]);

    // The presets differ in many fields (nEpochs, learningRate, ...); by default only the algorithm groups.
    const agg = await call('series.aggregate', { runIds, keys: ['train/policy_loss'] });
    expect(agg.groupBy).toEqual(['algorithm']);
    expect(agg.groups.map((g) => g.key)).toEqual(['algorithm=ppo', 'algorithm=a2c', 'algorithm=trpo']);
    const summary = await call('summary.get', { runIds, groupBy: ['algorithm'], compare: ['algorithm=ppo', 'algorithm=a2c'] });
    expect(summary.groups.map((g) => [g.key, g.runIds.length])).toEqual([['algorithm=ppo', 2], ['algorithm=a2c', 2], ['algorithm=trpo', 2]]);
    expect(summary.configDiff['algorithm']).toEqual({ 'algorithm=ppo': 'ppo', 'algorithm=a2c': 'a2c', 'algorithm=trpo': 'trpo' });
    await call('runs.delete', { runIds });
  });

  it('answers malformed requests with schema errors', async () => {
    expect((await fail('runs.get', { runId: 'one' })).code).toBe('bad-request');
    expect((await fail('series.get', { runIds: [], keys: ['x'] })).issues?.[0]?.path).toBe('runIds');
    expect((await fail('no.such.method', {})).message).toMatch(/unknown API method/);
  });
});
