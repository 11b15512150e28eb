/**
 * The trainers' ratio statistics as the Learn figures read them (the data contract of issue 17): the histogram of
 * r = π/π_old over the last epoch of an update, and per-epoch quantiles, KL and clip fraction. The keys and the
 * histogram's layout are core's (core/metrics/ratio-stats.ts), the one home the trainers write by.
 */
import type { MetricDistribution } from '../../../../core/api/contract';
import type { RatioHistogram } from '../../../../core/math/clipped-objective';
import { LEARN_METRIC, RATIO_HISTOGRAM, RATIO_HISTOGRAM_SIZE } from '../../../../core/metrics/ratio-stats';

/** The epoch keys, in the order `epochRows` reads them. */
export const EPOCH_KEYS = [
  LEARN_METRIC.epochRatioQ05,
  LEARN_METRIC.epochRatioQ25,
  LEARN_METRIC.epochRatioQ50,
  LEARN_METRIC.epochRatioQ75,
  LEARN_METRIC.epochRatioQ95,
  LEARN_METRIC.epochApproxKl,
  LEARN_METRIC.epochClipFraction,
] as const;

/** One update's histogram from its stored points, or null when it has none (or not the contract's 34). */
export function histogramOf(points: { seq: readonly number[]; values: readonly number[] } | undefined): RatioHistogram | null {
  if (!points || points.seq.length !== RATIO_HISTOGRAM_SIZE) return null;
  const at = new Array<number>(RATIO_HISTOGRAM_SIZE).fill(0);
  points.seq.forEach((s, i) => (at[s] = points.values[i] ?? 0));
  return { low: RATIO_HISTOGRAM.low, high: RATIO_HISTOGRAM.high, bins: at.slice(1, -1), underflow: at[0]!, overflow: at.at(-1)! };
}
/** One epoch of one update. */
export interface EpochRow {
  /** 1-based. */
  epoch: number;
  q05: number;
  q25: number;
  q50: number;
  q75: number;
  q95: number;
  kl: number;
  clipFraction: number;
}

/** The epochs of one update (NaN where a key has no point for an epoch), in order. */
export function epochRows(distribution: MetricDistribution): EpochRow[] {
  const values = EPOCH_KEYS.map((key) => {
    const p = distribution.points[key];
    const bySeq = new Map<number, number>();
    p?.seq.forEach((s, i) => bySeq.set(s, p.values[i] ?? NaN));
    return bySeq;
  });
  const epochs = Math.max(0, ...values.map((m) => (m.size === 0 ? 0 : Math.max(...m.keys()) + 1)));
  return Array.from({ length: epochs }, (_, e) => {
    const [q05, q25, q50, q75, q95, kl, clipFraction] = values.map((m) => m.get(e) ?? NaN) as [number, number, number, number, number, number, number];
    return { epoch: e + 1, q05, q25, q50, q75, q95, kl, clipFraction };
  });
}
