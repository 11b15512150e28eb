/**
 * Advantages and returns of a collected rollout (SB3 `RolloutBuffer.compute_returns_and_advantage`): GAE(γ, λ)
 * (Schulman et al. 2016) or n-step returns, both bootstrapped from V of the observation after the last step, and
 * returns = advantages + values (the value targets). Optionally normalized once over the whole batch; the default
 * normalizes per minibatch instead, in the update.
 */
import { computeGae, computeNStepReturns, normalizeAdvantages } from '../../core/math/returns';
import type { PpoConfig } from '../../core/training/config';
import type { RolloutBuffer } from './rollout';

/** The estimator and its parameters: PPO's config fields (A2C and TRPO pass GAE with their own λ and normalization). */
export type AdvantageConfig = Pick<PpoConfig, 'advantageEstimator' | 'gamma' | 'gaeLambda' | 'normalizeAdvantage'> & {
  /** n of the n-step estimator; required when `advantageEstimator` is 'nstep'. */
  nStepHorizon?: number;
};

/** Fills `buffer.advantages` and `buffer.returns` for its `size` transitions; returns those [size] views. */
export function computeAdvantages(config: AdvantageConfig, buffer: RolloutBuffer): { advantages: Float32Array; returns: Float32Array } {
  const shape = { nSteps: buffer.nSteps, nEnvs: buffer.nEnvs };
  const advantages = buffer.advantages.subarray(0, buffer.size);
  const returns = buffer.returns.subarray(0, buffer.size);
  const { rewards, values, episodeStarts, lastValues, lastEpisodeStarts } = buffer;
  if (config.advantageEstimator === 'gae') {
    computeGae(shape, rewards, values, episodeStarts, lastValues, lastEpisodeStarts, config.gamma, config.gaeLambda, advantages, returns);
  } else {
    if (config.nStepHorizon === undefined) throw new Error('n-step advantages need nStepHorizon');
    computeNStepReturns(shape, rewards, values, episodeStarts, lastValues, lastEpisodeStarts, config.gamma, config.nStepHorizon, advantages, returns);
  }
  if (config.normalizeAdvantage === 'per-batch') normalizeAdvantages(advantages, advantages);
  return { advantages, returns };
}
