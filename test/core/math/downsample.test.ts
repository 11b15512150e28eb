import { describe, expect, it } from 'vitest';
import { downsample, lttbIndices, minMaxIndices } from '../../../src/core/math/downsample';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('minmax downsampling', () => {
  it('picks each bucket’s min and max in order (hand-worked)', () => {
    // Inner points 1..8 in two buckets: [5, 1, -3, 2] → max@1, min@3; [4, 9, 1, 0] → max@6, min@8.
    const y = [0, 5, 1, -3, 2, 4, 9, 1, 0, 2];
    expect(minMaxIndices(y, 6)).toEqual([0, 1, 3, 6, 8, 9]);
  });

  it('keeps first, last, global min and max within the budget', () => {
    const x = range(10_000);
    const y = x.map((i) => Math.sin(i / 50));
    y[3_711] = 42;
    y[8_002] = -17;
    const out = downsample(x, y, 200);
    expect(out.x.length).toBeLessThanOrEqual(200);
    expect(Math.max(...out.y)).toBe(42);
    expect(Math.min(...out.y)).toBe(-17);
    expect(out.x[0]).toBe(0);
    expect(out.x[out.x.length - 1]).toBe(9_999);
    for (let i = 1; i < out.x.length; i++) expect(out.x[i]).toBeGreaterThan(out.x[i - 1]);
  });

  it('returns short series whole and rejects a budget below 4', () => {
    expect(Array.from(downsample([1, 2, 3], [4, 5, 6], 10).y)).toEqual([4, 5, 6]);
    expect(() => downsample([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], 3)).toThrow(/maxPoints/);
  });
});

describe('LTTB downsampling', () => {
  it('keeps extremes even when both fall in one bucket', () => {
    const x = range(1_000);
    const y = x.map((i) => i % 7);
    y[500] = 100;
    y[501] = -100;
    const idx = lttbIndices(x, y, 20);
    expect(idx.length).toBe(20);
    expect(idx).toContain(500);
    expect(idx).toContain(501);
    expect(idx[0]).toBe(0);
    expect(idx[19]).toBe(999);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
  });

  it('picks the largest triangle in each bucket', () => {
    // Buckets {1,2,3} and {4,5,6}. Bucket 1 against (0,0) and the next bucket's mean (5,0): areas 0, 25, 0 → 2.
    // Bucket 2 against (2,5) and the last point (7,0): areas 15, 10, 5 → 4.
    const x = range(8);
    const y = [0, 0, 5, 0, 0, 0, 0, 0];
    const out = downsample(x, y, 4, 'lttb');
    expect(Array.from(out.x)).toEqual([0, 2, 4, 7]);
  });
});
