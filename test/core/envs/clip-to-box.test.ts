import { describe, expect, it } from 'vitest';
import { clipToBox } from '../../../src/core/envs/spaces';

describe('clipToBox', () => {
  it('clips each row of a batch to the per-dimension bounds and keeps NaN', () => {
    const low = Float32Array.from([-1, 0]);
    const high = Float32Array.from([1, 2]);
    const out = clipToBox([-3, 5, 0.5, -1, NaN, 1], low, high, new Float32Array(6));
    expect(Array.from(out)).toEqual([-1, 2, 0.5, 0, NaN, 1]);
  });

  it('writes into and returns the given array', () => {
    const out: number[] = [0];
    expect(clipToBox([4], [-2], [2], out)).toBe(out);
    expect(out).toEqual([2]);
  });
});
