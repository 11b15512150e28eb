/**
 * Summary statistics for comparing runs, following rliable (Agarwal et al., "Deep Reinforcement Learning at the Edge of
 * the Statistical Precipice", NeurIPS 2021, arXiv:2108.13264; github.com/google-research/rliable):
 * mean, standard deviation, standard error, interquartile mean (25% trimmed mean, as scipy's `trim_mean(x, 0.25)`),
 * percentile bootstrap confidence intervals (plain and stratified by task), and the probability of improvement
 * from the Mann-Whitney U statistic.
 *
 * Randomness comes in as `random: () => number` returning uniform values in [0, 1), so results are reproducible
 * with a seeded generator.
 */

/** Arithmetic mean; NaN for an empty sample. */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  return sum / xs.length;
}

/**
 * Standard deviation with `ddof` delta degrees of freedom (numpy's convention): ddof 0 = population std
 * (np.std default, what SB3's evaluate_policy reports), ddof 1 = sample std. NaN when length ≤ ddof.
 */
export function std(xs: ArrayLike<number>, ddof = 0): number {
  const n = xs.length;
  if (n <= ddof) return NaN;
  const m = mean(xs);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - m) * (xs[i] - m);
  return Math.sqrt(ss / (n - ddof));
}

/** Standard error of the mean: sample std (ddof 1) / √n. NaN for fewer than two values. */
export function standardError(xs: ArrayLike<number>): number {
  return std(xs, 1) / Math.sqrt(xs.length);
}

/** Numbers sorted ascending (a copy). */
function sorted(xs: ArrayLike<number>): number[] {
  return Array.from(xs).sort((a, b) => a - b);
}

/**
 * Interquartile mean: the mean of the middle 50% after cutting ⌊0.25·n⌋ values from each end of the sorted sample
 * (scipy.stats.trim_mean(x, 0.25), which rliable's IQM uses over all runs × tasks pooled). NaN when empty.
 */
export function iqm(xs: ArrayLike<number>): number {
  const s = sorted(xs);
  const cut = Math.floor(0.25 * s.length);
  return mean(s.slice(cut, s.length - cut));
}

/** The q-th percentile (0..100) with linear interpolation between order statistics (numpy's default method). */
export function percentile(xs: ArrayLike<number>, q: number): number {
  return percentileOfSorted(sorted(xs), q);
}

/**
 * `percentile` of a sample already sorted ascending (not checked), for several percentiles of one sample with one
 * sort: numpy's 'linear' method, position (q/100)·(n − 1) between the order statistics around it. NaN when empty.
 */
export function percentileOfSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export interface BootstrapOptions {
  /** Uniform [0, 1) generator; pass a seeded one for reproducible intervals. */
  random: () => number;
  /** Bootstrap resamples (rliable defaults to 50,000 for aggregates, 2,000 in its examples). Default 2,000. */
  resamples?: number;
  /** Confidence level in (0, 1). Default 0.95. */
  level?: number;
}

/** A point estimate with its percentile-bootstrap interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

function percentileInterval(estimate: number, replicates: number[], level: number): Interval {
  const alpha = (1 - level) / 2;
  return { estimate, low: percentile(replicates, 100 * alpha), high: percentile(replicates, 100 * (1 - alpha)) };
}

/** Draws `n` indices uniformly with replacement from 0..n-1. */
function resampleInto(source: ArrayLike<number>, target: number[], random: () => number): void {
  const n = source.length;
  for (let i = 0; i < n; i++) target[i] = source[Math.min(n - 1, Math.floor(random() * n))];
}

/**
 * Percentile bootstrap CI of `statistic` over one sample: resample the values with replacement `resamples` times,
 * take the (1−level)/2 and (1+level)/2 percentiles of the recomputed statistic.
 */
export function bootstrapCi(
  xs: ArrayLike<number>,
  statistic: (sample: number[]) => number,
  options: BootstrapOptions,
): Interval {
  const { random, resamples = 2000, level = 0.95 } = options;
  const sample = new Array<number>(xs.length);
  const replicates = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    resampleInto(xs, sample, random);
    replicates[b] = statistic(sample);
  }
  return percentileInterval(statistic(Array.from(xs)), replicates, level);
}

/**
 * Stratified bootstrap CI (rliable's `get_interval_estimates`): runs are resampled with replacement independently
 * within each task, and `aggregate` is recomputed on the resampled scores.
 *
 * `scoresByTask[t][r]` is the (normalized) score of run r on task t — the transpose of rliable's
 * (num_runs × num_tasks) matrix, so tasks may have different numbers of runs.
 */
export function stratifiedBootstrapCi(
  scoresByTask: ArrayLike<number>[],
  aggregate: (scoresByTask: number[][]) => number,
  options: BootstrapOptions,
): Interval {
  const { random, resamples = 2000, level = 0.95 } = options;
  const sample = scoresByTask.map((task) => new Array<number>(task.length));
  const replicates = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let t = 0; t < scoresByTask.length; t++) resampleInto(scoresByTask[t], sample[t], random);
    replicates[b] = aggregate(sample);
  }
  return percentileInterval(aggregate(scoresByTask.map((task) => Array.from(task))), replicates, level);
}

/** IQM over all runs × tasks pooled, the aggregate rliable recommends; use with `stratifiedBootstrapCi`. */
export function pooledIqm(scoresByTask: ArrayLike<number>[]): number {
  return iqm(scoresByTask.flatMap((task) => Array.from(task)));
}

/**
 * Mann-Whitney U statistic of x against y: the number of pairs (xi, yj) with xi > yj, ties counting one half
 * (scipy.stats.mannwhitneyu(x, y).statistic).
 */
export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let u = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < y.length; j++) {
      if (x[i] > y[j]) u += 1;
      else if (x[i] === y[j]) u += 0.5;
    }
  }
  return u;
}

/**
 * Probability of improvement P(X > Y) as rliable computes it: per task, U / (n_x · n_y) of X's runs against Y's
 * runs, averaged over tasks. `xByTask[t]` and `yByTask[t]` are the two algorithms' run scores on task t.
 */
export function probabilityOfImprovement(xByTask: ArrayLike<number>[], yByTask: ArrayLike<number>[]): number {
  if (xByTask.length !== yByTask.length) throw new Error('probabilityOfImprovement: x and y need the same tasks');
  if (xByTask.length === 0) return NaN;
  let sum = 0;
  for (let t = 0; t < xByTask.length; t++) {
    sum += mannWhitneyU(xByTask[t], yByTask[t]) / (xByTask[t].length * yByTask[t].length);
  }
  return sum / xByTask.length;
}
