/**
 * TRPO (Schulman et al. 2015) as sb3-contrib implements it (sb3_contrib/trpo/trpo.py `TRPO.train`), one iteration at
 * a time: rollout of nSteps per env → advantages GAE(γ, λ) → one natural-gradient policy step in the KL trust region
 * (conjugate gradient + backtracking line search, policy-step.ts) → nCriticUpdates passes of minibatch Adam on the
 * value loss (critic.ts) → metrics. No entropy bonus, no gradient clipping, one optimizer for the critic alone.
 */
import { DEFAULT_CLIP_FRACTION_RANGE, epochRatioStats, ratioDistributionMetrics, ratioHistogram } from '../../core/metrics/ratio-stats';
import type { TrpoConfig } from '../../core/training/config';
import { scheduledLearningRate } from '../../core/training/schedules';
import type { Learner } from '../learner';
import { computeAdvantages } from '../ppo/advantages';
import { collectRollout } from '../ppo/rollout';
import type { TrainingState } from '../ppo/state';
import { criticUpdate } from './critic';
import { trpoMetrics } from './metrics';
import { gatherPolicyBatch, policyBatch, policyRows, policyStep } from './policy-step';

export function trpoLearner(state: TrainingState<TrpoConfig>): Learner {
  const { config, layout, distribution } = state;
  const batch = policyBatch(policyRows(config.nSteps * config.nEnvs, config.subSamplingFactor), layout.spec.obsDim, distribution.actionDim);
  return {
    gradientRows: batch.size,
    // ---- Rollout: nSteps per env with the current policy (truncation bootstrapped from V, as SB3) ----
    collect: (rollout) => collectRollout(rollout, state.rollout, state.buffer, { kind: 'steps', nSteps: config.nSteps }),
    update: () => {
      // ---- Schedule: the critic's learning rate at progress_remaining = 1 − stepsDone / totalTimesteps (SB3 _update_learning_rate) ----
      const learningRate = scheduledLearningRate(config, state.stepsDone);
      // ---- Advantages: GAE(γ, λ), returns = advantages + values; normalized over the policy step's batch below ----
      computeAdvantages({ advantageEstimator: 'gae', gamma: config.gamma, gaeLambda: config.gaeLambda, nStepHorizon: 1, normalizeAdvantage: 'off' }, state.buffer);
      // ---- Policy step: surrogate gradient, CG search direction, line search within targetKl ----
      gatherPolicyBatch(state.buffer, config.subSamplingFactor, config.normalizeAdvantage, state.prng, batch);
      const policy = policyStep(layout, distribution, state.params, batch, config, state.prng);
      // The ratios at the step taken, as one "epoch" of the Learn view's statistics (TRPO has no clip range: ε = 0.2).
      const distributions = ratioDistributionMetrics([epochRatioStats(policy.ratios, DEFAULT_CLIP_FRACTION_RANGE)], ratioHistogram(policy.ratios));
      // ---- Critic: nCriticUpdates shuffled passes of minibatch Adam on MSE(returns, V), value-only parameters ----
      const valueLoss = criticUpdate(state, learningRate);
      state.nUpdates += 1;
      // ---- Metrics ----
      return { metrics: (timing) => trpoMetrics(state, policy, valueLoss, learningRate, timing), distributions };
    },
  };
}
