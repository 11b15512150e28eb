/**
 * Pure helpers of the Runs table: which hyperparameter columns to show, client-side sorting, the watched figures
 * (current return, steps per second, elapsed time) and applying live progress events to rows. Sort keys are
 * RunSummary fields, `method` (algorithm · objective), `return`, `elapsed` or `param:<field>` for a hyperparameter
 * column.
 */
import type { ApiEvent, RunStatus, RunSummary } from '../../../../core/api/contract';
import { methodLabel } from '../../../../core/runs/method';
import { formatNumber } from '../format';

export type SortDir = 'asc' | 'desc';
export interface SortSpec {
  by: string;
  dir: SortDir;
}

/**
 * Hyperparameter columns: param keys the runs have (never the seed, nor `algorithm` and `objective`: the method column shows them),
 * those whose values differ between the runs first, then the most common, then by name; at most `max`.
 */
export function paramColumns(runs: readonly RunSummary[], max = 5): string[] {
  const values = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  for (const run of runs) {
    for (const [key, value] of Object.entries(run.params)) {
      if (key === 'seed' || key === 'objective' || key === 'algorithm') continue;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (!values.has(key)) values.set(key, new Set());
      values.get(key)?.add(JSON.stringify(value));
    }
  }
  const varies = (key: string): number => ((values.get(key)?.size ?? 0) > 1 || (counts.get(key) ?? 0) < runs.length ? 1 : 0);
  return [...counts.keys()]
    .sort((a, b) => varies(b) - varies(a) || (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b))
    .slice(0, max);
}

/** Param keys (not the seed) whose values differ between the runs, or that only some runs have; sorted. */
export function variedParams(runs: readonly RunSummary[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const run of runs) {
    for (const [key, value] of Object.entries(run.params)) {
      if (key === 'seed') continue;
      if (!values.has(key)) values.set(key, new Set());
      values.get(key)?.add(JSON.stringify(value));
    }
  }
  return [...values.keys()].filter((key) => (values.get(key)?.size ?? 0) > 1 || runs.some((r) => !(key in r.params))).sort();
}

/**
 * Wall seconds the run has trained: from its start to its end, or to `nowMs` while it has not ended; null before it
 * started. (A resumed run counts from its latest start.)
 */
export function elapsedSeconds(run: Pick<RunSummary, 'startedAt' | 'finishedAt'>, nowMs: number): number | null {
  if (run.startedAt === null) return null;
  const start = Date.parse(run.startedAt);
  const end = run.finishedAt === null ? nowMs : Date.parse(run.finishedAt);
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, (end - start) / 1000) : null;
}

/** Steps per second as a whole number with thousands separators (`1,234`); an em dash when unknown. */
export function formatRate(fps: number | null): string {
  return fps === null || !Number.isFinite(fps) ? '—' : formatNumber(Math.round(fps));
}

function sortValue(run: RunSummary, by: string, nowMs: number): unknown {
  if (by.startsWith('param:')) return run.params[by.slice('param:'.length)];
  if (by === 'return') return run.latestReturn?.value ?? null;
  if (by === 'elapsed') return elapsedSeconds(run, nowMs);
  if (by === 'progress') return run.totalTimesteps > 0 ? run.stepsDone / run.totalTimesteps : 0;
  if (by === 'method') return methodLabel(run.algorithm, run.objective);
  return (run as unknown as Record<string, unknown>)[by];
}

/** Nulls and missing values sort last in either direction; numbers numerically; everything else as text. */
export function compareValues(a: unknown, b: unknown): number {
  const aMissing = a === null || a === undefined || (typeof a === 'number' && Number.isNaN(a));
  const bMissing = b === null || b === undefined || (typeof b === 'number' && Number.isNaN(b));
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function sortRuns(runs: readonly RunSummary[], sort: SortSpec, nowMs = Date.now()): RunSummary[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...runs].sort((r, s) => {
    const a = sortValue(r, sort.by, nowMs);
    const b = sortValue(s, sort.by, nowMs);
    const missing = (v: unknown): boolean => v === null || v === undefined;
    // Missing values stay last whatever the direction.
    if (missing(a) || missing(b)) return compareValues(a, b) || r.id - s.id;
    return sign * compareValues(a, b) || r.id - s.id;
  });
}

/** Next sort when a column header is clicked: same column flips, another column starts descending for numbers. */
export function nextSort(current: SortSpec, by: string): SortSpec {
  if (current.by === by) return { by, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { by, dir: 'asc' };
}

/**
 * Applies one live event to a row, returning a new row when it changed (or the same object when it did not).
 * `run.metrics` events do not change rows; `runs.list` is fetched again for those (throttled).
 */
export function applyRunEvent(run: RunSummary, event: ApiEvent): RunSummary {
  if (!('runId' in event) || event.runId !== run.id) return run;
  if (event.type === 'run.progress') {
    return { ...run, status: run.status === 'queued' ? 'running' : run.status, stepsDone: event.stepsDone, totalTimesteps: event.totalSteps, fps: event.fps, etaSeconds: event.etaSeconds };
  }
  if (event.type === 'run.status') {
    return { ...run, status: event.status as RunStatus, error: event.error ?? run.error };
  }
  return run;
}

/** Parses a comma-separated tag list: trimmed, non-empty, unique, in order. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t.length > 0))];
}
