/**
 * Downsampling of (x, y) series for charts. Both methods keep the first and last points and the series' global
 * minimum and maximum, so a spike never disappears when zoomed out.
 *
 * - `minmax`: the middle points are cut into equal-count buckets; each bucket contributes its min and its max, in
 *   x order (the envelope a line chart would draw at that density).
 * - `lttb`: Largest-Triangle-Three-Buckets (Steinarsson 2013, "Downsampling Time Series for Visual
 *   Representation", §4.2), then the bucket holding the global min (max) swaps its pick for that point.
 *
 * Non-finite y values are never chosen as extremes (they are kept only if a bucket holds nothing else).
 * Inputs are parallel arrays with x non-decreasing; outputs are index lists into them or copied Float64Arrays.
 */

export type DownsampleMethod = 'minmax' | 'lttb';

export interface XY {
  x: Float64Array;
  y: Float64Array;
}

function checkArgs(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): void {
  if (x.length !== y.length) throw new Error(`downsample: x has ${x.length} points, y has ${y.length}`);
  if (!Number.isInteger(maxPoints) || maxPoints < 4) throw new RangeError(`downsample: maxPoints must be an integer ≥ 4, got ${maxPoints}`);
}

function allIndices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Indices of the finite global minimum and maximum of y (−1 when no value is finite). */
export function extremeIndices(y: ArrayLike<number>, from = 0, to = y.length): { min: number; max: number } {
  let min = -1;
  let max = -1;
  for (let i = from; i < to; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) continue;
    if (min < 0 || v < y[min]) min = i;
    if (max < 0 || v > y[max]) max = i;
  }
  return { min, max };
}

/** Min/max-per-bucket selection: at most `maxPoints` indices, ascending, including first, last, argmin, argmax. */
export function minMaxIndices(y: ArrayLike<number>, maxPoints: number): number[] {
  const n = y.length;
  if (n <= maxPoints) return allIndices(n);
  const buckets = Math.floor((maxPoints - 2) / 2);
  const inner = n - 2;
  const out: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (to <= from) continue;
    const { min, max } = extremeIndices(y, from, to);
    if (min < 0) {
      out.push(from);
    } else if (min === max) {
      out.push(min);
    } else {
      out.push(Math.min(min, max), Math.max(min, max));
    }
  }
  out.push(n - 1);
  return out;
}

/**
 * LTTB selection of at most `maxPoints` indices, then adjusted so that the global finite min and max are included
 * (each replaces the pick of its own bucket).
 */
export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): number[] {
  const n = y.length;
  if (n <= maxPoints) return allIndices(n);
  const buckets = maxPoints - 2;
  const size = (n - 2) / buckets;
  const bucketStart = (b: number): number => 1 + Math.floor(b * size);
  const out: number[] = [0];
  let a = 0;
  for (let b = 0; b < buckets; b++) {
    const from = bucketStart(b);
    const to = bucketStart(b + 1);
    // Average of the next bucket (the last point for the last bucket) is the third triangle vertex.
    const nextFrom = to;
    const nextTo = b + 1 < buckets ? bucketStart(b + 2) : n;
    let avgX = 0;
    let avgY = 0;
    let count = 0;
    for (let i = nextFrom; i < nextTo; i++) {
      if (!Number.isFinite(y[i])) continue;
      avgX += x[i];
      avgY += y[i];
      count++;
    }
    if (count > 0) {
      avgX /= count;
      avgY /= count;
    } else {
      avgX = x[n - 1];
      avgY = y[a];
    }
    let best = from;
    let bestArea = -1;
    for (let i = from; i < to; i++) {
      if (!Number.isFinite(y[i])) continue;
      const area = Math.abs((x[a] - avgX) * (y[i] - y[a]) - (x[a] - x[i]) * (avgY - y[a]));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    out.push(best);
    a = best;
  }
  out.push(n - 1);
  // Keep the extremes: each takes over the slot of the bucket it falls in.
  const { min, max } = extremeIndices(y);
  for (const keep of [min, max]) {
    if (keep <= 0 || keep >= n - 1 || out.includes(keep)) continue;
    const b = Math.min(buckets - 1, Math.floor((keep - 1) / size));
    let slot = b + 1;
    // Guard against float rounding at bucket edges: move to the slot whose bucket really contains `keep`.
    while (slot > 1 && keep < bucketStart(slot - 1)) slot--;
    while (slot < buckets && keep >= bucketStart(slot)) slot++;
    // If the other extreme already holds this bucket's slot, the neighbouring bucket gives up its pick.
    const other = keep === min ? max : min;
    if (out[slot] === other) slot = slot < buckets ? slot + 1 : slot - 1;
    out[slot] = keep;
  }
  return out.sort((p, q) => p - q);
}

/** Picks `indices` out of x and y. */
export function take(x: ArrayLike<number>, y: ArrayLike<number>, indices: readonly number[]): XY {
  const ox = new Float64Array(indices.length);
  const oy = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    ox[i] = x[indices[i]];
    oy[i] = y[indices[i]];
  }
  return { x: ox, y: oy };
}

/** Downsamples a series to at most `maxPoints` (≥ 4) points, keeping first, last, global min and global max. */
export function downsample(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  maxPoints: number,
  method: DownsampleMethod = 'minmax',
): XY {
  checkArgs(x, y, maxPoints);
  const indices = method === 'lttb' ? lttbIndices(x, y, maxPoints) : minMaxIndices(y, maxPoints);
  return take(x, y, indices);
}
