import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { BundleError, exportBundle, importBundle, type ProximaBundle } from '../../../src/backend/analysis/bundle';
import { progressColumnName, runCsv, sweepCsv } from '../../../src/backend/analysis/csv';
import { sb3ProgressNames } from '../../../src/core/metrics/keys';
import { readSeries } from '../../../src/backend/analysis/series';
import { openStore } from '../../../src/backend/store/open-store';
import { parsePpoConfig } from '../../../src/core/training/config';
import type { ExperimentStore } from '../../../src/backend/store/types';
import { MetricBuffer } from '../../../src/backend/runner/metric-buffer';
import { LEARN_METRIC } from '../../../src/core/metrics/ratio-stats';
import { newRun, useTempStore } from '../store/helpers';

const t = useTempStore('a.db');

/** A valid PPO config for CartPole-v1 (imports validate configs as new runs are validated). */
const ppoConfig = (overrides: Record<string, unknown>): Record<string, unknown> => parsePpoConfig({ envId: 'CartPole-v1', totalTimesteps: 10_000, ...overrides });

/** Float32 parameters of the default actor-critic on CartPole-v1: 4-64-64-2 policy and 4-64-64-1 value networks. */
const CARTPOLE_PARAMETERS = (4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2) + (4 * 64 + 64 + 64 * 64 + 64 + 64 + 1);

/** A sweep with two runs carrying every kind of data the bundle must keep. */
async function populate(s: ExperimentStore): Promise<{ sweepId: number; runIds: number[] }> {
  const sweep = await s.createSweep({ name: 'clip vs kl', envId: 'CartPole-v1', spec: { grid: { objective: ['clip', 'kl-adaptive'] }, seeds: [1] }, status: 'completed', createdAt: 1_700_000_000_000 });
  const runs = await s.createRuns([
    newRun(1, ppoConfig({ objective: 'clip' }), { sweepId: sweep.id, params: { objective: 'clip', flag: true, nothing: null }, createdAt: 1_700_000_000_001 }),
    newRun(1, ppoConfig({ objective: 'kl-adaptive' }), { sweepId: sweep.id, params: { objective: 'kl-adaptive' }, createdAt: 1_700_000_000_002 }),
  ]);
  await s.updateRun(runs[0].id, { status: 'completed', startedAt: 1_700_000_001_000, finishedAt: 1_700_000_002_000, stepsDone: 4096, backend: 'cpu', finalEval: { mean: 487.5, std: 12.25, episodes: 10 }, tags: ['keep', 'a,b'], notes: 'quote " and\nnewline' });
  await s.updateRun(runs[1].id, { status: 'failed', error: 'loss became NaN', hidden: true });
  await s.appendMetrics([
    { runId: runs[0].id, step: 2048, wallTime: 1_700_000_001_500.25, values: { 'train/approx_kl': 0.0123, 'train/policy_loss': -0.01, 'rollout/ep_return_mean': 22.5, 'time/fps': 1500 } },
    { runId: runs[0].id, step: 4096, wallTime: 1_700_000_001_900, values: { 'train/approx_kl': NaN, 'train/policy_loss': Infinity, 'rollout/ep_return_mean': 40, 'eval/mean_return': -Infinity } },
    { runId: runs[0].id, step: 3000, seq: 0, values: { 'rollout/ep_return': 31 } },
    { runId: runs[0].id, step: 3000, seq: 1, values: { 'rollout/ep_return': 35 } },
    { runId: runs[1].id, step: 2048, values: { 'train/approx_kl': 0.5, custom_thing: 1 / 3 } },
  ]);
  const weights = new Uint8Array(4 * CARTPOLE_PARAMETERS).map((_, i) => (i * 37) % 256);
  await s.saveCheckpoint({ runId: runs[0].id, step: 4096, weights, optimizer: new Uint8Array(8 * CARTPOLE_PARAMETERS).fill(7), normalization: { obs: { mean: [0.5], var: [2], count: 4096 } }, meta: { updates: 2 }, createdAt: 1_700_000_001_950 });
  await s.saveCheckpoint({ runId: runs[1].id, step: 2048, weights: new Uint8Array(4 * CARTPOLE_PARAMETERS).fill(9), createdAt: 1_700_000_001_960 });
  await s.saveReplay({ runId: runs[0].id, name: 'replay', checkpointStep: 4096, seed: 3, envId: 'CartPole-v1', frames: [{ t: 0, state: [0.1, 0, 0, 0] }], totalReturn: 1, length: 1, createdAt: 1_700_000_003_000 });
  return { sweepId: sweep.id, runIds: runs.map((r) => r.id) };
}

/** The bundle with ids replaced by their position, and without the export time. */
function canonical(bundle: ProximaBundle): unknown {
  const runIndex = new Map(bundle.runs.map((r, i) => [r.id, i]));
  const sweepIndex = new Map(bundle.sweeps.map((s, i) => [s.id, i]));
  return {
    ...bundle,
    exportedAt: 0,
    sweeps: bundle.sweeps.map((s) => ({ ...s, id: sweepIndex.get(s.id) })),
    runs: bundle.runs.map((r) => ({ ...r, id: runIndex.get(r.id), sweepId: r.sweepId === null ? null : sweepIndex.get(r.sweepId) })),
    metrics: bundle.metrics.map((m) => ({ ...m, runId: runIndex.get(m.runId) })),
    checkpoints: bundle.checkpoints.map((c) => ({ ...c, runId: runIndex.get(c.runId) })),
    replays: bundle.replays.map((r, i) => ({ ...r, id: i, runId: runIndex.get(r.runId) })),
  };
}

describe('CSV export', () => {
  it('uses SB3 progress.csv names, one row per update, leaving out per-episode keys', async () => {
    const { runIds, sweepId } = await populate(t.store);
    const csv = await runCsv(t.store, runIds[0]);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('time/total_timesteps,eval/mean_reward,rollout/ep_rew_mean,time/fps,train/approx_kl,train/policy_gradient_loss');
    // The episode at step 3000 is left out, so its step makes no row.
    expect(lines.slice(1)).toEqual(['2048,,22.5,1500,0.0123,-0.01', '4096,-inf,40,,nan,inf']);

    const sweepLines = (await sweepCsv(t.store, sweepId)).trimEnd().split('\n');
    expect(sweepLines[0]).toBe('run_id,env_id,seed,algorithm,time/total_timesteps,custom_thing,eval/mean_reward,rollout/ep_rew_mean,time/fps,train/approx_kl,train/policy_gradient_loss');
    expect(sweepLines).toHaveLength(4);
    expect(sweepLines[3]).toBe(`${runIds[1]},CartPole-v1,1,ppo,2048,${1 / 3},,,,0.5,`);
    await expect(runCsv(t.store, 999)).rejects.toThrow(/run 999/);
  });
});

describe('JSON bundle', () => {
  it('round-trips losslessly through a fresh database with ids remapped', async () => {
    const { sweepId } = await populate(t.store);
    const first = await exportBundle(t.store, { sweepId });
    expect(first.runs).toHaveLength(2);
    expect(first.metrics.find((m) => m.key === 'train/approx_kl' && m.runId === first.runs[0].id)!.values).toEqual([0.0123, null]);

    const other = await openStore(join(t.dir, 'b.db'));
    try {
      // Pre-existing data, so the new ids differ from the bundle's.
      await other.createRuns([newRun(9), newRun(10), newRun(11)]);
      const text = JSON.stringify(first);
      const result = await importBundle(other, JSON.parse(text));
      expect(Object.keys(result.runIds).map(Number)).toEqual(first.runs.map((r) => r.id));
      expect(Object.values(result.runIds)).not.toEqual(first.runs.map((r) => r.id));
      const second = await exportBundle(other, { sweepId: result.sweepIds[sweepId] });
      expect(second.runs.map((r) => r.id)).toEqual(first.runs.map((r) => result.runIds[r.id]));
      expect(canonical(second)).toEqual(canonical(first));
      // The imported data is usable, not just re-exportable.
      const checkpoint = (await other.getCheckpoint(result.runIds[first.runs[0].id]))!;
      expect(Array.from(checkpoint.weights.subarray(0, 4))).toEqual([0, 37, 74, 111]);
      expect(checkpoint.weights.length).toBe(4 * CARTPOLE_PARAMETERS);
      const [kl] = await readSeries(other, { runIds: [result.runIds[first.runs[0].id]], keys: ['train/approx_kl'] });
      expect(kl.y[0]).toBe(0.0123);
      expect(kl.y[1]).toBeNaN();
    } finally {
      await other.close();
    }
  });

  it('imports runs that were queued or training as interrupted: they never start by themselves', async () => {
    const { runIds } = await populate(t.store);
    const bundle = await exportBundle(t.store, { runIds });
    bundle.runs[0].status = 'running';
    bundle.runs[1].status = 'queued';
    const result = await importBundle(t.store, bundle);
    const imported = await Promise.all(bundle.runs.map((r) => t.store.getRun(result.runIds[r.id]!)));
    expect(imported.map((r) => [r?.status, r?.error, r?.ownerId])).toEqual([
      ['interrupted', 'imported while running: resume it to continue', null],
      ['interrupted', 'imported while queued: resume it to continue', null],
    ]);
  });

  it('rejects a bad bundle naming the field and changes nothing', async () => {
    const { runIds } = await populate(t.store);
    const good = await exportBundle(t.store, { runIds });
    const before = await t.store.listRuns({ filter: { includeHidden: true } });

    const badStatus = structuredClone(good) as unknown as { runs: { status: string }[] };
    badStatus.runs[1].status = 'exploded';
    await expect(importBundle(t.store, badStatus)).rejects.toThrow(BundleError);
    await expect(importBundle(t.store, badStatus)).rejects.toThrow(/runs\.1\.status/);

    const orphan = structuredClone(good);
    orphan.metrics[0].runId = 424242;
    await expect(importBundle(t.store, orphan)).rejects.toThrow(/metrics\.0\.runId: run 424242 is not in the bundle/);

    const ragged = structuredClone(good);
    ragged.metrics[0].values.pop();
    await expect(importBundle(t.store, ragged)).rejects.toThrow(/metrics\.0: steps, seqs, values and wallTimes must have the same length/);

    await expect(importBundle(t.store, { format: 'something-else' })).rejects.toThrow(/format/);

    // Hostile contents the schema alone lets through: configs are validated as for a new run, weights against them.
    const hostile = (edit: (b: ProximaBundle) => void): ProximaBundle => {
      const b = structuredClone(good);
      edit(b);
      return b;
    };
    await expect(importBundle(t.store, hostile((b) => (b.runs[0].config['nEnvs'] = 100_000)))).rejects.toThrow('runs.0.config: nEnvs: at most 1,024 parallel environments');
    await expect(importBundle(t.store, hostile((b) => (b.runs[1].config['totalTimesteps'] = 1e15)))).rejects.toThrow('runs.1.config: totalTimesteps: at most 1,000,000,000 steps per run');
    await expect(importBundle(t.store, hostile((b) => (b.runs[0].config = JSON.parse('{"constructor": {"prototype": {"polluted": true}}}') as Record<string, unknown>)))).rejects.toThrow(/runs\.0\.config: unknown field\(s\) constructor/);
    await expect(importBundle(t.store, hostile((b) => (b.runs[0].config['envId'] = 'Pendulum-v1')))).rejects.toThrow('runs.0.envId: CartPole-v1, but its config trains Pendulum-v1');
    await expect(importBundle(t.store, hostile((b) => (b.checkpoints[0].weights = Buffer.from('garbage').toString('base64'))))).rejects.toThrow(
      `checkpoints.0.weights: 7 bytes, but run ${good.runs[0].id}'s network has ${CARTPOLE_PARAMETERS} float32 parameters (${4 * CARTPOLE_PARAMETERS} bytes)`,
    );
    await expect(importBundle(t.store, hostile((b) => (b.runs[0].config['piLayers'] = [256, 256])))).rejects.toThrow(/checkpoints\.0\.weights: \d+ bytes, but run \d+'s network has \d+ float32 parameters/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const after = await t.store.listRuns({ filter: { includeHidden: true } });
    expect(after.total).toBe(before.total);
    expect((await t.store.listSweeps()).length).toBe(1);
  });
});

describe('progress.csv names per algorithm', () => {
  it('uses SB3 A2C\'s train/policy_loss, PPO\'s train/policy_gradient_loss, and Proxima\'s key where SB3 has none', () => {
    expect(progressColumnName('train/policy_loss')).toBe('train/policy_gradient_loss');
    expect(progressColumnName('train/policy_loss', sb3ProgressNames('ppo'))).toBe('train/policy_gradient_loss');
    expect(progressColumnName('train/policy_loss', sb3ProgressNames('a2c'))).toBe('train/policy_loss');
    expect(progressColumnName('train/kl_divergence_loss', sb3ProgressNames('trpo'))).toBe('train/kl_divergence_loss');
    expect(progressColumnName('rollout/ep_return_mean', sb3ProgressNames('reinforce'))).toBe('rollout/ep_rew_mean');
  });
});

describe('distribution metrics (seq-indexed points of an update: the ratio histogram, per-epoch statistics)', () => {
  /** Two updates of one run as the run queue buffers them from the trainer's `update` messages. */
  async function withDistributions(s: ExperimentStore): Promise<number> {
    const [run] = await s.createRuns([newRun(1, ppoConfig({ objective: 'clip' }))]);
    const buffer = new MetricBuffer(run!.id);
    const hist = (k: number) => Array.from({ length: 34 }, (_, i) => (i === 17 ? 1 - 11 * k : i >= 1 && i <= 11 ? k : 0));
    buffer.addUpdate(2048, { 'train/approx_kl': 0.01 }, { [LEARN_METRIC.ratioHist]: hist(0.01), [LEARN_METRIC.epochApproxKl]: [0, 0.005, 0.012] });
    buffer.addUpdate(4096, { 'train/approx_kl': 0.02 }, { [LEARN_METRIC.ratioHist]: hist(0.02), [LEARN_METRIC.epochApproxKl]: [0, NaN, 0.025] });
    buffer.addEpisode(3000, 31, 31);
    buffer.addEpisode(3000, 35, 35);
    await s.appendMetrics(buffer.drain().samples);
    return run!.id;
  }

  it('are stored with seq = index, and the CSV writes them as key[seq] columns in seq order', async () => {
    const runId = await withDistributions(t.store);
    const [hist] = await t.store.readMetrics({ runIds: [runId], keys: [LEARN_METRIC.ratioHist], withSeq: true });
    expect(hist!.steps).toHaveLength(68);
    expect(hist!.seqs!.slice(0, 34)).toEqual(Array.from({ length: 34 }, (_, i) => i));
    const lines = (await runCsv(t.store, runId)).trimEnd().split('\n');
    const header = lines[0]!.split(',');
    const klColumns = ['learn/epoch_approx_kl[0]', 'learn/epoch_approx_kl[1]', 'learn/epoch_approx_kl[2]'];
    const histColumns = Array.from({ length: 34 }, (_, i) => `learn/ratio_hist[${i}]`);
    expect(header).toEqual(['time/total_timesteps', ...klColumns, ...histColumns, 'train/approx_kl']);
    // Per-episode keys stay out; one row per update.
    expect(lines).toHaveLength(3);
    const row = lines[2]!.split(',');
    expect(row.slice(0, 4)).toEqual(['4096', '0', 'nan', '0.025']);
    expect(Number(row[4 + 17])).toBeCloseTo(0.78, 12);
    expect(row.at(-1)).toBe('0.02');
  });

  it('round-trip through a bundle with their seqs', async () => {
    const runId = await withDistributions(t.store);
    const bundle = await exportBundle(t.store, { runIds: [runId] });
    const other = await openStore(join(t.dir, 'c.db'));
    try {
      const result = await importBundle(other, JSON.parse(JSON.stringify(bundle)));
      const read = async (s: ExperimentStore, id: number) =>
        (await s.readMetrics({ runIds: [id], keys: Object.values(LEARN_METRIC), withSeq: true })).sort((a, b) => (a.key < b.key ? -1 : 1));
      const [before, after] = [await read(t.store, runId), await read(other, result.runIds[runId]!)];
      expect(after.map((p) => p.key)).toEqual([LEARN_METRIC.epochApproxKl, LEARN_METRIC.ratioHist]);
      expect(after.map(({ runId: _, ...p }) => p)).toEqual(before.map(({ runId: _, ...p }) => p));
      expect(await runCsv(other, result.runIds[runId]!)).toBe(await runCsv(t.store, runId));
    } finally {
      await other.close();
    }
  });
});
