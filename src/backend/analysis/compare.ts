/**
 * The Compare view's data (`series.aggregate`): each group's mean with the chosen band, and each member run's
 * series smoothed at full resolution and downsampled (the thin per-seed lines) — both from one read of the runs'
 * points on the chosen x axis, so means, bands and per-seed lines share it (series.ts says what each axis is).
 */
import type { Band, SeriesGroup, XAxis } from '../../core/api/contract';
import { downsample } from '../../core/math/downsample';
import { debiasedEma } from '../../core/math/smoothing';
import type { ExperimentStore } from '../store/types';
import { groupRuns } from './grouping';
import { seededRandom } from './random';
import { aggregateGroups, readAxisSeries, type AggregatedGroupSeries } from './series';

export interface CompareQuery {
  runIds: number[];
  keys: string[];
  groupBy?: string[];
  maxPoints: number;
  x: XAxis;
  smoothing: number;
  band: Band;
}

/** Bootstrap resamples of the `ci95` band. */
const BAND_RESAMPLES = 1_000;

function bandOf(g: AggregatedGroupSeries, band: Band): { lower: ArrayLike<number>; upper: ArrayLike<number> } {
  switch (band) {
    case 'std':
      return { lower: g.mean.map((m, i) => m - (g.std[i] ?? 0)), upper: g.mean.map((m, i) => m + (g.std[i] ?? 0)) };
    case 'minmax':
      return { lower: g.min, upper: g.max };
    case 'ci95':
      return { lower: g.ciLow ?? g.mean, upper: g.ciHigh ?? g.mean };
  }
}

export async function compareSeries(store: ExperimentStore, query: CompareQuery): Promise<{ groupBy: string[]; groups: SeriesGroup[] }> {
  const { runIds, keys, maxPoints, x, smoothing, band } = query;
  const { groupBy, groups: runGroups } = groupRuns(runIds, await store.getRunParams(runIds), query.groupBy);
  const index = await readAxisSeries(store, runGroups.flatMap((g) => g.runIds), keys, x);
  const aggregated = aggregateGroups(runGroups, keys, index, {
    maxPoints,
    smoothing,
    ...(band === 'ci95' ? { ci: { random: seededRandom(), resamples: BAND_RESAMPLES } } : {}),
  });
  const groups = aggregated.map((g): SeriesGroup => {
    const { lower, upper } = bandOf(g, band);
    return {
      key: g.group,
      params: g.params,
      runIds: g.runIds,
      metric: g.key,
      x: Array.from(g.x),
      mean: Array.from(g.mean),
      lower: Array.from(lower),
      upper: Array.from(upper),
      count: Array.from(g.count),
      runs: g.runIds.map((runId) => {
        const s = index.get(runId)?.get(g.key);
        if (!s || s.x.length === 0) return { runId, x: [], y: [] };
        const y = smoothing > 0 ? debiasedEma(s.y, smoothing) : s.y;
        const d = downsample(s.x, y, maxPoints);
        return { runId, x: Array.from(d.x), y: Array.from(d.y) };
      }),
    };
  });
  return { groupBy, groups };
}
