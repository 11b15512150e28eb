/**
 * The growing set of labelled segment pairs a reward model learns from (Christiano et al. 2017, §2.2: the database
 * D of triples (σ¹, σ², μ)). Segments are stored as reward-model input rows — observation then action encoding —
 * in one flat buffer with a fixed stride of `segmentLength` rows per segment; a segment cut short by the end of its
 * episode uses the first `length` rows of its slot.
 */
import type { PreferenceBatch } from './reward-model';

export class PreferenceSet {
  /** Rows of all segments, [segment][segmentLength][inputDim]. */
  private rows: Float32Array;
  private lengths: Int32Array;
  private labelValues: Float32Array;
  /** Segments stored (two per pair). */
  private count = 0;

  constructor(
    readonly inputDim: number,
    readonly segmentLength: number,
    capacityPairs = 64,
  ) {
    this.rows = new Float32Array(2 * capacityPairs * segmentLength * inputDim);
    this.lengths = new Int32Array(2 * capacityPairs);
    this.labelValues = new Float32Array(capacityPairs);
  }

  /** Labelled pairs held. */
  get size(): number {
    return this.count / 2;
  }

  private ensureCapacity(pairs: number): void {
    if (pairs <= this.labelValues.length) return;
    const capacity = Math.max(pairs, 2 * this.labelValues.length);
    const rows = new Float32Array(2 * capacity * this.segmentLength * this.inputDim);
    rows.set(this.rows);
    const lengths = new Int32Array(2 * capacity);
    lengths.set(this.lengths);
    const labels = new Float32Array(capacity);
    labels.set(this.labelValues);
    this.rows = rows;
    this.lengths = lengths;
    this.labelValues = labels;
  }

  /** Adds a pair: each segment's rows ([length][inputDim], length ≤ segmentLength) and the label μ. */
  add(first: Float32Array, second: Float32Array, label: number): void {
    this.ensureCapacity(this.size + 1);
    for (const segment of [first, second]) {
      const length = segment.length / this.inputDim;
      if (!Number.isInteger(length) || length < 1 || length > this.segmentLength) throw new RangeError(`a segment has 1 to ${this.segmentLength} rows, got ${length}`);
      this.rows.set(segment, this.count * this.segmentLength * this.inputDim);
      this.lengths[this.count] = length;
      this.count++;
    }
    this.labelValues[this.size - 1] = label;
  }

  /** The label μ of pair `k`. */
  label(k: number): number {
    return this.labelValues[k];
  }

  /** A batch of the pairs at `indices`, in that order. */
  batch(indices: ArrayLike<number>): PreferenceBatch {
    return segmentPairsBatch(this.inputDim, indices.length, (k, which) => {
      const s = 2 * indices[k] + which;
      return this.rows.subarray(s * this.segmentLength * this.inputDim, (s * this.segmentLength + this.lengths[s]) * this.inputDim);
    }, (k) => this.labelValues[indices[k]]);
  }

  /** Everything needed to rebuild the set exactly (checkpoints). */
  toJSON(): { pairs: number; rows: string; lengths: number[]; labels: number[] } {
    const rows = this.rows.subarray(0, this.count * this.segmentLength * this.inputDim);
    return {
      pairs: this.size,
      rows: Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength).toString('base64'),
      lengths: Array.from(this.lengths.subarray(0, this.count)),
      labels: Array.from(this.labelValues.subarray(0, this.size)),
    };
  }

  static fromJSON(inputDim: number, segmentLength: number, json: { pairs: number; rows: string; lengths: number[]; labels: number[] }): PreferenceSet {
    const set = new PreferenceSet(inputDim, segmentLength, Math.max(64, json.pairs));
    const bytes = Buffer.from(json.rows, 'base64');
    const rows = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (rows.length !== 2 * json.pairs * segmentLength * inputDim || json.lengths.length !== 2 * json.pairs || json.labels.length !== json.pairs) {
      throw new Error(`resume: the preference set's sizes do not match its ${json.pairs} pairs`);
    }
    set.rows.set(rows);
    set.lengths.set(json.lengths);
    set.labelValues.set(json.labels);
    set.count = 2 * json.pairs;
    return set;
  }
}

/** Builds a PreferenceBatch of `pairs` pairs from each pair's two segments' rows and its label. */
export function segmentPairsBatch(
  inputDim: number,
  pairs: number,
  segment: (pair: number, which: 0 | 1) => Float32Array,
  label: (pair: number) => number,
): PreferenceBatch {
  let rows = 0;
  for (let k = 0; k < pairs; k++) rows += (segment(k, 0).length + segment(k, 1).length) / inputDim;
  const batch: PreferenceBatch = {
    inputs: new Float32Array(rows * inputDim),
    segmentStart: new Int32Array(2 * pairs),
    segmentLength: new Int32Array(2 * pairs),
    first: new Int32Array(pairs),
    second: new Int32Array(pairs),
    labels: new Float32Array(pairs),
  };
  let row = 0;
  for (let k = 0; k < pairs; k++) {
    for (const which of [0, 1] as const) {
      const s = 2 * k + which;
      const rowsOf = segment(k, which);
      batch.inputs.set(rowsOf, row * inputDim);
      batch.segmentStart[s] = row;
      batch.segmentLength[s] = rowsOf.length / inputDim;
      row += batch.segmentLength[s];
    }
    batch.first[k] = 2 * k;
    batch.second[k] = 2 * k + 1;
    batch.labels[k] = label(k);
  }
  return batch;
}
