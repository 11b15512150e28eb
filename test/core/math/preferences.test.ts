import { describe, expect, it } from 'vitest';
import { preferenceLoss, preferenceLossGradient, preferenceProbability, rateSegments } from '../../../src/core/math/preferences';
import { createRng } from '../../../src/core/rng';

describe('Bradley–Terry preference probability and loss', () => {
  it('matches hand-worked values', () => {
    // exp(2) / (exp(2) + exp(1)) = 1 / (1 + e^-1) = 0.7310585786
    expect(preferenceProbability(2, 1)).toBeCloseTo(0.7310585786, 9);
    expect(preferenceProbability(1, 2)).toBeCloseTo(0.2689414214, 9);
    expect(preferenceProbability(3, 3)).toBe(0.5);
    // μ = 1: −log 0.7310585786 = 0.3132616875; μ = 0: −log 0.2689414214 = 1.3132616875; μ = ½: their mean.
    expect(preferenceLoss(2, 1, 1)).toBeCloseTo(0.3132616875, 9);
    expect(preferenceLoss(2, 1, 0)).toBeCloseTo(1.3132616875, 9);
    expect(preferenceLoss(2, 1, 0.5)).toBeCloseTo(0.8132616875, 9);
    // Equal sums: log 2 whatever the label.
    expect(preferenceLoss(0.5, 0.5, 1)).toBeCloseTo(Math.LN2, 12);
  });

  it('stays finite for large differences', () => {
    expect(preferenceProbability(1000, 0)).toBe(1);
    expect(preferenceProbability(0, 1000)).toBe(0);
    expect(preferenceLoss(0, 1000, 1)).toBeCloseTo(1000, 9);
    expect(preferenceLoss(1000, 0, 1)).toBeCloseTo(0, 12);
  });

  it('has the gradient of the loss w.r.t. the segment sums (finite differences)', () => {
    const h = 1e-6;
    for (const [s1, s2, mu] of [[0.3, -1.2, 1], [2, 2.5, 0], [-0.7, 0.4, 0.5], [5, -3, 0]]) {
      const g = preferenceLossGradient(s1, s2, mu);
      const fd1 = (preferenceLoss(s1 + h, s2, mu) - preferenceLoss(s1 - h, s2, mu)) / (2 * h);
      const fd2 = (preferenceLoss(s1, s2 + h, mu) - preferenceLoss(s1, s2 - h, mu)) / (2 * h);
      expect(g.dSum1).toBeCloseTo(fd1, 7);
      expect(g.dSum2).toBeCloseTo(fd2, 7);
    }
    // Hand-worked: P̂ = 0.7310585786, μ = 1 → dSum1 = −0.2689414214.
    expect(preferenceLossGradient(2, 1, 1).dSum1).toBeCloseTo(-0.2689414214, 9);
  });
});

describe('synthetic rater', () => {
  it('at temperature 0 without errors always prefers the higher true return, and ties are ½', () => {
    const rng = createRng(1);
    const settings = { temperature: 0, errorRate: 0 };
    expect(rateSegments(10, 3, settings, rng)).toBe(1);
    expect(rateSegments(3, 10, settings, rng)).toBe(0);
    expect(rateSegments(4, 4, settings, rng)).toBe(0.5);
    // Deterministic labels draw nothing from the stream.
    expect(rng.random()).toBe(createRng(1).random());
  });

  it('prefers with the Bradley–Terry probability at its temperature', () => {
    const rng = createRng(7);
    const n = 20_000;
    let ones = 0;
    for (let i = 0; i < n; i++) ones += rateSegments(2, 1, { temperature: 2, errorRate: 0 }, rng);
    // sigmoid((2 − 1) / 2) = 0.6224593312; 4 standard errors ≈ 0.0137.
    expect(Math.abs(ones / n - 0.6224593312)).toBeLessThan(0.0137);
  });

  it('flips labels at its error rate, and is reproducible from its seed', () => {
    const label = (rng: ReturnType<typeof createRng>) => rateSegments(5, 1, { temperature: 0, errorRate: 0.25 }, rng);
    const rng = createRng(3);
    const n = 20_000;
    let ones = 0;
    for (let i = 0; i < n; i++) ones += label(rng);
    // 75% correct; 4 standard errors ≈ 0.0122.
    expect(Math.abs(ones / n - 0.75)).toBeLessThan(0.0122);
    const a = createRng(11);
    const b = createRng(11);
    expect(Array.from({ length: 50 }, () => label(a))).toEqual(Array.from({ length: 50 }, () => label(b)));
  });
});
