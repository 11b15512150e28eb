/**
 * How runs form groups, and what a group is called: the one function every comparison view asks (Compare's
 * aggregated series and Summary's final scores), so both show the same groups, labels and order.
 *
 * - Fields: the ones asked for (sorted, duplicates dropped), or by default every field whose value differs between
 *   the runs, except the seed — so the seeds of one configuration form one group. A field missing from some runs
 *   differs too. When the runs differ in `algorithm`, the fields that follow from it (one value, or none, per
 *   algorithm: each algorithm's preset and schema) are left out of the default, so PPO vs A2C groups read
 *   `algorithm=a2c`, not every setting their presets differ in.
 * - Label: `field=value` pairs in field order joined by spaces (`entCoef=0.01 objective=clip`); strings as they
 *   are, other values as JSON. With no fields every run is in one group, `all runs`.
 * - Order: groups in the order their first run appears in `runIds`; runs within a group in `runIds` order.
 */
import type { ParamValue, RunParams } from '../store/types';

export interface RunGroup {
  /** The group's label and key, e.g. `entCoef=0.01 objective=clip`. */
  key: string;
  /** The grouping fields' values (null where a run lacks the field). */
  params: Record<string, ParamValue>;
  runIds: number[];
}

export interface RunGrouping {
  /** The fields the runs were grouped by, sorted. */
  groupBy: string[];
  groups: RunGroup[];
}

/** The label of the single group when runs are not grouped by any field. */
export const ALL_RUNS = 'all runs';

/** Fields never grouped by default: they tell runs of one configuration apart rather than configurations. */
const NOT_GROUPING = new Set(['seed']);

/** Groups `runIds` (runs missing from `params` are left out) by `groupBy`, or by default as described above. */
export function groupRuns(runIds: readonly number[], params: ReadonlyMap<number, RunParams>, groupBy?: readonly string[]): RunGrouping {
  const present = runIds.filter((id) => params.has(id));
  const fields = groupBy ? [...new Set(groupBy)].sort() : defaultGroupBy(present.map((id) => params.get(id)!));
  const groups = new Map<string, RunGroup>();
  for (const runId of present) {
    const values = params.get(runId)!.values;
    const picked: Record<string, ParamValue> = {};
    for (const field of fields) picked[field] = values[field] ?? null;
    const key = fields.length ? fields.map((f) => `${f}=${formatValue(picked[f] ?? null)}`).join(' ') : ALL_RUNS;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, params: picked, runIds: [] }));
    group.runIds.push(runId);
  }
  return { groupBy: fields, groups: [...groups.values()] };
}

function defaultGroupBy(runs: readonly RunParams[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const run of runs) {
    for (const [field, value] of Object.entries(run.values)) {
      if (NOT_GROUPING.has(field)) continue;
      let seen = values.get(field);
      if (!seen) values.set(field, (seen = new Set()));
      seen.add(JSON.stringify(value));
    }
  }
  const differing = [...values.entries()]
    .filter(([field, seen]) => seen.size > 1 || runs.some((r) => !(field in r.values)))
    .map(([field]) => field)
    .sort();
  return differing.includes(ALGORITHM) ? differing.filter((field) => field === ALGORITHM || !followsFromAlgorithm(runs, field)) : differing;
}

const ALGORITHM = 'algorithm';

/** Whether the runs of each algorithm all have one value of `field` (or all lack it). */
function followsFromAlgorithm(runs: readonly RunParams[], field: string): boolean {
  const byAlgorithm = new Map<string, string>();
  for (const run of runs) {
    const algorithm = JSON.stringify(run.values[ALGORITHM] ?? null);
    const value = field in run.values ? JSON.stringify(run.values[field]) : 'missing';
    const known = byAlgorithm.get(algorithm);
    if (known === undefined) byAlgorithm.set(algorithm, value);
    else if (known !== value) return false;
  }
  return true;
}

function formatValue(value: ParamValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
