/**
 * GRPO (Shao et al. 2024, DeepSeekMath §4.1) for control, one iteration at a time: groups of whole episodes, each
 * group from one start state (collect.ts) → schedules → group advantages, no value network → epochs of minibatches
 * on the clipped ratio plus β·KL to a reference policy (update.ts, loss.ts) → the reference refresh → metrics.
 * DeepSeekMath's "question" is a start state here and its G sampled outputs are G episodes from it.
 */
import { METRIC } from '../../core/metrics/keys';
import type { GrpoConfig } from '../../core/training/config';
import { scheduledEntCoef, scheduledLearningRate } from '../../core/training/schedules';
import type { IterationTiming, Learner } from '../learner';
import { commonMetrics } from '../ppo/metrics';
import type { TrainingState } from '../ppo/state';
import { collectGroups, type GroupBatch } from './collect';
import { grpoUpdate, type GrpoUpdateStats } from './update';

/** Cap on the rows the backend is proven and timed on. */
const GRADIENT_ROWS_CAP = 1024;

export function grpoLearner(state: TrainingState<GrpoConfig>): Learner {
  const { config } = state;
  let batch: GroupBatch | null = null;
  return {
    // A minibatch when the batch's episodes run to the time limit (late training), capped: a representative size.
    gradientRows: Math.min(Math.ceil((config.groupSize * config.groupsPerUpdate * state.env.maxEpisodeSteps) / config.nMinibatches), GRADIENT_ROWS_CAP),
    // ---- Rollout: groupsPerUpdate groups of groupSize episodes, each group from its own start state ----
    collect: (rollout) => {
      batch = collectGroups(rollout, state.env, state.rollout, state.buffer, config.groupSize, config.groupsPerUpdate);
      return batch.envSteps;
    },
    update: () => {
      if (batch === null) throw new Error('grpo: update before a batch was collected');
      const collected = batch;
      // ---- Schedules: progress_remaining after the batch, before training (SB3's convention) ----
      const learningRate = scheduledLearningRate(config, state.stepsDone);
      const entCoef = scheduledEntCoef(config, state.stepsDone);
      // ---- Advantages, epochs of minibatches, reference refresh ----
      const stats = grpoUpdate(state, collected, learningRate, entCoef);
      // ---- Metrics ----
      return { metrics: (timing) => grpoMetrics(state, collected, stats, learningRate, entCoef, timing), distributions: stats.distributions };
    },
  };
}

/** The metric record after a GRPO update (no value loss or explained variance: there is no critic). */
export function grpoMetrics(
  state: TrainingState<GrpoConfig>,
  batch: GroupBatch,
  stats: GrpoUpdateStats,
  learningRate: number,
  entCoef: number,
  timing: IterationTiming,
): Record<string, number> {
  return {
    ...commonMetrics(state, learningRate, timing),
    [METRIC.policyLoss]: stats.policyLoss,
    [METRIC.entropy]: stats.entropy,
    [METRIC.entropyLoss]: -stats.entropy,
    [METRIC.loss]: stats.loss,
    [METRIC.approxKl]: stats.approxKl,
    [METRIC.clipFraction]: stats.clipFraction,
    [METRIC.ratioMean]: stats.ratioMean,
    [METRIC.ratioMax]: stats.ratioMax,
    [METRIC.clipRange]: state.config.clipRange,
    [METRIC.gradNorm]: stats.gradNorm,
    [METRIC.entCoef]: entCoef,
    [METRIC.groupReturnMean]: stats.groupReturnMean,
    [METRIC.groupReturnStd]: stats.groupReturnStd,
    [METRIC.zeroSpreadFraction]: stats.zeroSpreadFraction,
    [METRIC.referenceKl]: stats.referenceKl,
    [METRIC.episodesPerUpdate]: batch.groups.length * state.config.groupSize,
    [METRIC.discardedSteps]: batch.discardedSteps,
  };
}
