import { describe, expect, it } from 'vitest';
import { firstCollapse } from '../../../src/core/math/collapse';

const HALF = { drop: 0.5, minBest: 400 };

describe('firstCollapse', () => {
  it('finds the first evaluation at or below half the running best once the best reached minBest', () => {
    // Best 420 at index 2; 211 is above 210 (no collapse), 210 is exactly half (collapse).
    expect(firstCollapse([20, 150, 420, 211, 210, 500], HALF)).toEqual({ index: 4, best: 420, value: 210 });
  });

  it('counts a sharp fall even when the curve climbs back afterwards', () => {
    expect(firstCollapse([500, 123, 27, 500, 500], HALF)).toEqual({ index: 1, best: 500, value: 123 });
  });

  it('does not count a fall before the running best has reached minBest', () => {
    // 372 → 174 loses 53%, but 372 < 400: the policy was still learning (a clip seed measured this).
    expect(firstCollapse([199, 107, 372, 196, 174, 478, 500, 500], HALF)).toBeNull();
  });

  it('never flags a curve that only rises or dips by less than the drop', () => {
    expect(firstCollapse([10, 100, 300, 500, 500], HALF)).toBeNull();
    expect(firstCollapse([102, 212, 500, 500, 359, 500, 251], HALF)).toBeNull();
  });

  it('measures the drop from the running best, not from the previous evaluation', () => {
    // Each step loses under 50% of the one before, but 180 is ≤ half of the best 500.
    expect(firstCollapse([500, 350, 260, 180], HALF)).toEqual({ index: 3, best: 500, value: 180 });
  });

  it('rejects a drop outside (0, 1]', () => {
    expect(() => firstCollapse([1, 2], { drop: 0, minBest: 0 })).toThrow(/drop/);
    expect(() => firstCollapse([1, 2], { drop: 1.5, minBest: 0 })).toThrow(/drop/);
  });
});
