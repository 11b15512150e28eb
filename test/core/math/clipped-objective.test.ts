import { describe, expect, it } from 'vitest';
import { clippedFraction, clippedObjective, clippedObjectiveGrad, clipRatio, flatRegion, type RatioHistogram } from '../../../src/core/math/clipped-objective';
import { clippedSurrogate, clippedSurrogateGrad } from '../../../src/trainer/ppo/losses';

const GRID = Array.from({ length: 81 }, (_, i) => 0.4 + i * 0.015);

describe('clippedObjective', () => {
  it('is r·A inside [1−ε, 1+ε] and flat at (1±ε)·A where clipping binds (hand-worked, ε = 0.2)', () => {
    expect(clipRatio(1.5, 0.2)).toBe(1.2);
    expect(clipRatio(0.5, 0.2)).toBe(0.8);
    expect(clippedObjective(1.1, 2, 0.2)).toBeCloseTo(2.2, 12);
    expect(clippedObjective(1.5, 2, 0.2)).toBeCloseTo(2.4, 12); // A > 0: capped at (1+ε)·A
    expect(clippedObjective(0.5, 2, 0.2)).toBeCloseTo(1.0, 12); // A > 0, r small: the unclipped r·A is the min
    expect(clippedObjective(0.5, -2, 0.2)).toBeCloseTo(-1.6, 12); // A < 0: held at (1−ε)·A
    expect(clippedObjective(1.5, -2, 0.2)).toBeCloseTo(-3.0, 12); // A < 0, r large: no cap on the penalty
  });

  it('has zero gradient exactly on the flat region, A elsewhere', () => {
    for (const advantage of [1, -1, 0.3]) {
      const flat = flatRegion(advantage, 0.2)!;
      for (const r of GRID) {
        const inFlat = r > flat.from && r < flat.to;
        expect(clippedObjectiveGrad(r, advantage, 0.2), `A=${advantage} r=${r}`).toBe(inFlat ? 0 : advantage);
      }
    }
    expect(flatRegion(0, 0.2)).toBeNull();
    expect(flatRegion(1, 0.1)).toEqual({ from: 1.1, to: Infinity });
    expect(flatRegion(-1, 0.1)).toEqual({ from: -Infinity, to: 0.9 });
  });

  it('is the negation of the loss the trainer minimizes, gradient included', () => {
    for (const eps of [0.05, 0.2, 0.3]) {
      for (const advantage of [1.7, -0.4]) {
        for (const r of GRID) {
          expect(clippedObjective(r, advantage, eps)).toBeCloseTo(-clippedSurrogate(r, advantage, eps), 12);
          expect(clippedObjectiveGrad(r, advantage, eps)).toBe(-clippedSurrogateGrad(r, advantage, eps) || 0);
        }
      }
    }
  });
});

describe('clippedFraction', () => {
  // 4 bins of 0.25 over [0.5, 1.5): [0.5, 0.75), [0.75, 1), [1, 1.25), [1.25, 1.5).
  const h: RatioHistogram = { low: 0.5, high: 1.5, bins: [0.1, 0.3, 0.4, 0.1], underflow: 0.05, overflow: 0.05 };

  it('counts whole bins outside [1−ε, 1+ε] and the under/overflow', () => {
    const f = clippedFraction(h, 0.25);
    expect(f.below).toBeCloseTo(0.15, 12);
    expect(f.above).toBeCloseTo(0.15, 12);
    expect(f.total).toBeCloseTo(0.3, 12);
  });

  it('splits a bin cut by a bound in proportion', () => {
    // ε = 0.125: below 0.875 = underflow + bin 0 + half of bin 1; above 1.125 = half of bin 2 + bin 3 + overflow.
    const f = clippedFraction(h, 0.125);
    expect(f.below).toBeCloseTo(0.05 + 0.1 + 0.15, 12);
    expect(f.above).toBeCloseTo(0.2 + 0.1 + 0.05, 12);
  });

  it('is the under/overflow alone when ε reaches past the binned range, and 1 at ε → 0', () => {
    expect(clippedFraction(h, 0.6).total).toBeCloseTo(0.1, 12);
    expect(clippedFraction(h, 1e-12).total).toBeCloseTo(1, 9);
  });
});
