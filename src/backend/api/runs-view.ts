/** Store rows → the contract's run and sweep summaries (ISO times, live progress, the eval roll-up). */
import type { EvalRollup, RunSummary, SweepRequest, SweepStatus, SweepSummary } from '../../core/api/contract';
import { algorithmOf } from '../../core/runs/method';
import { METRIC } from '../../core/metrics/keys';
import type { LatestMetric, ParamValue, RunRow, SweepRow } from '../store/types';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toRunSummary(
  row: RunRow,
  extras: {
    sweepName: string | null;
    params: Record<string, ParamValue>;
    evalRollup: number | null;
    live: { stepsDone: number; fps: number | null; etaSeconds: number | null } | null;
    /** The run's latest points of LATEST_KEYS. */
    latest: readonly LatestMetric[];
  },
): RunSummary {
  const latest = (key: string): LatestMetric | undefined => extras.latest.find((m) => m.key === key);
  const current = latest(METRIC.epReturnMean) ?? latest(METRIC.evalMeanReturn);
  return {
    id: row.id,
    sweepId: row.sweepId,
    sweepName: extras.sweepName,
    envId: row.envId,
    seed: row.seed,
    algorithm: algorithmOf(row.config),
    objective: row.objective,
    status: row.status,
    error: row.error,
    backend: row.backend,
    proximaVersion: row.proximaVersion,
    createdAt: iso(row.createdAt) as string,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    totalTimesteps: row.totalTimesteps,
    stepsDone: extras.live ? Math.max(extras.live.stepsDone, row.stepsDone) : row.stepsDone,
    fps: extras.live?.fps ?? latest(METRIC.fps)?.value ?? null,
    etaSeconds: extras.live?.etaSeconds ?? null,
    finalEval: row.finalEval,
    evalRollup: extras.evalRollup,
    latestReturn: current ? { key: current.key, value: current.value, step: current.step } : null,
    params: extras.params,
    tags: row.tags,
    notes: row.notes,
    hidden: row.hidden,
  };
}

/** The metric keys whose latest points a run summary shows (current return, steps per second). */
export const LATEST_KEYS: readonly string[] = [METRIC.epReturnMean, METRIC.evalMeanReturn, METRIC.fps];

/** A running trial of a sweep as the queue sees it: stored steps may lag its live ones. */
export interface LiveTrial {
  stepsDone: number;
  storedStepsDone: number;
  fps: number | null;
}

/**
 * `running`: the sweep's trials training now. The ETA is the steps left over the running trials' summed pace, plus
 * each queued trial's start-up spread over the trainers that run at once.
 */
export function toSweepSummary(row: SweepRow, running: readonly LiveTrial[] = [], startupSeconds = 0, concurrency = 1): SweepSummary {
  const stepsDone = row.steps.done + running.reduce((sum, t) => sum + Math.max(0, t.stepsDone - t.storedStepsDone), 0);
  const pace = running.reduce((sum, t) => sum + (t.fps ?? 0), 0);
  const left = Math.max(0, row.steps.total - stepsDone);
  const etaSeconds = pace > 0 ? left / pace + (row.counts.queued * startupSeconds) / Math.max(1, concurrency) : null;
  return {
    id: row.id,
    name: row.name,
    envId: row.envId,
    status: sweepStatus(row),
    createdAt: iso(row.createdAt) as string,
    spec: row.spec as SweepRequest,
    counts: row.counts,
    progress: { stepsDone: Math.min(stepsDone, row.steps.total), totalSteps: row.steps.total, etaSeconds },
  };
}

/** Rolls a run's evaluation returns (ascending by step) up into one number. */
export function rollUp(values: ArrayLike<number>, rollup: EvalRollup): number | null {
  const finite = Array.from(values).filter(Number.isFinite);
  if (finite.length === 0) return null;
  switch (rollup.kind) {
    case 'last':
      return finite[finite.length - 1] as number;
    case 'best':
      return Math.max(...finite);
    case 'mean-last-n': {
      const tail = finite.slice(-rollup.n);
      return tail.reduce((a, b) => a + b, 0) / tail.length;
    }
  }
}

/** A sweep's status as its runs tell it: running while any run waits or trains, else how its runs ended. */
function sweepStatus(row: SweepRow): SweepStatus {
  const c = row.counts;
  if (row.status === 'cancelled') return 'cancelled';
  if (c.running > 0 || c.queued > 0) return 'running';
  if (c.failed > 0) return 'finished with failures';
  if (c.interrupted > 0) return 'interrupted';
  return 'completed';
}
