/**
 * Metric series for charts, computed from a store's full-resolution points: per-run series on the chosen x,
 * downsampled keeping extremes, and series grouped by hyperparameters (`groupRuns`) and aggregated over each
 * group's runs (seeds), optionally smoothed per run first.
 */
import type { XAxis } from '../../core/api/contract';
import { aggregateSeries, type AggregatedSeries } from '../../core/math/aggregate';
import { downsample, type DownsampleMethod } from '../../core/math/downsample';
import { debiasedEma } from '../../core/math/smoothing';
import type { BootstrapOptions } from '../../core/math/stats';
import type { ExperimentStore, MetricPoints, ParamValue } from '../store/types';
import { groupRuns } from './grouping';

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

/** runId → key → points. */
type PointIndex = Map<number, Map<string, MetricPoints>>;

function indexPoints(points: MetricPoints[]): PointIndex {
  const index: PointIndex = new Map();
  for (const p of points) {
    let byKey = index.get(p.runId);
    if (!byKey) index.set(p.runId, (byKey = new Map()));
    byKey.set(p.key, p);
  }
  return index;
}

/**
 * Series for these keys of these runs, each downsampled to `maxPoints` keeping extremes. One entry per requested
 * (run, key) pair, in request order; pairs without points (or unknown runs) have empty arrays. On the `wall` axis
 * x is seconds since the run started (else since its first timed point), and points without a wall time are left out.
 */
export async function readSeries(store: ExperimentStore, query: SeriesQuery): Promise<RunSeries[]> {
  const maxPoints = query.maxPoints ?? 1000;
  if (!Number.isInteger(maxPoints) || maxPoints < 4) throw new RangeError(`readSeries: maxPoints must be an integer ≥ 4, got ${maxPoints}`);
  const xKind = query.x ?? 'step';
  const points = indexPoints(await store.readMetrics({ runIds: query.runIds, keys: query.keys, withWallTime: xKind === 'wall' }));
  const started = new Map<number, number | null>();
  if (xKind === 'wall') {
    const runs = await Promise.all(query.runIds.map((id) => store.getRun(id)));
    query.runIds.forEach((id, i) => started.set(id, runs[i]?.startedAt ?? null));
  }
  const out: RunSeries[] = [];
  for (const runId of query.runIds) {
    for (const key of query.keys) {
      const p = points.get(runId)?.get(key);
      if (!p) {
        out.push({ runId, key, x: new Float64Array(0), y: new Float64Array(0), stored: 0 });
        continue;
      }
      let x: number[] = p.steps;
      let y: number[] = p.values;
      if (xKind === 'update') {
        x = p.steps.map((_, i) => i + 1);
      } else if (xKind === 'wall') {
        const wall = p.wallTimes ?? [];
        const origin = started.get(runId) ?? wall.find((w) => w !== null) ?? 0;
        x = [];
        y = [];
        wall.forEach((w, i) => {
          if (w === null) return;
          x.push((w - origin) / 1000);
          y.push(p.values[i]);
        });
      }
      const ds = x.length <= maxPoints ? { x: Float64Array.from(x), y: Float64Array.from(y) } : downsample(x, y, maxPoints, query.method ?? 'minmax');
      out.push({ runId, key, x: ds.x, y: ds.y, stored: p.steps.length });
    }
  }
  return out;
}

/** Series grouped by params (`groupRuns`) and aggregated over each group's runs, per key; x is the env step. */
export async function groupedSeries(store: ExperimentStore, query: AggregatedSeriesQuery): Promise<AggregatedResult> {
  const { groupBy, groups } = groupRuns(query.runIds, await store.getRunParams(query.runIds), query.groupBy);
  const runIds = groups.flatMap((g) => g.runIds);
  const points = indexPoints(await store.readMetrics({ runIds, keys: query.keys }));
  const smoothing = query.smoothing ?? 0;
  const series: AggregatedGroupSeries[] = [];
  for (const group of groups) {
    for (const key of query.keys) {
      const members = group.runIds.filter((id) => points.get(id)?.has(key));
      if (members.length === 0) continue;
      const inputs = members.map((id) => {
        const p = points.get(id)!.get(key)!;
        return { x: p.steps, y: smoothing > 0 ? debiasedEma(p.values, smoothing) : p.values };
      });
      const agg = aggregateSeries(inputs, { maxPoints: query.maxPoints ?? 500, ci: query.ci });
      series.push({ group: group.key, params: group.params, runIds: members, key, ...agg });
    }
  }
  return { groupBy, series };
}
