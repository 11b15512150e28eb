import { describe, expect, it } from 'vitest';
import { computeGae, computeNStepReturns } from '../../src/core/math/returns';
import { mean, std } from '../../src/core/math/stats';
import { computeAdvantages, type AdvantageConfig } from '../../src/trainer/ppo/advantages';
import { RolloutBuffer } from '../../src/trainer/ppo/rollout';

/** A 3-step, 2-env rollout with an episode boundary in env 1. */
function buffer(): RolloutBuffer {
  const b = new RolloutBuffer(2, 1, 1, 4);
  b.nSteps = 3;
  b.rewards.set([1, 0, 0.5, 1, 2, -1]);
  b.values.set([0.2, 0.1, 0.3, -0.2, 0.4, 0.0]);
  b.episodeStarts.set([1, 1, 0, 0, 0, 1]);
  b.lastValues.set([0.5, 0.7]);
  b.lastEpisodeStarts.set([0, 1]);
  return b;
}

const base: AdvantageConfig = { advantageEstimator: 'gae', gamma: 0.9, gaeLambda: 0.8, nStepHorizon: 2, normalizeAdvantage: 'per-minibatch' };

describe('computeAdvantages', () => {
  it('writes GAE(γ, λ) and returns = advantages + values into the buffer', () => {
    const b = buffer();
    const { advantages, returns } = computeAdvantages(base, b);
    expect(advantages.length).toBe(6);
    const expectedA = new Float32Array(6);
    const expectedR = new Float32Array(6);
    computeGae({ nSteps: 3, nEnvs: 2 }, b.rewards, b.values, b.episodeStarts, b.lastValues, b.lastEpisodeStarts, 0.9, 0.8, expectedA, expectedR);
    expect(advantages).toEqual(expectedA);
    for (let i = 0; i < 6; i++) expect(returns[i]).toBeCloseTo(advantages[i] + b.values[i], 6);
    expect(b.advantages.subarray(0, 6)).toEqual(expectedA);
    // δ of the last step of env 1, which ended an episode: r − V, no bootstrap.
    expect(advantages[5]).toBeCloseTo(-1 - 0, 6);
  });

  it('uses n-step returns when asked', () => {
    const b = buffer();
    const { advantages } = computeAdvantages({ ...base, advantageEstimator: 'nstep' }, b);
    const expectedA = new Float32Array(6);
    computeNStepReturns({ nSteps: 3, nEnvs: 2 }, b.rewards, b.values, b.episodeStarts, b.lastValues, b.lastEpisodeStarts, 0.9, 2, expectedA, new Float32Array(6));
    expect(advantages).toEqual(expectedA);
  });

  it('normalizes over the whole batch only for per-batch, keeping the returns', () => {
    const plain = computeAdvantages(base, buffer());
    const b = buffer();
    const { advantages, returns } = computeAdvantages({ ...base, normalizeAdvantage: 'per-batch' }, b);
    expect(mean(advantages)).toBeCloseTo(0, 6);
    expect(std(advantages, 1)).toBeCloseTo(1, 4); // torch's unbiased std, as SB3
    expect(returns).toEqual(plain.returns);
  });
});
