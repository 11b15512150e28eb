/**
 * Metric series for charts, computed from a store's full-resolution points: per-run series on the chosen x,
 * downsampled keeping extremes, and series grouped by hyperparameters (`groupRuns`) and aggregated over each
 * group's runs (seeds) on that same x, optionally smoothed per run first.
 *
 * The x axes, per run:
 * - `step`: the env step a point was logged at.
 * - `update`: the number of the update whose rollout the point belongs to. A run's updates are the steps of its
 *   update timeline (`time/fps`, which every algorithm logs once per update; a run without it falls back on the
 *   key's own distinct steps). Episodes finished in the rollout of update u and the evaluation after it are at u;
 *   a step between two updates' steps is interpolated linearly.
 * - `wall`: seconds since the run started (else since its first timed point); points without a wall time are left out.
 * Seeds differ in their updates' steps and wall times, so each run is put on the chosen x first and then the
 * runs are aggregated on the union of their x values, each interpolated linearly (`aggregateSeries`).
 */
import type { XAxis } from '../../core/api/contract';
import { aggregateSeries, type AggregatedSeries } from '../../core/math/aggregate';
import { downsample, type DownsampleMethod } from '../../core/math/downsample';
import { debiasedEma } from '../../core/math/smoothing';
import type { BootstrapOptions } from '../../core/math/stats';
import { METRIC } from '../../core/metrics/keys';
import type { ExperimentStore, MetricPoints, ParamValue } from '../store/types';
import { groupRuns, type RunGroup } from './grouping';

export interface SeriesQuery {
  runIds: number[];
  keys: string[];
  /** Per-series point budget (≥ 4); default 1,000. The first, last, min and max points are always kept. */
  maxPoints?: number;
  /** Default `step`. */
  x?: XAxis;
  /** Default `minmax` (min and max per bucket). */
  method?: DownsampleMethod;
}

export interface RunSeries {
  runId: number;
  key: string;
  x: Float64Array;
  y: Float64Array;
  /** Points stored before downsampling. */
  stored: number;
}

export interface AggregatedSeriesQuery {
  runIds: number[];
  keys: string[];
  /** Param keys to group runs by; default: every param whose value differs between the runs, except `seed`. */
  groupBy?: string[];
  /** Per-group point budget (≥ 4); default 500. */
  maxPoints?: number;
  /** TensorBoard debiased-EMA weight in [0, 1) applied to each run at full resolution before aggregating; default 0. */
  smoothing?: number;
  /** Adds a bootstrap CI of the mean (`ciLow`/`ciHigh`). */
  ci?: BootstrapOptions;
  /** The x axis the runs are aligned on before aggregating; default `step`. */
  x?: XAxis;
}

export interface AggregatedGroupSeries extends AggregatedSeries {
  /** The group's label (`groupRuns`). */
  group: string;
  /** The grouping params' values. */
  params: Record<string, ParamValue>;
  /** Runs of the group that have at least one point of `key`. */
  runIds: number[];
  key: string;
}

export interface AggregatedResult {
  /** The fields the runs were grouped by, sorted. */
  groupBy: string[];
  series: AggregatedGroupSeries[];
}

/** One run's points of one key on an x axis, at full resolution, x non-decreasing. */
export interface AxisSeries {
  x: number[];
  y: number[];
  /** Points stored (before points without a wall time are left out). */
  stored: number;
}

/** runId → key → series on the chosen x. */
export type AxisSeriesIndex = Map<number, Map<string, AxisSeries>>;

/**
 * The update number of each of `steps` given the run's update steps (ascending, distinct): the k-th update's step
 * is k, steps in between are interpolated linearly (from step 0 = update 0), steps past the last update go on at
 * the last rollout's size.
 */
export function updateNumbers(steps: readonly number[], updateSteps: readonly number[]): number[] {
  const n = updateSteps.length;
  if (n === 0) return steps.map(() => NaN);
  let k = 0;
  return steps.map((s) => {
    while (k < n && (updateSteps[k] as number) < s) k++;
    if (k < n && updateSteps[k] === s) return k + 1;
    if (k === n) {
      const last = updateSteps[n - 1] as number;
      const before = n > 1 ? (updateSteps[n - 2] as number) : 0;
      return n + (s - last) / (last - before || 1);
    }
    // updateSteps[k - 1] < s < updateSteps[k] (with update 0 at step 0)
    const lo = k > 0 ? (updateSteps[k - 1] as number) : 0;
    const hi = updateSteps[k] as number;
    return k + (s - lo) / (hi - lo || 1);
  });
}

/** Distinct values of an ascending list. */
function distinctSorted(values: readonly number[]): number[] {
  const out: number[] = [];
  for (const v of values) if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  return out;
}

/**
 * Points in step order are in wall-time order too, unless the clock was set back or a resumed run re-logged steps:
 * then they are sorted by wall time (stably), as aggregation needs a non-decreasing x.
 */
function inWallOrder(x: number[], y: number[]): { x: number[]; y: number[] } {
  if (x.every((v, i) => i === 0 || v >= (x[i - 1] as number))) return { x, y };
  const order = x.map((_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number) || a - b);
  return { x: order.map((i) => x[i] as number), y: order.map((i) => y[i] as number) };
}

function indexPoints(points: readonly MetricPoints[]): Map<number, Map<string, MetricPoints>> {
  const index = new Map<number, Map<string, MetricPoints>>();
  for (const p of points) {
    let byKey = index.get(p.runId);
    if (!byKey) index.set(p.runId, (byKey = new Map()));
    byKey.set(p.key, p);
  }
  return index;
}

/** The full-resolution series of these keys of these runs on `xKind` (see the module comment); pairs without points are absent. */
export async function readAxisSeries(store: ExperimentStore, runIds: readonly number[], keys: readonly string[], xKind: XAxis): Promise<AxisSeriesIndex> {
  const points = indexPoints(await store.readMetrics({ runIds, keys, withWallTime: xKind === 'wall' }));
  const timeline = new Map<number, number[]>();
  const started = new Map<number, number | null>();
  if (xKind === 'update') {
    const have = (id: number): boolean => points.get(id)?.has(METRIC.fps) ?? false;
    const missing = runIds.filter((id) => !have(id));
    const extra = missing.length > 0 && !keys.includes(METRIC.fps) ? indexPoints(await store.readMetrics({ runIds: missing, keys: [METRIC.fps] })) : null;
    for (const id of runIds) {
      const fps = points.get(id)?.get(METRIC.fps) ?? extra?.get(id)?.get(METRIC.fps);
      if (fps) timeline.set(id, distinctSorted(fps.steps));
    }
  } else if (xKind === 'wall') {
    const runs = await Promise.all(runIds.map((id) => store.getRun(id)));
    runIds.forEach((id, i) => started.set(id, runs[i]?.startedAt ?? null));
  }
  const out: AxisSeriesIndex = new Map();
  for (const [runId, byKey] of points) {
    const series = new Map<string, AxisSeries>();
    out.set(runId, series);
    for (const [key, p] of byKey) {
      if (xKind === 'step') {
        series.set(key, { x: p.steps, y: p.values, stored: p.steps.length });
      } else if (xKind === 'update') {
        series.set(key, { x: updateNumbers(p.steps, timeline.get(runId) ?? distinctSorted(p.steps)), y: p.values, stored: p.steps.length });
      } else {
        const wall = p.wallTimes ?? [];
        const origin = started.get(runId) ?? wall.find((w) => w !== null) ?? 0;
        const x: number[] = [];
        const y: number[] = [];
        wall.forEach((w, i) => {
          if (w === null) return;
          x.push((w - origin) / 1000);
          y.push(p.values[i] as number);
        });
        series.set(key, { ...inWallOrder(x, y), stored: p.steps.length });
      }
    }
  }
  return out;
}

/**
 * Series for these keys of these runs, each downsampled to `maxPoints` keeping extremes. One entry per requested
 * (run, key) pair, in request order; pairs without points (or unknown runs) have empty arrays. x as the module
 * comment says.
 */
export async function readSeries(store: ExperimentStore, query: SeriesQuery): Promise<RunSeries[]> {
  const maxPoints = query.maxPoints ?? 1000;
  if (!Number.isInteger(maxPoints) || maxPoints < 4) throw new RangeError(`readSeries: maxPoints must be an integer ≥ 4, got ${maxPoints}`);
  const index = await readAxisSeries(store, query.runIds, query.keys, query.x ?? 'step');
  const out: RunSeries[] = [];
  for (const runId of query.runIds) {
    for (const key of query.keys) {
      const s = index.get(runId)?.get(key);
      if (!s) {
        out.push({ runId, key, x: new Float64Array(0), y: new Float64Array(0), stored: 0 });
        continue;
      }
      const ds = s.x.length <= maxPoints ? { x: Float64Array.from(s.x), y: Float64Array.from(s.y) } : downsample(s.x, s.y, maxPoints, query.method ?? 'minmax');
      out.push({ runId, key, x: ds.x, y: ds.y, stored: s.stored });
    }
  }
  return out;
}

/**
 * Each group's runs aggregated per key from series already on one x axis (`readAxisSeries`), each run smoothed at
 * full resolution first when `smoothing` > 0. Groups without points of a key get no entry for it.
 */
export function aggregateGroups(
  groups: readonly RunGroup[],
  keys: readonly string[],
  index: AxisSeriesIndex,
  options: { maxPoints: number; smoothing: number; ci?: BootstrapOptions },
): AggregatedGroupSeries[] {
  const series: AggregatedGroupSeries[] = [];
  for (const group of groups) {
    for (const key of keys) {
      const members = group.runIds.filter((id) => index.get(id)?.has(key));
      if (members.length === 0) continue;
      const inputs = members.map((id) => {
        const s = index.get(id)!.get(key)!;
        return { x: s.x, y: options.smoothing > 0 ? debiasedEma(s.y, options.smoothing) : s.y };
      });
      const agg = aggregateSeries(inputs, { maxPoints: options.maxPoints, ...(options.ci ? { ci: options.ci } : {}) });
      series.push({ group: group.key, params: group.params, runIds: members, key, ...agg });
    }
  }
  return series;
}

/** Series grouped by params (`groupRuns`) and aggregated over each group's runs, per key, on `query.x`. */
export async function groupedSeries(store: ExperimentStore, query: AggregatedSeriesQuery): Promise<AggregatedResult> {
  const { groupBy, groups } = groupRuns(query.runIds, await store.getRunParams(query.runIds), query.groupBy);
  const index = await readAxisSeries(store, groups.flatMap((g) => g.runIds), query.keys, query.x ?? 'step');
  const series = aggregateGroups(groups, query.keys, index, { maxPoints: query.maxPoints ?? 500, smoothing: query.smoothing ?? 0, ...(query.ci ? { ci: query.ci } : {}) });
  return { groupBy, series };
}
