/**
 * PPO (Schulman et al. 2017) as Stable-Baselines3 and CleanRL implement it, one iteration at a time: rollout of
 * nSteps per env (or whole episodes) → schedules → advantages → update (epochs of shuffled minibatches) → metrics.
 * Each step is its own function: rollout.ts, advantages.ts, update.ts (loss in losses.ts), metrics.ts.
 */
import type { PpoConfig } from '../../core/training/config';
import { scheduledValues } from '../../core/training/schedules';
import type { Learner } from '../learner';
import { computeAdvantages } from './advantages';
import { logMetrics } from './metrics';
import { collectRollout } from './rollout';
import type { TrainingState } from './state';
import { update } from './update';
import { relabelRollout } from '../rlhf/preference-reward';
import { preferenceMetrics } from '../rlhf/metrics';

/** Longest whole-episode rollout per env (`rolloutMode: 'episodes'`), a guard against an episode that never ends. */
const EPISODES_MODE_MAX_STEPS = 100_000;

export function ppoLearner(state: TrainingState<PpoConfig>): Learner {
  const { config } = state;
  const length = config.rolloutMode === 'episodes'
    ? { kind: 'episodes' as const, maxSteps: EPISODES_MODE_MAX_STEPS }
    : { kind: 'steps' as const, nSteps: config.nSteps };
  return {
    gradientRows: config.batchSize,
    // ---- Rollout: nSteps per env (or whole episodes) with the current policy ----
    collect: (rollout) => collectRollout(rollout, state.rollout, state.buffer, length),
    update: () => {
      // ---- Schedules: SB3 updates progress_remaining after the rollout, before training ----
      const schedule = scheduledValues(config, state.stepsDone);
      // ---- Learned reward (rewardSource 'preferences'): new labels, reward-model training, rollout rewards r̂ ----
      const preferences = state.preferenceReward ? relabelRollout(state.preferenceReward, config, state.buffer) : null;
      // ---- Advantages: GAE(γ, λ) or n-step; returns = advantages + values ----
      computeAdvantages(config, state.buffer);
      // ---- Update: epochs of shuffled minibatches, one Adam step each; target-KL stop; adaptive β ----
      const stats = update(state, schedule);
      // ---- Metrics ----
      return {
        metrics: (timing) => ({ ...logMetrics(state, stats, schedule, timing), ...(preferences ? preferenceMetrics(preferences) : {}) }),
        distributions: stats.distributions,
      };
    },
  };
}
