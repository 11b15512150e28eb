/**
 * The Hyperparameters view's data (`hparams.get`): for each run and each group, the values of the hyperparameters
 * the runs are grouped by (one axis each) and the final and best value of one metric, with the IQM of the final
 * scores over each group's runs. Groups come from `groupRuns` and final scores from `finalScore`, as Summary's do,
 * so a group's key, runs and IQM here are the ones Compare and Summary show.
 */
import type { HparamAxis, HparamGoal, HparamGroup, HparamRun, HparamsResult } from '../../core/api/contract';
import { iqm, mean } from '../../core/math/stats';
import type { ExperimentStore, ParamValue, RunRow } from '../store/types';
import { groupRuns } from './grouping';
import { finalScore } from './summary';

export interface HparamsQuery {
  /** The runs to tabulate (existing ones), in the order the result lists them. */
  runs: RunRow[];
  groupBy?: string[];
  metric: string;
  goal: HparamGoal;
}

/** A number axis spanning at least this factor between its smallest and largest value suggests a log scale. */
const LOG_SPAN = 10;

/** Contract values carry null, not NaN (NaN does not survive JSON). */
const finiteOrNull = (value: number | undefined): number | null => (value !== undefined && Number.isFinite(value) ? value : null);

/** The best of the finite values (highest for `max`, lowest for `min`), or null when there is none. */
function bestOf(values: Iterable<number>, goal: HparamGoal): number | null {
  let best: number | null = null;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (best === null || (goal === 'max' ? v > best : v < best)) best = v;
  }
  return best;
}

const meanOrNull = (xs: number[]): number | null => (xs.length > 0 ? mean(xs) : null);

/** Numbers ascending, then other values by their text (booleans, strings, lists as JSON), null last. */
function compareParamValues(a: ParamValue, b: ParamValue): number {
  const rank = (v: ParamValue): number => (v === null ? 2 : typeof v === 'number' ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** The axis of one field over the runs' values of it (see `HparamAxis`). */
function axisOf(name: string, values: ParamValue[]): HparamAxis {
  const distinct = [...new Set(values)].sort(compareParamValues);
  const numeric = distinct.every((v) => typeof v === 'number' && Number.isFinite(v));
  const numbers = distinct as number[];
  const log = numeric && numbers.length > 0 && numbers[0] > 0 && numbers[numbers.length - 1] / numbers[0] >= LOG_SPAN;
  return { name, kind: numeric ? 'number' : 'category', values: distinct, log };
}

export async function hparamsTable(store: ExperimentStore, { runs, groupBy, metric, goal }: HparamsQuery): Promise<HparamsResult> {
  const runIds = runs.map((r) => r.id);
  const params = await store.getRunParams(runIds);
  const grouping = groupRuns(runIds, params, groupBy);
  const points = new Map((await store.readMetrics({ runIds, keys: [metric] })).map((p) => [p.runId, p.values]));
  const groupOf = new Map(grouping.groups.flatMap((g) => g.runIds.map((id) => [id, g.key] as const)));

  const rows: HparamRun[] = [];
  for (const run of runs) {
    const group = groupOf.get(run.id);
    if (group === undefined) continue; // a run without stored params belongs to no group
    const values = points.get(run.id) ?? [];
    const final = finiteOrNull(finalScore(run, metric, values));
    const picked: Record<string, ParamValue> = {};
    for (const field of grouping.groupBy) picked[field] = params.get(run.id)?.values[field] ?? null;
    rows.push({
      runId: run.id,
      seed: run.seed,
      status: run.status,
      group,
      params: picked,
      final,
      // The final score is a value the run reached too (a final evaluation is not always among the logged points).
      best: bestOf(final === null ? values : [...values, final], goal),
      points: values.filter(Number.isFinite).length,
    });
  }

  const byId = new Map(rows.map((r) => [r.runId, r]));
  const groups: HparamGroup[] = grouping.groups.map((g) => {
    const members = g.runIds.map((id) => byId.get(id)).filter((r): r is HparamRun => r !== undefined);
    const finals = members.map((r) => r.final).filter((v): v is number => v !== null);
    const bests = members.map((r) => r.best).filter((v): v is number => v !== null);
    return {
      key: g.key,
      params: g.params,
      runIds: g.runIds,
      final: meanOrNull(finals),
      best: meanOrNull(bests),
      iqm: finals.length > 0 ? iqm(finals) : null,
      scored: finals.length,
    };
  });

  const axes = grouping.groupBy.map((field) => axisOf(field, rows.map((r) => r.params[field] ?? null)));
  return { metric, goal, groupBy: grouping.groupBy, axes, runs: rows, groups };
}
