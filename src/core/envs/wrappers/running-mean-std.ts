/**
 * Running mean and variance of a stream of vectors, merged batch by batch with Chan et al.'s parallel update, as
 * Gymnasium's `wrappers.utils.RunningMeanStd` and Stable-Baselines3's `common.running_mean_std.RunningMeanStd`:
 * mean 0, var 1, count epsilon (1e-4) at the start.
 *
 * Arithmetic is float64. `dtype: 'float32'` instead emulates numpy with float32 `mean`/`var` arrays (as Gymnasium's
 * NormalizeObservation creates them): every array operation is rounded to float32 while `count` stays a Python
 * float (float64), and Python scalars meeting float32 arrays are cast to float32 (numpy 2, NEP 50).
 */

export interface RunningMeanStdJSON {
  mean: number[];
  var: number[];
  count: number;
  dtype?: 'float64' | 'float32';
}

export class RunningMeanStd {
  mean: Float64Array;
  var: Float64Array;
  count: number;
  readonly dtype: 'float64' | 'float32';
  private readonly batchMean: Float64Array;
  private readonly batchVar: Float64Array;

  /** `shape`: the number of elements per sample (a scalar stream has dim 1). */
  constructor(dim = 1, epsilon = 1e-4, dtype: 'float64' | 'float32' = 'float64') {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`RunningMeanStd dim must be a positive integer, got ${dim}`);
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
    this.count = epsilon;
    this.dtype = dtype;
    this.batchMean = new Float64Array(dim);
    this.batchVar = new Float64Array(dim);
  }

  get dim(): number {
    return this.mean.length;
  }

  /**
   * Merges a row-major [batchCount × dim] batch: batch mean and (population) variance per element, then
   * `updateFromMoments`. Sums run row by row, as numpy reduces over axis 0.
   */
  update(batch: ArrayLike<number>, batchCount: number): void {
    const dim = this.dim;
    if (!Number.isInteger(batchCount) || batchCount < 1 || batch.length !== batchCount * dim) {
      throw new RangeError(`RunningMeanStd.update: expected ${batchCount} × ${dim} values, got ${batch.length}`);
    }
    const r = this.dtype === 'float32' ? Math.fround : (x: number) => x;
    const { batchMean, batchVar } = this;
    for (let j = 0; j < dim; j++) {
      let sum = 0;
      for (let i = 0; i < batchCount; i++) sum = r(sum + batch[i * dim + j]);
      const mean = r(sum / batchCount);
      let sq = 0;
      for (let i = 0; i < batchCount; i++) {
        const d = r(batch[i * dim + j] - mean);
        sq = r(sq + r(d * d));
      }
      batchMean[j] = mean;
      batchVar[j] = r(sq / batchCount);
    }
    this.updateFromMoments(batchMean, batchVar, batchCount);
  }

  /** `update_mean_var_count_from_moments`, keeping numpy's order of operations. */
  updateFromMoments(batchMean: ArrayLike<number>, batchVar: ArrayLike<number>, batchCount: number): void {
    const { mean, var: variance, count } = this;
    const totCount = count + batchCount;
    if (this.dtype === 'float32') {
      const f = Math.fround;
      const countF = f(count);
      const batchCountF = f(batchCount);
      const totCountF = f(totCount);
      for (let j = 0; j < mean.length; j++) {
        const delta = f(batchMean[j] - mean[j]);
        const newMean = f(mean[j] + f(f(delta * batchCountF) / totCountF));
        const mA = f(variance[j] * countF);
        const mB = f(batchVar[j] * batchCountF);
        const m2 = f(f(mA + mB) + f(f(f(f(delta * delta) * countF) * batchCountF) / totCountF));
        mean[j] = newMean;
        variance[j] = f(m2 / totCountF);
      }
    } else {
      for (let j = 0; j < mean.length; j++) {
        const delta = batchMean[j] - mean[j];
        const newMean = mean[j] + (delta * batchCount) / totCount;
        const mA = variance[j] * count;
        const mB = batchVar[j] * batchCount;
        const m2 = mA + mB + (((delta * delta) * count) * batchCount) / totCount;
        mean[j] = newMean;
        variance[j] = m2 / totCount;
      }
    }
    this.count = totCount;
  }

  toJSON(): RunningMeanStdJSON {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count, dtype: this.dtype };
  }

  static fromJSON(json: RunningMeanStdJSON): RunningMeanStd {
    const { mean, var: variance, count } = json;
    if (!Array.isArray(mean) || !Array.isArray(variance) || mean.length !== variance.length || mean.length === 0 || typeof count !== 'number' || !(count > 0)) {
      throw new TypeError('RunningMeanStd.fromJSON: expected { mean: number[], var: number[] (same length), count > 0 }');
    }
    const rms = new RunningMeanStd(mean.length, count, json.dtype ?? 'float64');
    rms.mean.set(mean);
    rms.var.set(variance);
    return rms;
  }
}
