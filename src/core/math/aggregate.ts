/**
 * Aggregation of many runs' series (typically the seeds of one configuration) into one band: the series are put on
 * a common x grid, and each grid point gets the mean, sample standard deviation, min, max, the number of series
 * present, and optionally a percentile-bootstrap 95% CI of the mean.
 *
 * Alignment: the grid is the sorted union of all x values. A series contributes at a grid point only inside its own
 * x range (no extrapolation); between its points it is linearly interpolated, so seeds logged at the same steps
 * are aggregated exactly. Several points at one x within a series (per-episode keys) are averaged first;
 * non-finite y values are dropped. When the grid is longer than `maxPoints`, the kept grid points are chosen by
 * min/max-per-bucket on the mean, so the extremes of the mean curve survive.
 */
import { minMaxIndices } from './downsample';
import { percentile, type BootstrapOptions } from './stats';

export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface AggregateOptions {
  /** At most this many grid points in the result (≥ 4); default: the whole grid. */
  maxPoints?: number;
  /** When given, adds a percentile-bootstrap CI of the mean at each grid point (default 1,000 resamples, 95%). */
  ci?: BootstrapOptions;
}

export interface AggregatedSeries {
  x: Float64Array;
  mean: Float64Array;
  /** Sample standard deviation (n − 1); 0 where only one series is present. */
  std: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** How many series have a value at this x. */
  count: Float64Array;
  /** Bootstrap CI bounds of the mean (only with `options.ci`). */
  ciLow?: Float64Array;
  ciHigh?: Float64Array;
}

/** Drops non-finite values and averages points sharing an x; x must be non-decreasing. */
function clean(series: Series): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  let count = 0;
  for (let i = 0; i < series.x.length; i++) {
    const xi = series.x[i];
    const yi = series.y[i];
    if (!Number.isFinite(yi) || !Number.isFinite(xi)) continue;
    if (x.length > 0 && x[x.length - 1] === xi) {
      count++;
      y[y.length - 1] += (yi - y[y.length - 1]) / count;
    } else {
      if (x.length > 0 && xi < x[x.length - 1]) throw new Error('aggregateSeries: x must be non-decreasing');
      x.push(xi);
      y.push(yi);
      count = 1;
    }
  }
  return { x, y };
}

/** Values of `s` at each grid x (NaN outside the series' x range). */
function resample(s: { x: number[]; y: number[] }, grid: Float64Array): Float64Array {
  const out = new Float64Array(grid.length).fill(NaN);
  if (s.x.length === 0) return out;
  let j = 0;
  for (let g = 0; g < grid.length; g++) {
    const gx = grid[g];
    if (gx < s.x[0] || gx > s.x[s.x.length - 1]) continue;
    while (j + 1 < s.x.length && s.x[j + 1] <= gx) j++;
    if (s.x[j] === gx) {
      out[g] = s.y[j];
    } else {
      const t = (gx - s.x[j]) / (s.x[j + 1] - s.x[j]);
      out[g] = s.y[j] + t * (s.y[j + 1] - s.y[j]);
    }
  }
  return out;
}

/** Sorted union of the x values. */
function unionGrid(series: { x: number[] }[]): Float64Array {
  const all = new Set<number>();
  for (const s of series) for (const x of s.x) all.add(x);
  return Float64Array.from(all).sort();
}

function bootstrapMeanCi(values: number[], options: BootstrapOptions): [number, number] {
  const { random, resamples = 1000, level = 0.95 } = options;
  const n = values.length;
  const replicates = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.min(n - 1, Math.floor(random() * n))];
    replicates[b] = sum / n;
  }
  const alpha = (1 - level) / 2;
  return [percentile(replicates, 100 * alpha), percentile(replicates, 100 * (1 - alpha))];
}

/** Aggregates `series` point-wise on their common grid (see the module comment). */
export function aggregateSeries(series: readonly Series[], options: AggregateOptions = {}): AggregatedSeries {
  const cleaned = series.map(clean);
  const fullGrid = unionGrid(cleaned);
  const columns = cleaned.map((s) => resample(s, fullGrid));
  const n = fullGrid.length;
  const mean = new Float64Array(n);
  const count = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    let sum = 0;
    let c = 0;
    for (const col of columns) {
      if (Number.isNaN(col[g])) continue;
      sum += col[g];
      c++;
    }
    mean[g] = c > 0 ? sum / c : NaN;
    count[g] = c;
  }
  const keep = options.maxPoints !== undefined && n > options.maxPoints ? minMaxIndices(mean, options.maxPoints) : null;
  const m = keep ? keep.length : n;
  const out: AggregatedSeries = {
    x: new Float64Array(m),
    mean: new Float64Array(m),
    std: new Float64Array(m),
    min: new Float64Array(m),
    max: new Float64Array(m),
    count: new Float64Array(m),
  };
  if (options.ci) {
    out.ciLow = new Float64Array(m);
    out.ciHigh = new Float64Array(m);
  }
  for (let k = 0; k < m; k++) {
    const g = keep ? keep[k] : k;
    const values: number[] = [];
    for (const col of columns) if (!Number.isNaN(col[g])) values.push(col[g]);
    out.x[k] = fullGrid[g];
    out.mean[k] = mean[g];
    out.count[k] = count[g];
    let ss = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      ss += (v - mean[g]) * (v - mean[g]);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    out.std[k] = values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0;
    out.min[k] = values.length > 0 ? lo : NaN;
    out.max[k] = values.length > 0 ? hi : NaN;
    if (options.ci && out.ciLow && out.ciHigh) {
      const [low, high] = values.length > 0 ? bootstrapMeanCi(values, options.ci) : [NaN, NaN];
      out.ciLow[k] = low;
      out.ciHigh[k] = high;
    }
  }
  return out;
}
