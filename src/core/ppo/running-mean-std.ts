/**
 * Running mean and variance over a stream of batches (SB3 / Gymnasium RunningMeanStd): mean 0, var 1, count 1e-4
 * initially; parallel batch update (Chan et al.): δ = μ_b − μ; n' = n + n_b; μ' = μ + δ·n_b/n';
 * M2 = σ²·n + σ_b²·n_b + δ²·n·n_b/n'; σ'² = M2/n'. Float64 throughout.
 */
export interface RunningMeanStdJson {
  mean: number[];
  var: number[];
  count: number;
}

export class RunningMeanStd {
  mean: Float64Array;
  var: Float64Array;
  count = 1e-4;

  constructor(readonly dim: number) {
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
  }

  /** Folds in `batchCount` rows of `batch` ([batchCount, dim], row-major). */
  update(batch: ArrayLike<number>, batchCount: number): void {
    const d = this.dim;
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let r = 0; r < batchCount; r++) m += batch[r * d + j];
      m /= batchCount;
      let v = 0;
      for (let r = 0; r < batchCount; r++) v += (batch[r * d + j] - m) ** 2;
      v /= batchCount;
      const delta = m - this.mean[j];
      const total = this.count + batchCount;
      const m2 = this.var[j] * this.count + v * batchCount + (delta * delta * this.count * batchCount) / total;
      this.mean[j] += (delta * batchCount) / total;
      this.var[j] = m2 / total;
    }
    this.count += batchCount;
  }

  toJSON(): RunningMeanStdJson {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  load(json: RunningMeanStdJson): void {
    this.mean.set(json.mean);
    this.var.set(json.var);
    this.count = json.count;
  }
}
