import { beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { parsePpoConfig, type PpoConfig } from '../../../src/core/training/config';
import { METRIC } from '../../../src/core/metrics/keys';
import { resolvePreset } from '../../../src/core/training/presets';
import { createPack, packIteration } from '../../../src/trainer/pack/pack';
import { ppoLearner } from '../../../src/trainer/ppo/learner';
import { createTrainingState, rolloutContext } from '../../../src/trainer/ppo/state';
import { initBackend } from '../../../src/trainer/tf-backend';
import { describeOnBackends } from '../../support/backends';

/**
 * Packing's decisive property (issue 19): a member's first updates equal its solo run's — same seed, same config —
 * within float32 round-off, in its metrics and in its weights.
 */
const ITERATIONS = 3;

function configs(envId: string, overrides: Partial<PpoConfig>, members: Partial<PpoConfig>[]): PpoConfig[] {
  return members.map((member) => parsePpoConfig(resolvePreset('zoo', envId, { ...overrides, ...member })));
}

/** Relative difference of two vectors, ‖a − b‖ / ‖b‖. */
function relativeDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

/** The update's metrics the comparison must find (it compares every metric of the record but timing). */
const REQUIRED = [METRIC.policyLoss, METRIC.valueLoss, METRIC.approxKl, METRIC.clipFraction, METRIC.entropyLoss, METRIC.gradNorm, METRIC.ratioMax];

/** Runs the members solo and as one pack, asserts they agree; returns the pack's metric records [iteration][member]. */
function compare(memberConfigs: PpoConfig[], batched?: boolean): Record<string, number>[][] {
  // Solo: each member alone, as train.ts runs it; its metric records from the learner.
  const soloRuns = memberConfigs.map((config) => {
    const state = createTrainingState(config);
    const learner = ppoLearner(state);
    const rollout = rolloutContext(state, () => {});
    const records: Record<string, number>[] = [];
    const params: Float32Array[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      state.stepsDone += learner.collect(rollout);
      state.iteration += 1;
      records.push(learner.update().metrics({ fps: 0, rolloutSeconds: 0, updateSeconds: 0 }));
      params.push(Float32Array.from(state.params));
    }
    return { records, params, adamT: state.adam.t, nUpdates: state.nUpdates };
  });
  const pack = createPack(memberConfigs);
  const packRecords: Record<string, number>[][] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const { members } = packIteration(pack, undefined, batched);
    expect(members.map((m) => m.member)).toEqual(memberConfigs.map((_, m) => m));
    packRecords.push([]);
    for (const { member, metrics } of members) {
      const record = metrics({ fps: 0, rolloutSeconds: 0, updateSeconds: 0 });
      packRecords[i].push(record);
      const expected = soloRuns[member].records[i];
      for (const key of REQUIRED) expect(key in expected, key).toBe(true);
      expect(Object.keys(record).sort()).toEqual(Object.keys(expected).sort());
      for (const key of Object.keys(expected).filter((k) => !k.startsWith('time/'))) {
        const scale = Math.max(1e-3, Math.abs(expected[key]));
        expect(Math.abs(record[key] - expected[key]) / scale, `member ${member} iteration ${i} ${key}: ${record[key]} vs ${expected[key]}`).toBeLessThan(1e-4);
      }
      expect(record[METRIC.nUpdates]).toBe(expected[METRIC.nUpdates]);
      expect(relativeDiff(pack.members[member].state.params, soloRuns[member].params[i]), `member ${member} weights after iteration ${i}`).toBeLessThan(1e-5);
    }
  }
  pack.members.forEach((m, i) => {
    expect(m.state.adam.t).toBe(soloRuns[i].adamT);
    expect(m.state.nUpdates).toBe(soloRuns[i].nUpdates);
    // The members really differ (different seeds and learning rates), so the equality above is not vacuous.
    if (i > 0) expect(relativeDiff(m.state.params, pack.members[0].state.params)).toBeGreaterThan(1e-2);
  });
  return packRecords;
}

const small = { nEnvs: 4, nSteps: 32, batchSize: 64, nEpochs: 3 };

describeOnBackends('a pack member equals its solo run', (backend) => {
  beforeAll(async () => {
    expect((await initBackend(backend)).backend).toBe(backend);
  });

  it.each([true, false])('CartPole-v1 (categorical), 3 members with different seeds and learning rates, clip (batched pass: %s)', (batched) => {
    compare(configs('CartPole-v1', { ...small, backend }, [
      { seed: 1, learningRate: 3e-4 },
      { seed: 2, learningRate: 1e-3 },
      { seed: 3, learningRate: 3e-3, learningRateSchedule: 'constant' },
    ]), batched);
  });

  it('CartPole-v1, members with different objectives, coefficients and a target-KL early stop', () => {
    const records = compare(configs('CartPole-v1', { ...small, backend }, [
      { seed: 4, objective: 'clip', clipRange: 0.1, gamma: 0.99, gaeLambda: 0.9 },
      { seed: 5, objective: 'kl-adaptive', klEstimator: 'exact', klTarget: 0.003, entCoef: 0.01, vfCoef: 0.3 },
      { seed: 9, objective: 'clip+kl', klEstimator: 'k3', beta: 0.5, clipRangeVf: 0.2 },
      { seed: 6, objective: 'clip', learningRate: 3e-2, learningRateSchedule: 'constant', targetKl: 1e-3 },
    ]));
    // The early stop really happened (member 3 left the pass mid-update), and β moved for the kl-adaptive member.
    expect(records.some((iteration) => iteration[3][METRIC.epochsDone] < small.nEpochs)).toBe(true);
    expect(new Set(records.map((iteration) => iteration[1][METRIC.beta])).size).toBeGreaterThan(1);
  });

  it('Pendulum-v1 (gSDE Gaussian), 3 members', () => {
    compare(configs('Pendulum-v1', { nEnvs: 2, nSteps: 64, batchSize: 32, nEpochs: 2, backend }, [
      { seed: 1, learningRate: 1e-3 },
      { seed: 2, learningRate: 3e-4, clipRange: 0.1 },
      { seed: 3, learningRate: 2e-3 },
    ]));
  });

  it('Pendulum-v1 without gSDE (diagonal Gaussian)', () => {
    compare(configs('Pendulum-v1', { nEnvs: 2, nSteps: 64, batchSize: 32, nEpochs: 2, useSde: false, backend }, [
      { seed: 7, learningRate: 1e-3 },
      { seed: 8, learningRate: 3e-3 },
    ]));
  });

  it('holds no tensors across iterations', () => {
    const pack = createPack(configs('CartPole-v1', { ...small, backend }, [{ seed: 1 }, { seed: 2 }]));
    packIteration(pack);
    const before = tf.memory().numTensors;
    packIteration(pack);
    packIteration(pack);
    expect(tf.memory().numTensors).toBe(before);
  });
});
