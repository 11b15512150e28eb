/**
 * Hyperparameter schedules as functions of `progressRemaining`, SB3's convention: 1 at the start of training,
 * 0 at the end (`1 - stepsDone / totalTimesteps`, updated after each rollout).
 */

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
