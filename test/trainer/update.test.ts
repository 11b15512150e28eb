import { beforeAll, describe, expect, it } from 'vitest';
import { resolvePreset } from '../../src/core/training/presets';
import { parsePpoConfig, type PpoConfig } from '../../src/core/training/config';
import { computeAdvantages } from '../../src/trainer/ppo/advantages';
import { collectRollout } from '../../src/trainer/ppo/rollout';
import { createTrainingState, rolloutContext } from '../../src/trainer/ppo/state';
import { adaptBeta, update } from '../../src/trainer/ppo/update';
import { initBackend } from '../../src/trainer/tf-backend';

/** A state with one collected rollout (4 envs × 32 steps of CartPole) and its advantages. */
function collected(overrides: Partial<PpoConfig> = {}) {
  const config = parsePpoConfig(resolvePreset('zoo', 'CartPole-v1', { nEnvs: 4, nSteps: 32, batchSize: 32, nEpochs: 3, backend: 'cpu', seed: 2, ...overrides }));
  const state = createTrainingState(config);
  state.stepsDone += collectRollout(rolloutContext(state, () => {}), state.rollout, state.buffer, { kind: 'steps', nSteps: config.nSteps });
  computeAdvantages(config, state.buffer);
  return state;
}

const schedule = { learningRate: 1e-3, clipRange: 0.2, entCoef: 0.01 };

describe('update', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('runs nEpochs × (buffer / batchSize) Adam steps, starting at ratio 1', () => {
    const state = collected();
    const before = Float32Array.from(state.params);
    const stats = update(state, schedule);
    expect(state.adam.t).toBe(3 * 4);
    expect(stats.epochsDone).toBe(3);
    expect(state.nUpdates).toBe(3);
    expect(state.params).not.toEqual(before);
    expect(stats.ratioMax).toBeGreaterThan(1);
    for (const x of [stats.policyLoss, stats.valueLoss, stats.entropy, stats.clipFraction, stats.gradNorm, stats.loss, stats.approxKl]) expect(Number.isFinite(x)).toBe(true);
    expect(stats.klAfter).toBeNaN();
  });

  it('the first minibatch of an update sees ratio 1 exactly as the rollout stored it', () => {
    const state = collected({ nEpochs: 1, batchSize: 128 });
    const stats = update(state, schedule);
    expect(stats.ratioMean).toBeCloseTo(1, 6);
    expect(stats.approxKl).toBeLessThan(1e-10);
  });

  it('stops at 1.5 × targetKl without applying that minibatch, and counts the stopped epoch as SB3 does', () => {
    const state = collected({ targetKl: 1e-4, nEpochs: 10 });
    const stats = update(state, { ...schedule, learningRate: 3e-2 });
    expect(stats.epochsDone).toBeLessThan(10);
    expect(state.nUpdates).toBe(stats.epochsDone + 1);
    expect(state.adam.t).toBeLessThan(4 * (stats.epochsDone + 1));
    expect(stats.approxKl).toBeGreaterThan(0);
  });

  it('adapts β after the epochs for kl-adaptive, reporting the β the loss used', () => {
    const state = collected({ objective: 'kl-adaptive', klTarget: 1e-6, beta: 1 });
    const stats = update(state, schedule);
    expect(stats.beta).toBe(1);
    expect(stats.klAfter).toBeGreaterThan(1.5e-6);
    expect(state.beta).toBe(2);
  });
});

describe('adaptBeta', () => {
  it('halves below d_targ / 1.5, doubles above 1.5 · d_targ, keeps β between (paper §4)', () => {
    expect(adaptBeta(1, 0.006, 0.01)).toBe(0.5);
    expect(adaptBeta(1, 0.016, 0.01)).toBe(2);
    expect(adaptBeta(1, 0.01, 0.01)).toBe(1);
  });
});
