/**
 * Hyperparameter schedules as functions of `progressRemaining`, SB3's convention: 1 at the start of training,
 * 0 at the end (`1 - stepsDone / totalTimesteps`, updated after each rollout).
 */
import type { PpoConfig } from './config';

/** How a scheduled hyperparameter moves from its start value to its end value. */
export type ScheduleKind = 'constant' | 'linear' | 'exponential';

/**
 * The value of a schedule at `progressRemaining` ∈ [0, 1].
 * - constant: `start`.
 * - linear: `end + (start - end) · progressRemaining` (SB3's `lin_X` is linear with end = 0).
 * - exponential: geometric decay `start · (end / start)^(1 - progressRemaining)`; needs start, end > 0.
 */
export function scheduleValue(kind: ScheduleKind, start: number, end: number, progressRemaining: number): number {
  const p = Math.min(1, Math.max(0, progressRemaining));
  switch (kind) {
    case 'constant':
      return start;
    case 'linear':
      return end + (start - end) * p;
    case 'exponential':
      return start * Math.pow(end / start, 1 - p);
  }
}

/** The scheduled PPO coefficients at `stepsDone`: learning rate, clip range ε and entropy coefficient. */
export function scheduledValues(
  config: Pick<PpoConfig, 'totalTimesteps' | 'learningRateSchedule' | 'learningRate' | 'learningRateEnd' | 'clipRangeSchedule' | 'clipRange' | 'clipRangeEnd' | 'entCoefSchedule' | 'entCoef' | 'entCoefEnd'>,
  stepsDone: number,
): { learningRate: number; clipRange: number; entCoef: number } {
  const progressRemaining = 1 - stepsDone / config.totalTimesteps;
  return {
    learningRate: scheduleValue(config.learningRateSchedule, config.learningRate, config.learningRateEnd, progressRemaining),
    clipRange: scheduleValue(config.clipRangeSchedule, config.clipRange, config.clipRangeEnd, progressRemaining),
    entCoef: scheduleValue(config.entCoefSchedule, config.entCoef, config.entCoefEnd, progressRemaining),
  };
}
