import { describe, expect, it } from 'vitest';
import { debiasedEma } from '../../../src/core/math/smoothing';

describe('debiasedEma (TensorBoard smoothing)', () => {
  it('debiases the start of the average', () => {
    // w = 0.5: last = 0.5 → /0.5 = 1; last = 1.25 → /0.75; last = 2.125 → /0.875.
    const out = debiasedEma([1, 2, 3], 0.5);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(1.25 / 0.75, 12);
    expect(out[2]).toBeCloseTo(2.125 / 0.875, 12);
  });

  it('passes non-finite values through without advancing', () => {
    const out = debiasedEma([1, NaN, 3], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1.75 / 0.75, 12);
  });

  it('weight 0 is the identity and a constant series is unchanged', () => {
    expect(Array.from(debiasedEma([3, -1, 7], 0))).toEqual([3, -1, 7]);
    expect(Array.from(debiasedEma([2, 2, 2], 0.9))).toEqual([2, 2, 2]);
    expect(() => debiasedEma([1], 1.5)).toThrow(/\[0, 1\]/);
  });
});
