/**
 * The metrics of one iteration (SB3's `logger.record` calls at the end of `PPO.train` and `_dump_logs`), keyed by
 * METRIC with the meanings of core/metrics/keys.ts. `commonMetrics` is what every algorithm logs (SB3
 * `_dump_logs` and the `train/std`, `train/learning_rate` lines every `train` has); `logMetrics` adds PPO's.
 */
import { explainedVariance } from '../../core/math/returns';
import { mean } from '../../core/math/stats';
import type { PpoConfig } from '../../core/training/config';
import { METRIC } from '../../core/metrics/keys';
import type { IterationTiming } from '../learner';
import type { TrainingState } from './state';
import { KL_OBJECTIVES } from './losses';
import type { UpdateSchedule, UpdateStats } from './update';

export type { IterationTiming } from '../learner';


/** Timing, counters, learning rate, policy std and the episode window: the metrics every algorithm logs. */
export function commonMetrics(state: TrainingState, learningRate: number, timing: IterationTiming): Record<string, number> {
  const { layout, params, recentEpisodes } = state;
  const metrics: Record<string, number> = {
    [METRIC.learningRate]: learningRate,
    [METRIC.nUpdates]: state.nUpdates,
    [METRIC.fps]: timing.fps,
    [METRIC.rolloutSeconds]: timing.rolloutSeconds,
    [METRIC.updateSeconds]: timing.updateSeconds,
    [METRIC.totalTimesteps]: state.stepsDone,
  };
  if (layout.logStd) {
    let s = 0;
    for (let i = 0; i < layout.logStd.size; i++) s += Math.exp(params[layout.logStd.offset + i]);
    metrics[METRIC.std] = s / layout.logStd.size;
  }
  if (recentEpisodes.returns.length > 0) {
    metrics[METRIC.epReturnMean] = mean(recentEpisodes.returns);
    metrics[METRIC.epLengthMean] = mean(recentEpisodes.lengths);
  }
  return metrics;
}

/**
 * Explained variance of the rollout-time values against the returns they were fit to (SB3
 * `explained_variance(rollout_buffer.values, rollout_buffer.returns)`), for the algorithms with fixed-length rollouts.
 */
export function rolloutExplainedVariance(buffer: TrainingState['buffer']): number {
  return explainedVariance(buffer.values.subarray(0, buffer.size), buffer.returns.subarray(0, buffer.size));
}

/** The losses of one loss on policy, value and entropy (PPO, A2C), under SB3's keys; entropy_loss = −entropy. */
export function lossMetrics(stats: { policyLoss: number; valueLoss: number; entropy: number; loss: number }): Record<string, number> {
  return {
    [METRIC.policyLoss]: stats.policyLoss,
    [METRIC.valueLoss]: stats.valueLoss,
    [METRIC.entropy]: stats.entropy,
    [METRIC.entropyLoss]: -stats.entropy,
    [METRIC.loss]: stats.loss,
  };
}

/** The metric record after a PPO update: losses and diagnostics, schedules, counters, timing, episode statistics. */
export function logMetrics(state: TrainingState<PpoConfig>, stats: UpdateStats, schedule: UpdateSchedule, timing: IterationTiming): Record<string, number> {
  const metrics: Record<string, number> = {
    ...commonMetrics(state, schedule.learningRate, timing),
    ...lossMetrics(stats),
    [METRIC.approxKl]: stats.approxKl,
    [METRIC.approxKlK1]: stats.approxKlK1,
    [METRIC.clipFraction]: stats.clipFraction,
    [METRIC.ratioMean]: stats.ratioMean,
    [METRIC.ratioMax]: stats.ratioMax,
    [METRIC.explainedVariance]: rolloutExplainedVariance(state.buffer),
    [METRIC.clipRange]: schedule.clipRange,
    [METRIC.gradNorm]: stats.gradNorm,
    [METRIC.entCoef]: schedule.entCoef,
    [METRIC.epochsDone]: stats.epochsDone,
  };
  // β only means something where the loss has a KL term; a clip or unclipped run logs none rather than a flat 1.
  if (KL_OBJECTIVES.has(state.config.objective)) metrics[METRIC.beta] = stats.beta;
  if (!Number.isNaN(stats.klAfter)) metrics[METRIC.klAfterUpdate] = stats.klAfter;
  return metrics;
}
