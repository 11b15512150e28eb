/** Store rows → the contract's run and sweep summaries (ISO times, live progress, the eval roll-up). */
import type { EvalRollup, RunSummary, SweepRequest, SweepStatus, SweepSummary } from '../../core/api/contract';
import { algorithmOf } from '../../core/runs/method';
import type { ParamValue, RunRow, SweepRow } from '../store/types';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toRunSummary(
  row: RunRow,
  extras: {
    sweepName: string | null;
    params: Record<string, ParamValue>;
    evalRollup: number | null;
    live: { stepsDone: number; fps: number | null; etaSeconds: number | null } | null;
  },
): RunSummary {
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
    fps: extras.live?.fps ?? null,
    etaSeconds: extras.live?.etaSeconds ?? null,
    finalEval: row.finalEval,
    evalRollup: extras.evalRollup,
    params: extras.params,
    tags: row.tags,
    notes: row.notes,
    hidden: row.hidden,
  };
}

export function toSweepSummary(row: SweepRow): SweepSummary {
  return {
    id: row.id,
    name: row.name,
    envId: row.envId,
    status: sweepStatus(row),
    createdAt: iso(row.createdAt) as string,
    spec: row.spec as SweepRequest,
    counts: row.counts,
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
