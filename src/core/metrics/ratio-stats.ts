/**
 * Statistics of the probability ratios r = π(a|s)/π_old(a|s) of one update, for the Learn view: per epoch the ratio
 * quantiles, the KL estimate and the clip fraction, and for the last epoch the histogram of the ratios. Trainers
 * (PPO, GRPO, TRPO) store them as metric points at the update's step, indexed by `seq`:
 * - `learn/ratio_hist`: 34 points, seq 0 = underflow (r < 0.5), seq 1…32 = 32 equal bins over [0.5, 1.5),
 *   seq 33 = overflow (r ≥ 1.5); fractions of the last epoch's samples (they sum to 1 without NaN ratios).
 * - `learn/epoch_*`: one point per epoch begun (seq = epoch, from 0): ratio quantiles q05…q95, the k3 KL estimate,
 *   the clip fraction.
 * `isDistributionKey` marks these keys, so the ordinary metric lists leave them out.
 */
import { percentileOfSorted } from '../math/stats';

export const LEARN_METRIC = Object.freeze({
  ratioHist: 'learn/ratio_hist',
  epochRatioQ05: 'learn/epoch_ratio_q05',
  epochRatioQ25: 'learn/epoch_ratio_q25',
  epochRatioQ50: 'learn/epoch_ratio_q50',
  epochRatioQ75: 'learn/epoch_ratio_q75',
  epochRatioQ95: 'learn/epoch_ratio_q95',
  epochApproxKl: 'learn/epoch_approx_kl',
  epochClipFraction: 'learn/epoch_clip_fraction',
} as const);

export type LearnMetricKey = (typeof LEARN_METRIC)[keyof typeof LEARN_METRIC];

/** One-line meaning of each key, suitable as a tooltip. */
export const LEARN_METRIC_MEANINGS: Readonly<Record<LearnMetricKey, string>> = Object.freeze({
  'learn/ratio_hist': 'Histogram of the ratios r = π/π_old over the last epoch of the update: seq 0 = r < 0.5, seq 1–32 = 32 equal bins over [0.5, 1.5), seq 33 = r ≥ 1.5 (fractions).',
  'learn/epoch_ratio_q05': '5th percentile of the ratios r in epoch seq of the update.',
  'learn/epoch_ratio_q25': '25th percentile of the ratios r in epoch seq of the update.',
  'learn/epoch_ratio_q50': 'Median of the ratios r in epoch seq of the update.',
  'learn/epoch_ratio_q75': '75th percentile of the ratios r in epoch seq of the update.',
  'learn/epoch_ratio_q95': '95th percentile of the ratios r in epoch seq of the update.',
  'learn/epoch_approx_kl': 'KL(old‖new) in epoch seq, k3 estimator mean((r − 1) − log r) over the epoch’s samples (train/approx_kl’s estimator).',
  'learn/epoch_clip_fraction': 'Fraction of epoch seq’s samples with |r − 1| > ε (the run’s clip range; 0.2 for TRPO, which has none).',
});

/** Whether `key` is one of these per-update distributions (seq-indexed points), not an ordinary per-update metric. */
export function isDistributionKey(key: string): boolean {
  return key === LEARN_METRIC.ratioHist || key.startsWith('learn/epoch_');
}

/** The histogram's range and in-range bins; with the underflow and overflow bins there are RATIO_HISTOGRAM_SIZE. */
export const RATIO_HISTOGRAM = Object.freeze({ low: 0.5, high: 1.5, bins: 32 });
export const RATIO_HISTOGRAM_SIZE = RATIO_HISTOGRAM.bins + 2;

/** The ε of the clip fraction for an algorithm without a clip range (TRPO). */
export const DEFAULT_CLIP_FRACTION_RANGE = 0.2;

/** [low, high) of histogram bin `seq`: (−∞, 0.5) for 0, [1.5, ∞) for 33. */
export function ratioBinRange(seq: number): [number, number] {
  const { low, high, bins } = RATIO_HISTOGRAM;
  if (seq <= 0) return [-Infinity, low];
  if (seq >= bins + 1) return [high, Infinity];
  const width = (high - low) / bins;
  return [low + (seq - 1) * width, low + seq * width];
}

/** The bin (0…33) of one ratio; NaN has none (-1). */
export function ratioBin(ratio: number): number {
  const { low, high, bins } = RATIO_HISTOGRAM;
  if (ratio < low) return 0;
  if (ratio >= high) return bins + 1;
  if (!(ratio >= low)) return -1;
  // min(): a ratio just below 1.5 must not round up into the overflow bin.
  return 1 + Math.min(bins - 1, Math.floor(((ratio - low) * bins) / (high - low)));
}

/** The fraction of `ratios` in each of the 34 bins (`ratioBin`); NaN ratios count in none; all NaN when empty. */
export function ratioHistogram(ratios: ArrayLike<number>): Float64Array {
  const out = new Float64Array(RATIO_HISTOGRAM_SIZE);
  for (let i = 0; i < ratios.length; i++) {
    const bin = ratioBin(ratios[i]);
    if (bin >= 0) out[bin] += 1;
  }
  for (let b = 0; b < out.length; b++) out[b] /= ratios.length;
  return out;
}

/** The quantiles stored per epoch, as probabilities. */
export const RATIO_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** What one epoch's ratios were. */
export interface EpochRatioStats {
  /** Quantiles RATIO_QUANTILES by numpy's default 'linear' method (`percentileOfSorted`). */
  quantiles: number[];
  /** k3 estimate of KL(π_old‖π): mean((r − 1) − log r), the estimator of train/approx_kl. */
  approxKl: number;
  /** Fraction of samples with |r − 1| > clipRange. */
  clipFraction: number;
  samples: number;
}

/** The statistics of one epoch's ratios (`ratios` is not changed); quantiles and means are NaN when it is empty. */
export function epochRatioStats(ratios: Float32Array | Float64Array, clipRange: number): EpochRatioStats {
  const n = ratios.length;
  let kl = 0;
  let clipped = 0;
  for (let i = 0; i < n; i++) {
    const r = ratios[i];
    kl += r - 1 - Math.log(r);
    if (Math.abs(r - 1) > clipRange) clipped += 1;
  }
  // A typed array sorts numerically (NaN last).
  const sorted = ratios.slice().sort();
  return {
    quantiles: RATIO_QUANTILES.map((p) => percentileOfSorted(sorted, 100 * p)),
    approxKl: kl / n,
    clipFraction: clipped / n,
    samples: n,
  };
}

const QUANTILE_KEYS = [LEARN_METRIC.epochRatioQ05, LEARN_METRIC.epochRatioQ25, LEARN_METRIC.epochRatioQ50, LEARN_METRIC.epochRatioQ75, LEARN_METRIC.epochRatioQ95] as const;

/** Seq-indexed points of one update: key → values, the value at index i stored with seq i. */
export type DistributionMetrics = Record<string, number[]>;

/** The update's points: the histogram under `learn/ratio_hist`, each epoch's figures under `learn/epoch_*`. */
export function ratioDistributionMetrics(epochs: readonly EpochRatioStats[], histogram: ArrayLike<number>): DistributionMetrics {
  const metrics: DistributionMetrics = {
    [LEARN_METRIC.ratioHist]: Array.from(histogram),
    [LEARN_METRIC.epochApproxKl]: epochs.map((e) => e.approxKl),
    [LEARN_METRIC.epochClipFraction]: epochs.map((e) => e.clipFraction),
  };
  QUANTILE_KEYS.forEach((key, i) => (metrics[key] = epochs.map((e) => e.quantiles[i] as number)));
  return metrics;
}

/**
 * Collects an update's ratios epoch by epoch: `add` each minibatch's ratios, `endEpoch` after each epoch (the last,
 * possibly cut short by an early stop, included), then `metrics()`. Holds one epoch's ratios (up to `capacity`).
 */
export class RatioRecorder {
  // Float64, as the loss computes them: the clip fraction then counts exactly the samples train/clip_fraction counts.
  private readonly ratios: Float64Array;
  private count = 0;
  private readonly epochs: EpochRatioStats[] = [];
  private last: Float64Array | null = null;

  constructor(capacity: number, private readonly clipRange: number) {
    this.ratios = new Float64Array(capacity);
  }

  /** Appends ratios to the current epoch. */
  add(ratios: ArrayLike<number>, count = ratios.length): void {
    if (this.count + count > this.ratios.length) throw new RangeError(`RatioRecorder: ${this.count + count} ratios in an epoch of at most ${this.ratios.length}`);
    for (let i = 0; i < count; i++) this.ratios[this.count + i] = ratios[i];
    this.count += count;
  }

  /** Closes the current epoch: its statistics are kept, and its ratios become the histogram's until the next one. */
  endEpoch(): void {
    this.last = this.ratios.subarray(0, this.count);
    this.epochs.push(epochRatioStats(this.last, this.clipRange));
    this.count = 0;
  }

  /** Epochs closed so far. */
  get epochCount(): number {
    return this.epochs.length;
  }

  /** The update's points (`ratioDistributionMetrics`); the histogram of the last closed epoch. */
  metrics(): DistributionMetrics {
    return ratioDistributionMetrics(this.epochs, ratioHistogram(this.last ?? new Float64Array(0)));
  }
}
