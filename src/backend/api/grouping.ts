/**
 * Groups runs by hyperparameters, as the comparison views do: by the fields asked for, or by default by every
 * field whose value differs between the runs except the seed — so the seeds of one configuration form one group.
 */
import type { ParamValue, RunParams } from '../store/types';

export interface RunGroup {
  /** Stable label, e.g. `entCoef=0.01 objective=clip` (fields sorted). */
  key: string;
  params: Record<string, ParamValue>;
  runIds: number[];
}

/** Fields never grouped by default: they tell runs of one configuration apart rather than configurations. */
const NOT_GROUPING = new Set(['seed']);

export function defaultGroupBy(params: Map<number, RunParams>): string[] {
  const values = new Map<string, Set<string>>();
  const runs = [...params.values()];
  for (const run of runs) {
    for (const [field, value] of Object.entries(run.values)) {
      if (NOT_GROUPING.has(field)) continue;
      let seen = values.get(field);
      if (!seen) values.set(field, (seen = new Set()));
      seen.add(JSON.stringify(value));
    }
  }
  // A field missing from some runs also differs between them.
  return [...values.entries()]
    .filter(([field, seen]) => seen.size > 1 || runs.some((r) => !(field in r.values)))
    .map(([field]) => field)
    .sort();
}

export function groupRuns(runIds: number[], params: Map<number, RunParams>, groupBy: string[]): RunGroup[] {
  const fields = [...groupBy].sort();
  const groups = new Map<string, RunGroup>();
  for (const runId of runIds) {
    const values = params.get(runId)?.values ?? {};
    const picked: Record<string, ParamValue> = {};
    for (const field of fields) picked[field] = values[field] ?? null;
    const key = fields.length ? fields.map((f) => `${f}=${formatValue(picked[f] ?? null)}`).join(' ') : 'all runs';
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, params: picked, runIds: [] }));
    group.runIds.push(runId);
  }
  return [...groups.values()];
}

function formatValue(value: ParamValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
