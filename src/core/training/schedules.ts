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

type LearningRateFields = Pick<PpoConfig, 'totalTimesteps' | 'learningRateSchedule' | 'learningRate' | 'learningRateEnd'>;
type EntCoefFields = Pick<PpoConfig, 'totalTimesteps' | 'entCoefSchedule' | 'entCoef' | 'entCoefEnd'>;

/** SB3's `progress_remaining` after `stepsDone` environment steps: 1 at the start, 0 at the end of the budget. */
export function progressRemaining(config: Pick<PpoConfig, 'totalTimesteps'>, stepsDone: number): number {
  return 1 - stepsDone / config.totalTimesteps;
}

/** The learning rate at `stepsDone` (every algorithm; TRPO's is its critic's). */
export function scheduledLearningRate(config: LearningRateFields, stepsDone: number): number {
  return scheduleValue(config.learningRateSchedule, config.learningRate, config.learningRateEnd, progressRemaining(config, stepsDone));
}

/** The entropy coefficient at `stepsDone` (PPO, A2C, REINFORCE). */
export function scheduledEntCoef(config: EntCoefFields, stepsDone: number): number {
  return scheduleValue(config.entCoefSchedule, config.entCoef, config.entCoefEnd, progressRemaining(config, stepsDone));
}

/** The scheduled PPO coefficients at `stepsDone`: learning rate, clip range ε and entropy coefficient. */
export function scheduledValues(
  config: LearningRateFields & EntCoefFields & Pick<PpoConfig, 'clipRangeSchedule' | 'clipRange' | 'clipRangeEnd'>,
  stepsDone: number,
): { learningRate: number; clipRange: number; entCoef: number } {
  return {
    learningRate: scheduledLearningRate(config, stepsDone),
    clipRange: scheduleValue(config.clipRangeSchedule, config.clipRange, config.clipRangeEnd, progressRemaining(config, stepsDone)),
    entCoef: scheduledEntCoef(config, stepsDone),
  };
}
