/**
 * Checks a demonstration template's claim (`SweepTemplate.expect` in src/core/sweep/templates.ts, the thresholds'
 * one home) against the trials `bench/demos.ts` ran: which seeds meet the criterion, and whether each grid value's
 * count is within its bounds.
 */
import { firstCollapse } from '../src/core/math/collapse';
import { METRIC } from '../src/core/metrics/keys';
import type { AxisValue } from '../src/core/sweep/spec';
import type { DemoCriterion, DemoExpectation } from '../src/core/sweep/templates';

/** One finished trial: its grid values, seed, periodic evaluations in step order and per-update metrics. */
export interface DemoTrial {
  params: Record<string, unknown>;
  seed: number;
  evaluations: { step: number; mean: number }[];
  updates: Record<string, number>[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The median `train/kl_after_update` over the second half of a trial's updates (NaN without any). */
export function secondHalfKl(trial: Pick<DemoTrial, 'updates'>): number {
  const kls = trial.updates.slice(Math.floor(trial.updates.length / 2)).map((u) => u[METRIC.klAfterUpdate]).filter(Number.isFinite);
  return kls.length > 0 ? median(kls) : NaN;
}

/** Whether one trial meets `criterion` (see `DemoCriterion`). */
export function meetsCriterion(criterion: DemoCriterion, trial: DemoTrial): boolean {
  const curve = trial.evaluations.map((e) => e.mean);
  switch (criterion.kind) {
    case 'collapse':
      return firstCollapse(curve, criterion) !== null;
    case 'reaches':
      return curve.some((value) => value > criterion.above);
    case 'kl-tracks': {
      const target = Number(trial.params['klTarget']);
      const kl = secondHalfKl(trial);
      return kl >= target / criterion.band && kl <= target * criterion.band;
    }
  }
}

export interface DemoVerdict {
  value: AxisValue;
  /** Seeds of this value that ran, and how many of them meet the criterion. */
  seeds: number;
  meeting: number;
  atLeast?: number;
  atMost?: number;
  /** Within the bounds; null when fewer seeds ran than the template states (its bounds are for all of them). */
  pass: boolean | null;
}

/** Per grid value of `axis` the expectation names: the count of trials meeting its criterion, against its bounds. */
export function checkDemo(expectation: DemoExpectation, axis: string, trials: readonly DemoTrial[], templateSeeds: number): DemoVerdict[] {
  return expectation.seedsMeeting.map(({ value, atLeast, atMost }) => {
    const own = trials.filter((t) => JSON.stringify(t.params[axis]) === JSON.stringify(value));
    const meeting = own.filter((t) => meetsCriterion(expectation.criterion, t)).length;
    const complete = own.length >= templateSeeds;
    const pass = complete ? (atLeast === undefined || meeting >= atLeast) && (atMost === undefined || meeting <= atMost) : null;
    return { value, seeds: own.length, meeting, ...(atLeast !== undefined ? { atLeast } : {}), ...(atMost !== undefined ? { atMost } : {}), pass };
  });
}

/** One line per verdict: `entCoef=0.2: 5 of 5 seeds meet (need ≥ 4) PASS`. */
export function formatVerdict(axis: string, verdict: DemoVerdict): string {
  const bounds = [verdict.atLeast !== undefined ? `≥ ${verdict.atLeast}` : null, verdict.atMost !== undefined ? `≤ ${verdict.atMost}` : null].filter(Boolean).join(', ');
  const status = verdict.pass === null ? 'not checked (not all seeds ran)' : verdict.pass ? 'PASS' : 'FAIL';
  return `${axis}=${JSON.stringify(verdict.value)}: ${verdict.meeting} of ${verdict.seeds} seeds meet (need ${bounds}) ${status}`;
}
