import { describe, expect, it } from 'vitest';
import {
  bootstrapCi,
  iqm,
  mannWhitneyU,
  mean,
  percentile,
  pooledIqm,
  probabilityOfImprovement,
  standardError,
  std,
  stratifiedBootstrapCi,
} from '../../../src/core/math/stats';

/** A generator replaying fixed uniforms, so bootstrap draws can be worked out by hand. */
function replay(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('descriptive statistics', () => {
  it('mean, population std and sample std', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(std([1, 2, 3, 4], 1)).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(standardError([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(mean([])).toBeNaN();
    expect(std([1], 1)).toBeNaN();
  });

  it('IQM trims 25% from each end like scipy trim_mean', () => {
    expect(iqm([8, 1, 7, 2, 6, 3, 5, 4])).toBe(4.5); // keeps 3..6
    expect(iqm([1, 2, 3, 4, 100])).toBe(3); // cuts ⌊1.25⌋ = 1 per side
    expect(pooledIqm([[1, 2], [3, 4, 100]])).toBe(3);
  });

  it('percentile interpolates linearly (numpy default)', () => {
    expect(percentile([4, 1, 3, 2], 25)).toBe(1.75);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
  });
});

describe('bootstrap intervals', () => {
  it('percentile bootstrap of the mean with hand-worked draws', () => {
    // Draw pairs → resamples [0,0], [0,10], [10,10], [10,0] → means 0, 5, 10, 5.
    const random = replay([0, 0, 0, 0.9, 0.9, 0.9, 0.9, 0]);
    const ci = bootstrapCi([0, 10], mean, { random, resamples: 4, level: 0.5 });
    expect(ci.estimate).toBe(5);
    expect(ci.low).toBeCloseTo(3.75, 12); // 25th percentile of [0, 5, 5, 10]
    expect(ci.high).toBeCloseTo(6.25, 12);
  });

  it('stratified bootstrap resamples within each task', () => {
    // Task 0 has runs [0, 10], task 1 has [1]. Resample 1: task0 → [0, 0], task1 → [1]; pooled mean 1/3.
    // Resample 2: task0 → [10, 10], task1 → [1]; pooled mean 7.
    const random = replay([0, 0, 0.5, 0.9, 0.9, 0.1]);
    const pooledMean = (s: number[][]): number => mean(s.flat());
    const ci = stratifiedBootstrapCi([[0, 10], [1]], pooledMean, { random, resamples: 2 });
    expect(ci.estimate).toBeCloseTo(11 / 3, 12);
    expect(ci.low).toBeCloseTo(1 / 3 + (7 - 1 / 3) * 0.025, 12);
    expect(ci.high).toBeCloseTo(1 / 3 + (7 - 1 / 3) * 0.975, 12);
  });
});

describe('probability of improvement', () => {
  it('Mann-Whitney U counts ties as one half', () => {
    // 1 beats none; 2 ties both 2s (0.5 + 0.5); 3 beats both → 3.
    expect(mannWhitneyU([1, 2, 3], [2, 2])).toBe(3);
  });

  it('averages U / (n_x n_y) over tasks', () => {
    // Task 0: X dominates (4/4 = 1); task 1: identical runs (2/4 = 0.5).
    expect(probabilityOfImprovement([[3, 4], [1, 2]], [[1, 2], [1, 2]])).toBe(0.75);
    expect(probabilityOfImprovement([[1, 2]], [[3, 4]])).toBe(0);
  });
});
