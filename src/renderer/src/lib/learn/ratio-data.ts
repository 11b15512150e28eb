/**
 * The trainers' ratio statistics as the Learn figures read them (the data contract of issue 17): the histogram of
 * r = π/π_old over the last epoch of an update, and per-epoch quantiles, KL and clip fraction.
 */
import type { MetricDistribution } from '../../../../core/api/contract';
import type { RatioHistogram } from '../../../../core/math/clipped-objective';

export const LEARN_KEYS = Object.freeze({
  ratioHist: 'learn/ratio_hist',
  q05: 'learn/epoch_ratio_q05',
  q25: 'learn/epoch_ratio_q25',
  q50: 'learn/epoch_ratio_q50',
  q75: 'learn/epoch_ratio_q75',
  q95: 'learn/epoch_ratio_q95',
  epochKl: 'learn/epoch_approx_kl',
  epochClip: 'learn/epoch_clip_fraction',
});

/** The epoch keys, in the order `epochRows` reads them. */
export const EPOCH_KEYS = [LEARN_KEYS.q05, LEARN_KEYS.q25, LEARN_KEYS.q50, LEARN_KEYS.q75, LEARN_KEYS.q95, LEARN_KEYS.epochKl, LEARN_KEYS.epochClip] as const;

/** The histogram's layout: seq 0 = r < 0.5, seq 1..32 = 32 equal bins over [0.5, 1.5), seq 33 = r ≥ 1.5. */
export const RATIO_HIST = Object.freeze({ low: 0.5, high: 1.5, bins: 32 });

/** One update's histogram from its stored points, or null when it has none (or not the contract's 34). */
export function histogramOf(points: { seq: readonly number[]; values: readonly number[] } | undefined): RatioHistogram | null {
  if (!points || points.seq.length !== RATIO_HIST.bins + 2) return null;
  const at = new Array<number>(RATIO_HIST.bins + 2).fill(0);
  points.seq.forEach((s, i) => (at[s] = points.values[i] ?? 0));
  return { low: RATIO_HIST.low, high: RATIO_HIST.high, bins: at.slice(1, -1), underflow: at[0]!, overflow: at.at(-1)! };
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
