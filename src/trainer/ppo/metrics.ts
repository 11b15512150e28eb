/**
 * The metrics of one iteration (SB3's `logger.record` calls at the end of `PPO.train` and `_dump_logs`), keyed by
 * METRIC with the meanings of core/metrics/keys.ts.
 */
import { explainedVariance } from '../../core/math/returns';
import { mean } from '../../core/math/stats';
import { METRIC } from '../../core/metrics/keys';
import type { TrainingState } from './state';
import type { UpdateSchedule, UpdateStats } from './update';

/** Wall-clock figures of the iteration, measured by the loop. */
export interface IterationTiming {
  fps: number;
  rolloutSeconds: number;
  updateSeconds: number;
}

/** The metric record after an update: losses and diagnostics, schedules, counters, timing, episode statistics. */
export function logMetrics(state: TrainingState, stats: UpdateStats, schedule: UpdateSchedule, timing: IterationTiming): Record<string, number> {
  const { buffer, layout, params, recentEpisodes } = state;
  const metrics: Record<string, number> = {
    [METRIC.policyLoss]: stats.policyLoss,
    [METRIC.valueLoss]: stats.valueLoss,
    [METRIC.entropy]: stats.entropy,
    [METRIC.entropyLoss]: -stats.entropy,
    [METRIC.loss]: stats.loss,
    [METRIC.approxKl]: stats.approxKl,
    [METRIC.approxKlK1]: stats.approxKlK1,
    [METRIC.clipFraction]: stats.clipFraction,
    [METRIC.ratioMean]: stats.ratioMean,
    [METRIC.ratioMax]: stats.ratioMax,
    [METRIC.explainedVariance]: explainedVariance(buffer.values.subarray(0, buffer.size), buffer.returns.subarray(0, buffer.size)),
    [METRIC.beta]: stats.beta,
    [METRIC.learningRate]: schedule.learningRate,
    [METRIC.clipRange]: schedule.clipRange,
    [METRIC.gradNorm]: stats.gradNorm,
    [METRIC.entCoef]: schedule.entCoef,
    [METRIC.nUpdates]: state.nUpdates,
    [METRIC.epochsDone]: stats.epochsDone,
    [METRIC.fps]: timing.fps,
    [METRIC.rolloutSeconds]: timing.rolloutSeconds,
    [METRIC.updateSeconds]: timing.updateSeconds,
    [METRIC.totalTimesteps]: state.stepsDone,
  };
  if (!Number.isNaN(stats.klAfter)) metrics[METRIC.klAfterUpdate] = stats.klAfter;
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
