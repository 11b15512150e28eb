/**
 * Gymnasium's `Box` and `Discrete` spaces (gymnasium/spaces/box.py, discrete.py) for the classic-control
 * environments: a Box is float32 with per-element bounds stored as float32 values; a Discrete is {start, ..., start+n-1}.
 */
import type { Rng } from '../rng/index';

export type Dtype = 'float32' | 'int64';

function formatBound(x: number): string {
  return Number.isFinite(x) ? String(x) : x > 0 ? 'inf' : '-inf';
}

/**
 * Clips `values` into Box bounds element-wise, `out[i] = min(high[j], max(low[j], values[i]))` with j = i mod the
 * bounds' length, so one call clips a batch of actions stored row by row. NaN stays NaN. SB3 steps its envs with the
 * sampled action clipped this way and stores the unclipped one (the 37 details, continuous #5).
 */
export function clipToBox<T extends { [i: number]: number; readonly length: number }>(
  values: ArrayLike<number>,
  low: ArrayLike<number>,
  high: ArrayLike<number>,
  out: T,
): T {
  const dim = low.length;
  for (let i = 0; i < values.length; i++) {
    const j = i % dim;
    out[i] = Math.min(high[j], Math.max(low[j], values[i]));
  }
  return out;
}

export class BoxSpace {
  readonly type = 'Box' as const;
  readonly dtype: Dtype = 'float32';
  readonly shape: readonly number[];
  /** Lower bounds, float32 values (Gymnasium casts the bounds to the space's dtype). */
  readonly low: Float32Array;
  /** Upper bounds, float32 values. */
  readonly high: Float32Array;

  /** `low`/`high`: one bound for every element, or arrays of the same length. A 1-D shape is assumed. */
  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[]) {
    const size = shape ? shape.reduce((a, b) => a * b, 1) : typeof low === 'number' ? (typeof high === 'number' ? 1 : high.length) : low.length;
    this.shape = shape ? [...shape] : [size];
    this.low = new Float32Array(size);
    this.high = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      this.low[i] = typeof low === 'number' ? low : low[i];
      this.high[i] = typeof high === 'number' ? high : high[i];
      if (!(this.low[i] <= this.high[i])) throw new RangeError(`Box bound ${i}: low ${this.low[i]} > high ${this.high[i]}`);
    }
  }

  get size(): number {
    return this.low.length;
  }

  /** True when x has this shape and every element lies within the bounds (NaN never does). */
  contains(x: unknown): boolean {
    if (!(x instanceof Float32Array || x instanceof Float64Array || Array.isArray(x))) return false;
    if (x.length !== this.size) return false;
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as unknown;
      if (typeof v !== 'number' || !(v >= this.low[i] && v <= this.high[i])) return false;
    }
    return true;
  }

  /**
   * A random element, as Gymnasium's Box.sample: uniform on bounded dimensions, normal on unbounded ones,
   * shifted exponential on half-bounded ones; then cast to float32.
   */
  sample(rng: Rng): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i];
      const hi = this.high[i];
      const boundedBelow = Number.isFinite(lo);
      const boundedAbove = Number.isFinite(hi);
      let v: number;
      if (boundedBelow && boundedAbove) v = lo + (hi - lo) * rng.random();
      else if (!boundedBelow && !boundedAbove) v = rng.normal();
      else if (boundedBelow) v = lo - Math.log1p(-rng.random());
      else v = hi + Math.log1p(-rng.random());
      // Rounding to float32 can step just past a bound; keep the sample inside.
      out[i] = Math.min(Math.max(Math.fround(v), lo), hi);
    }
    return out;
  }

  toString(): string {
    const same = (a: Float32Array): boolean => a.every((v) => v === a[0]);
    const fmt = (a: Float32Array): string => (same(a) ? formatBound(a[0]) : `[${Array.from(a, formatBound).join(', ')}]`);
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, (${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}), float32)`;
  }
}

export class DiscreteSpace {
  readonly type = 'Discrete' as const;
  readonly dtype: Dtype = 'int64';
  readonly shape: readonly number[] = [];
  constructor(
    readonly n: number,
    readonly start = 0,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Discrete n must be a positive integer, got ${n}`);
  }

  /** True for an integer number in [start, start + n). */
  contains(x: unknown): boolean {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  sample(rng: Rng): number {
    return this.start + rng.integer(this.n);
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

export type Space = BoxSpace | DiscreteSpace;
