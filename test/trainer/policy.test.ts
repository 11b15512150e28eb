import { describe, expect, it } from 'vitest';
import { resolvePreset } from '../../src/core/training/presets';
import { forwardJs } from '../../src/trainer/nn/actor-critic';
import type { Checkpoint } from '../../src/trainer/ppo/checkpoint';
import { loadPolicy } from '../../src/trainer/ppo/policy';
import { createTrainingState, toCheckpoint } from '../../src/trainer/ppo/state';

/** A fresh Pendulum-v1 PPO state's checkpoint with return statistics of std `returnStd` (Var[G] = returnStd²). */
function checkpoint(overrides: Record<string, unknown>, returnStd: number): Checkpoint {
  const state = createTrainingState(resolvePreset('zoo', 'Pendulum-v1', { backend: 'cpu', ...overrides }));
  if (state.normalize) state.normalize.retRms.var[0] = returnStd ** 2;
  return toCheckpoint(state, 'cpu', undefined);
}

const observation = [Math.cos(2.5), Math.sin(2.5), -1.2];

describe('loadPolicy: V(s) for replay', () => {
  it('is the value network output scaled back to reward units when the run normalized rewards', () => {
    const cp = checkpoint({ normalizeObs: true, normalizeReward: true }, 40);
    const policy = loadPolicy(cp);
    const out = policy.act(observation, true);
    // The network sees the normalized observation and predicts in units of the return's std.
    const normalized = Float32Array.from(observation.map((x, j) => {
      const { mean, var: variance } = cp.meta.normalization!.obsRms;
      return (x - mean[j]!) / Math.sqrt(variance[j]! + 1e-8);
    }));
    const raw = forwardJs(policy.layout, new Float32Array(cp.weights.buffer.slice(0)), normalized, 1).values[0]!;
    expect(raw).not.toBe(0);
    expect(out.value).toBeCloseTo(raw * 40, 4);
    expect(out.valueSaturated).toBe(false);
  });

  it('is the value network output as is without reward normalization (observation-only normalization too)', () => {
    for (const overrides of [{}, { normalizeObs: true, normalizeReward: false }]) {
      const cp = checkpoint(overrides, 40);
      const policy = loadPolicy(cp);
      const input = cp.meta.normalization
        ? Float32Array.from(observation.map((x, j) => (x - cp.meta.normalization!.obsRms.mean[j]!) / Math.sqrt(cp.meta.normalization!.obsRms.var[j]! + 1e-8)))
        : Float32Array.from(observation);
      const raw = forwardJs(policy.layout, new Float32Array(cp.weights.buffer.slice(0)), input, 1).values[0]!;
      expect(policy.act(observation, true).value).toBeCloseTo(raw, 5);
    }
  });
});
