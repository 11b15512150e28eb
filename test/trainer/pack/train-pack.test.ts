import { beforeAll, describe, expect, it } from 'vitest';
import { parsePpoConfig, type PpoConfig } from '../../../src/core/training/config';
import { METRIC } from '../../../src/core/metrics/keys';
import { resolvePreset } from '../../../src/core/training/presets';
import { createPack } from '../../../src/trainer/pack/pack';
import { trainPack } from '../../../src/trainer/pack/train-pack';
import type { Checkpoint } from '../../../src/trainer/ppo/checkpoint';
import { initBackend } from '../../../src/trainer/tf-backend';
import { train, type TrainHooks } from '../../../src/trainer/train';

/** Small CartPole-v1 zoo members: 4 envs × 32 steps, 4 iterations, an evaluation every 2 iterations. */
function config(seed: number, overrides: Partial<PpoConfig> = {}): PpoConfig {
  return parsePpoConfig(resolvePreset('zoo', 'CartPole-v1', {
    nEnvs: 4, nSteps: 32, batchSize: 64, nEpochs: 2, totalTimesteps: 512, evalFreq: 256, evalEpisodes: 2, finalEvalEpisodes: 3,
    checkpointFreq: 0, backend: 'cpu', seed, ...overrides,
  }));
}

/** Hooks recording a run's metric records, evaluations and checkpoints. */
function recorder() {
  const log = { updates: [] as Record<string, number>[], evals: [] as number[], checkpoints: [] as Checkpoint[] };
  const hooks: TrainHooks = {
    onUpdate: (_step, metrics) => log.updates.push(metrics),
    onEval: (_step, result) => log.evals.push(result.mean),
    onCheckpoint: (checkpoint) => log.checkpoints.push(checkpoint),
  };
  return { log, hooks };
}

/** The losses of a metric record, which must agree with the solo run's within float32 round-off. */
function losses(record: Record<string, number>): number[] {
  return [METRIC.policyLoss, METRIC.valueLoss, METRIC.approxKl, METRIC.clipFraction].map((k) => record[k]);
}

function expectSameRun(packed: ReturnType<typeof recorder>['log'], solo: ReturnType<typeof recorder>['log']): void {
  expect(packed.updates.length).toBe(solo.updates.length);
  packed.updates.forEach((record, i) => {
    losses(record).forEach((x, k) => expect(x).toBeCloseTo(losses(solo.updates[i])[k], 5));
    expect(record[METRIC.totalTimesteps]).toBe(solo.updates[i][METRIC.totalTimesteps]);
  });
  expect(packed.evals).toEqual(solo.evals);
}

describe('trainPack', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('each member runs as its solo run: updates, evaluations, final evaluation, last checkpoint', async () => {
    const configs = [config(1), config(2, { learningRate: 3e-3 }), config(3, { totalTimesteps: 256 })];
    const solo = await Promise.all(configs.map(async (c) => {
      const r = recorder();
      return { log: r.log, result: await train(c, r.hooks) };
    }));
    const recorders = configs.map(() => recorder());
    const results = await trainPack(createPack(configs), recorders.map((r) => r.hooks));
    results.forEach((result, m) => {
      expect(result.failed).toBeNull();
      expect(result.cancelled).toBe(false);
      expect(result.stepsDone).toBe(configs[m].totalTimesteps);
      expect(result.finalEval).toEqual(solo[m].result.finalEval);
      expectSameRun(recorders[m].log, solo[m].log);
      expect(recorders[m].log.checkpoints.at(-1)!.step).toBe(configs[m].totalTimesteps);
    });
  });

  it('cancels one member while the others go on, and that member resumes from its checkpoint to its solo result', async () => {
    const configs = [config(4), config(5)];
    const abort = new AbortController();
    const recorders = configs.map(() => recorder());
    recorders[1].hooks.onUpdate = (_step, metrics) => {
      recorders[1].log.updates.push(metrics);
      abort.abort();
    };
    const results = await trainPack(createPack(configs), recorders.map((r) => r.hooks), { signals: [undefined, abort.signal] });
    expect(results[0].cancelled).toBe(false);
    expect(results[0].stepsDone).toBe(512);
    expect(results[0].finalEval).not.toBeNull();
    expect(results[1].cancelled).toBe(true);
    expect(results[1].stepsDone).toBe(128);
    expect(results[1].finalEval).toBeNull();
    const checkpoint = recorders[1].log.checkpoints.at(-1)!;
    expect(checkpoint.step).toBe(128);

    // Resume the cancelled member in a new pack beside a fresh member: it ends where its uninterrupted solo run ends.
    const soloRecorder = recorder();
    const solo = await train(configs[1], soloRecorder.hooks);
    const resumed = recorder();
    const [, again] = await trainPack(createPack([config(6), configs[1]], { resumes: [undefined, checkpoint] }), [recorder().hooks, resumed.hooks]);
    expect(again.stepsDone).toBe(512);
    expect(again.finalEval).toEqual(solo.finalEval);
    expectSameRun({ ...resumed.log, updates: [...recorders[1].log.updates, ...resumed.log.updates] }, soloRecorder.log);
  });

  it('a member whose parameters turn NaN fails alone; the others end as their solo runs', async () => {
    const configs = [config(7), config(8), config(9)];
    const pack = createPack(configs);
    pack.members[1].state.params[0] = NaN;
    const recorders = configs.map(() => recorder());
    const results = await trainPack(pack, recorders.map((r) => r.hooks));
    expect(results[1].failed).toMatch(/non-finite/);
    expect(results[1].stepsDone).toBe(128);
    for (const m of [0, 2]) {
      expect(results[m].failed).toBeNull();
      const solo = recorder();
      expect(results[m].finalEval).toEqual((await train(configs[m], solo.hooks)).finalEval);
      expectSameRun(recorders[m].log, solo.log);
    }
  });
});

describe('createPack', () => {
  it('refuses members that differ in shape or cannot be packed, naming the member', () => {
    expect(() => createPack([config(1), config(2, { nEnvs: 8 })])).toThrow(/member 1 differs from member 0/);
    expect(() => createPack([config(1), config(2, { rolloutMode: 'episodes' })])).toThrow(/member 1 cannot be packed: whole-episode/);
  });
});
