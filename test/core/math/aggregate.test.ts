import { describe, expect, it } from 'vitest';
import { aggregateSeries } from '../../../src/core/math/aggregate';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('aggregateSeries', () => {
  it('aligns on the union grid with interpolation and no extrapolation (hand-worked)', () => {
    const a = { x: [0, 10, 20], y: [0, 10, 20] };
    const b = { x: [0, 20], y: [2, 6] }; // interpolates to 4 at x = 10
    const c = { x: [10, 30], y: [1, 3] }; // 2 at x = 20; absent at 0
    const agg = aggregateSeries([a, b, c]);
    expect(Array.from(agg.x)).toEqual([0, 10, 20, 30]);
    expect(Array.from(agg.count)).toEqual([2, 3, 3, 1]);
    expect(agg.mean[0]).toBe(1);
    expect(agg.mean[1]).toBe(5); // (10 + 4 + 1) / 3
    expect(agg.mean[2]).toBeCloseTo(28 / 3, 12);
    expect(agg.mean[3]).toBe(3);
    expect(agg.std[0]).toBeCloseTo(Math.SQRT2, 12); // |0 − 2| / √2
    expect(agg.std[1]).toBeCloseTo(Math.sqrt(21), 12); // (25 + 1 + 16) / 2
    expect(agg.std[3]).toBe(0);
    expect(Array.from(agg.min)).toEqual([0, 1, 2, 3]);
    expect(Array.from(agg.max)).toEqual([2, 10, 20, 3]);
  });

  it('averages repeated x within a series and drops non-finite values', () => {
    const agg = aggregateSeries([{ x: [0, 0, 10, 20], y: [1, 3, NaN, 5] }]);
    expect(Array.from(agg.x)).toEqual([0, 20]);
    expect(Array.from(agg.mean)).toEqual([2, 5]);
  });

  it('downsamples the grid keeping the extremes of the mean', () => {
    const xs = Array.from({ length: 500 }, (_, i) => i);
    const s1 = { x: xs, y: xs.map((i) => (i === 321 ? 1000 : Math.cos(i / 10))) };
    const s2 = { x: xs, y: xs.map((i) => (i === 77 ? -1000 : Math.cos(i / 10))) };
    const agg = aggregateSeries([s1, s2], { maxPoints: 50 });
    expect(agg.x.length).toBeLessThanOrEqual(50);
    expect(Array.from(agg.x)).toContain(321);
    expect(Array.from(agg.x)).toContain(77);
    expect(Math.max(...agg.max)).toBe(1000);
  });

  it('bootstrap CI of the mean is reproducible and brackets the mean', () => {
    const series = [0, 1, 2, 3, 4].map((k) => ({ x: [0, 1], y: [k, 10 + k] }));
    const one = aggregateSeries(series, { ci: { random: lcg(7), resamples: 500 } });
    const two = aggregateSeries(series, { ci: { random: lcg(7), resamples: 500 } });
    expect(Array.from(one.ciLow!)).toEqual(Array.from(two.ciLow!));
    for (let i = 0; i < 2; i++) {
      expect(one.ciLow![i]).toBeLessThan(one.mean[i]);
      expect(one.ciHigh![i]).toBeGreaterThan(one.mean[i]);
      expect(one.ciLow![i]).toBeGreaterThanOrEqual(one.min[i]);
      expect(one.ciHigh![i]).toBeLessThanOrEqual(one.max[i]);
    }
    const single = aggregateSeries([{ x: [0], y: [4] }], { ci: { random: lcg(1) } });
    expect([single.ciLow![0], single.ciHigh![0]]).toEqual([4, 4]);
  });
});
