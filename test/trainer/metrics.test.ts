import { describe, expect, it } from 'vitest';
import { METRIC } from '../../src/core/metrics/keys';
import { resolvePreset } from '../../src/core/training/presets';
import { parsePpoConfig } from '../../src/core/training/config';
import { logMetrics } from '../../src/trainer/ppo/metrics';
import { createTrainingState } from '../../src/trainer/ppo/state';
import type { UpdateStats } from '../../src/trainer/ppo/update';

const stats: UpdateStats = {
  policyLoss: -0.01, valueLoss: 3, entropy: 0.6, clipFraction: 0.1, ratioMean: 1.01, gradNorm: 0.4, ratioMax: 1.3,
  loss: 1.2, approxKl: 0.004, approxKlK1: 0.003, epochsDone: 7, beta: 0.5, klAfter: NaN, distributions: {},
};
const schedule = { learningRate: 3e-4, clipRange: 0.2, entCoef: 0.01 };
const timing = { fps: 900, rolloutSeconds: 0.1, updateSeconds: 0.2 };

describe('logMetrics', () => {
  it('records the update under SB3 meanings with the schedules, counters and timing', () => {
    const state = createTrainingState(parsePpoConfig(resolvePreset('zoo', 'CartPole-v1', { backend: 'cpu' })));
    state.nUpdates = 42;
    state.stepsDone = 2048;
    const m = logMetrics(state, stats, schedule, timing);
    expect(m[METRIC.policyLoss]).toBe(-0.01);
    expect(m[METRIC.entropyLoss]).toBe(-0.6);
    expect(m[METRIC.nUpdates]).toBe(42);
    expect(m[METRIC.epochsDone]).toBe(7);
    expect(m[METRIC.learningRate]).toBe(3e-4);
    expect(m[METRIC.totalTimesteps]).toBe(2048);
    expect(m[METRIC.fps]).toBe(900);
    expect(m).not.toHaveProperty(METRIC.klAfterUpdate);
    expect(m).not.toHaveProperty(METRIC.std);
    expect(m).not.toHaveProperty(METRIC.epReturnMean);
  });

  it('adds the post-update KL, the policy std and the episode window when there are any', () => {
    const state = createTrainingState(parsePpoConfig(resolvePreset('zoo', 'Pendulum-v1', { backend: 'cpu', logStdInit: Math.log(0.5) })));
    state.recentEpisodes.returns.push(-100, -300);
    state.recentEpisodes.lengths.push(200, 200);
    const m = logMetrics(state, { ...stats, klAfter: 0.02 }, schedule, timing);
    expect(m[METRIC.klAfterUpdate]).toBe(0.02);
    expect(m[METRIC.std]).toBeCloseTo(0.5, 6);
    expect(m[METRIC.epReturnMean]).toBe(-200);
    expect(m[METRIC.epLengthMean]).toBe(200);
  });
});
