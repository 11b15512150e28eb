import { describe, expect, it } from 'vitest';
import { collapseOf } from '../../../src/core/math/collapse';

const HALF = { drop: 0.5, minBest: 200, tail: 3 };

describe('collapseOf', () => {
  it('flags a curve whose last evaluations average at most half its best', () => {
    // Best 400 at index 2; the last three average (250 + 150 + 200) / 3 = 200 = half of 400.
    expect(collapseOf([20, 150, 400, 300, 250, 150, 200], HALF)).toEqual({ best: 400, bestIndex: 2, tailMean: 200 });
  });

  it('does not flag a tail just above half the best', () => {
    // (250 + 150 + 203) / 3 = 201 > 200.
    expect(collapseOf([20, 150, 400, 300, 250, 150, 203], HALF)).toBeNull();
  });

  it('does not count an early dip the curve recovers from', () => {
    // 372 → 174 loses over half, but the curve ends at 500.
    expect(collapseOf([199, 107, 372, 196, 174, 314, 478, 500, 500, 500], HALF)).toBeNull();
  });

  it('does not count a fall before the best has reached minBest', () => {
    // 150 → 20 loses 87%, but 150 < 200: the policy had not learned yet.
    expect(collapseOf([150, 20, 10, 20, 10], HALF)).toBeNull();
  });

  it('does not count a best that falls within the tail', () => {
    expect(collapseOf([10, 20, 30, 500, 10, 10], HALF)).toBeNull();
    expect(collapseOf([10, 500], HALF)).toBeNull();
  });

  it('rejects a drop outside (0, 1] and a tail that is no positive integer', () => {
    expect(() => collapseOf([1, 2], { ...HALF, drop: 0 })).toThrow(/drop/);
    expect(() => collapseOf([1, 2], { ...HALF, drop: 1.5 })).toThrow(/drop/);
    expect(() => collapseOf([1, 2], { ...HALF, tail: 0 })).toThrow(/tail/);
    expect(() => collapseOf([1, 2], { ...HALF, tail: 1.5 })).toThrow(/tail/);
  });
});
