/**
 * Handlers for the comparison views: raw series, series grouped by hyperparameters and aggregated over seeds, and
 * the final-performance summary with rliable's statistics.
 */
import type { SeriesGroup, SummaryGroup } from '../../core/api/contract';
import { downsample } from '../../core/math/downsample';
import { debiasedEma } from '../../core/math/smoothing';
import { iqm, mean, probabilityOfImprovement, standardError, stratifiedBootstrapCi, pooledIqm } from '../../core/math/stats';
import { METRIC } from '../../core/metrics/keys';
import { createRng } from '../../core/rng';
import type { RunRow } from '../store/types';
import { defaultGroupBy, groupRuns } from './grouping';
import { ApiFailure, type Handlers, type ServiceParts } from './service';

type AnalysisHandlers = Pick<Handlers, 'series.get' | 'series.aggregate' | 'summary.get'>;

/** Bootstrap resamples for summary intervals, and the fixed seed that makes them reproducible. */
const RESAMPLES = 2_000;
const BOOTSTRAP_SEED = 0;

/** A uniform [0, 1) generator with a fixed seed: the same selection gives the same intervals every time. */
function seededRandom(): () => number {
  const rng = createRng(BOOTSTRAP_SEED);
  return () => rng.random();
}

export function analysisHandlers({ store }: ServiceParts): AnalysisHandlers {
  const existingRuns = async (runIds: number[]): Promise<RunRow[]> => {
    const rows = (await Promise.all(runIds.map((id) => store.getRun(id)))).filter((r): r is RunRow => r !== null);
    if (rows.length === 0) throw new ApiFailure('not-found', 'none of the selected runs exists');
    return rows;
  };

  return {
    'series.get': async ({ runIds, keys, maxPoints, x }) => {
      const series = await store.getSeries({ runIds, keys, maxPoints, x });
      return series.map((s) => ({ runId: s.runId, key: s.key, x: Array.from(s.x), y: Array.from(s.y) }));
    },

    'series.aggregate': async ({ runIds, keys, groupBy, maxPoints, x, smoothing, band }) => {
      const rows = await existingRuns(runIds);
      const ids = rows.map((r) => r.id);
      const result = await store.getAggregatedSeries({
        runIds: ids,
        keys,
        ...(groupBy ? { groupBy } : {}),
        maxPoints,
        smoothing,
        ...(band === 'ci95' ? { ci: { random: seededRandom(), resamples: 1_000 } } : {}),
      });
      // Thin per-seed lines: each run smoothed at full resolution, then downsampled.
      const raw = await store.getSeries({ runIds: ids, keys, maxPoints: 1_000_000, x });
      const perRun = new Map(raw.map((s) => [`${s.runId}|${s.key}`, s]));
      const groups: SeriesGroup[] = result.series.map((g) => {
        const lower = band === 'std' ? g.mean.map((m, i) => m - (g.std[i] ?? 0)) : band === 'minmax' ? g.min : (g.ciLow ?? g.mean);
        const upper = band === 'std' ? g.mean.map((m, i) => m + (g.std[i] ?? 0)) : band === 'minmax' ? g.max : (g.ciHigh ?? g.mean);
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
            const s = perRun.get(`${runId}|${g.key}`);
            if (!s || s.x.length === 0) return { runId, x: [], y: [] };
            const y = smoothing > 0 ? debiasedEma(s.y, smoothing) : s.y;
            const d = downsample(s.x, y, maxPoints);
            return { runId, x: Array.from(d.x), y: Array.from(d.y) };
          }),
        };
      });
      return { groupBy: result.groupBy, groups };
    },

    'summary.get': async ({ runIds, groupBy, metric, compare }) => {
      const rows = await existingRuns(runIds);
      const params = await store.getRunParams(rows.map((r) => r.id));
      const fields = groupBy ?? defaultGroupBy(params);
      const groups = groupRuns(rows.map((r) => r.id), params, fields);
      // A run's final score: its final evaluation for the evaluation metric, else the metric's last value.
      const last = await store.getSeries({ runIds: rows.map((r) => r.id), keys: [metric], maxPoints: 4 });
      const lastByRun = new Map(last.filter((s) => s.y.length > 0).map((s) => [s.runId, s.y[s.y.length - 1] as number]));
      const score = (row: RunRow): number | undefined =>
        metric === METRIC.evalMeanReturn && row.finalEval ? row.finalEval.mean : lastByRun.get(row.id);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const random = seededRandom();
      const summaries: SummaryGroup[] = groups.map((g) => {
        const scores = g.runIds.map((id) => score(byId.get(id) as RunRow)).filter((v): v is number => v !== undefined && Number.isFinite(v));
        const ci = scores.length
          ? stratifiedBootstrapCi([scores], pooledIqm, { random, resamples: RESAMPLES })
          : { low: NaN, high: NaN };
        return {
          key: g.key,
          params: g.params,
          runIds: g.runIds,
          scores,
          mean: scores.length ? mean(scores) : NaN,
          standardError: scores.length > 1 ? standardError(scores) : NaN,
          iqm: scores.length ? iqm(scores) : NaN,
          iqmCi: [ci.low, ci.high],
        };
      });

      const configDiff: Record<string, Record<string, unknown>> = {};
      const allFields = new Set(rows.flatMap((r) => Object.keys(params.get(r.id)?.values ?? {})));
      for (const field of [...allFields].sort()) {
        if (field === 'seed') continue;
        const perGroup: Record<string, unknown> = {};
        const seen = new Set<string>();
        for (const g of groups) {
          const value = params.get(g.runIds[0] as number)?.values[field] ?? null;
          perGroup[g.key] = value;
          seen.add(JSON.stringify(value));
        }
        if (seen.size > 1) configDiff[field] = perGroup;
      }

      let improvement = null;
      if (compare) {
        const [xKey, yKey] = compare;
        const xs = summaries.find((g) => g.key === xKey);
        const ys = summaries.find((g) => g.key === yKey);
        if (!xs || !ys) throw new ApiFailure('bad-request', `compare: unknown group ${!xs ? xKey : yKey}`, [{ path: 'compare', message: 'unknown group' }]);
        if (xs.scores.length === 0 || ys.scores.length === 0) {
          throw new ApiFailure('conflict', 'compare: both groups need runs with a final score');
        }
        const probability = probabilityOfImprovement([xs.scores], [ys.scores]);
        // rliable: bootstrap X's and Y's runs independently (within the one task) and recompute P(X > Y).
        const ci = stratifiedBootstrapCi(
          [xs.scores, ys.scores],
          ([x, y]) => probabilityOfImprovement([x as number[]], [y as number[]]),
          { random, resamples: RESAMPLES },
        );
        improvement = { x: xKey, y: yKey, probability, ci: [ci.low, ci.high] as [number, number] };
      }
      return { metric, groups: summaries, configDiff, improvement };
    },
  };
}
