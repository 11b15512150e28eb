/**
 * A2C (Mnih et al. 2016, the synchronous variant) as Stable-Baselines3 implements it, one iteration at a time
 * (SB3 `OnPolicyAlgorithm.collect_rollouts` + `A2C.train`): rollout of nSteps per env (truncation bootstrapped from
 * V of the final observation) → schedules → GAE(γ, λ) advantages and returns (λ = 1: bootstrapped n-step returns)
 * → optional advantage normalization over the rollout → one gradient step on the whole rollout → metrics.
 * The pieces: ppo/rollout.ts, ppo/advantages.ts, update.ts (loss in loss.ts, RMSprop in nn/rmsprop.ts).
 */
import { METRIC } from '../../core/metrics/keys';
import type { A2cConfig } from '../../core/training/config';
import { scheduledEntCoef, scheduledLearningRate } from '../../core/training/schedules';
import type { Learner } from '../learner';
import { computeAdvantages } from '../ppo/advantages';
import { commonMetrics, lossMetrics, rolloutExplainedVariance, type IterationTiming } from '../ppo/metrics';
import { collectRollout } from '../ppo/rollout';
import type { TrainingState } from '../ppo/state';
import { a2cUpdate, type A2cSchedule, type A2cUpdateStats } from './update';

export function a2cLearner(state: TrainingState<A2cConfig>): Learner {
  const { config } = state;
  return {
    // The whole rollout is the one batch of the gradient step.
    gradientRows: config.nSteps * config.nEnvs,
    // ---- Rollout: nSteps per env with the current policy ----
    collect: (rollout) => collectRollout(rollout, state.rollout, state.buffer, { kind: 'steps', nSteps: config.nSteps }),
    update: () => {
      // ---- Schedules: SB3 updates progress_remaining after the rollout, before training ----
      const schedule: A2cSchedule = {
        learningRate: scheduledLearningRate(config, state.stepsDone),
        entCoef: scheduledEntCoef(config, state.stepsDone),
      };
      // ---- Advantages: GAE(γ, λ), returns = advantages + values (the value targets); then, if on, advantage
      // normalization over the rollout, (A − mean)/(std + 1e-8) (SB3 `normalize_advantage`; the returns are unaffected) ----
      computeAdvantages({ advantageEstimator: 'gae', gamma: config.gamma, gaeLambda: config.gaeLambda, normalizeAdvantage: config.normalizeAdvantage }, state.buffer);
      // ---- Update: one gradient step on the whole rollout ----
      const stats = a2cUpdate(state, schedule);
      // ---- Metrics ----
      return { metrics: (timing) => a2cMetrics(state, stats, schedule, timing) };
    },
  };
}

/** The metric record after an A2C update: SB3's `A2C.train` keys plus the total loss, gradient norm and schedules. */
export function a2cMetrics(state: TrainingState<A2cConfig>, stats: A2cUpdateStats, schedule: A2cSchedule, timing: IterationTiming): Record<string, number> {
  return {
    ...commonMetrics(state, schedule.learningRate, timing),
    ...lossMetrics(stats),
    [METRIC.explainedVariance]: rolloutExplainedVariance(state.buffer),
    [METRIC.gradNorm]: stats.gradNorm,
    [METRIC.entCoef]: schedule.entCoef,
  };
}
