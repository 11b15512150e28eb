// The fast pow(x, 2) (src/core/envs/numeric/pow.ts) against the straight port of e_pow.c, bit for bit.
import { describe, expect, it } from 'vitest';
import { glibcPow2 } from '../../../../src/core/envs/numeric/pow';
import { glibcPow2Reference } from '../../../../src/core/envs/numeric/reference/pow';
import { createRng } from '../../../../src/core/rng/index';
import { disagreements, libmReference as ref, mismatches, nextUp } from './libm-fixture';

/** x whose exact square lies near the midpoint between x * x and its neighbour (half of them), else uniform. */
function nearMidpointArguments(seed: number, count: number, scales: number[]): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const x = (rng.random() * 2 - 1) * scales[i % scales.length];
    if (i % 2 === 0) return x;
    const p = x * x;
    return Math.sqrt((p + nextUp(p)) / 2) * (1 + (rng.random() - 0.5) * 2 ** -52) * Math.sign(x);
  });
}

/** (half an ulp of x * x - |x * x - p|) / p: how far the exact square is from a rounding midpoint, relative. */
function midpointDistance(x: number): number {
  const p = x * x;
  const t = 134217729 * x;
  const xh = t - (t - x);
  const xl = x - xh;
  const e = xh * xh - p + 2 * xh * xl + xl * xl;
  const ap = Math.abs(p);
  return ((ap + ap * 2 ** -53 - ap) * 0.5 - Math.abs(e)) / p;
}

describe('glibc pow(x, 2) fast path', () => {
  it('matches glibc on every recorded argument', () => {
    expect(mismatches(ref.pow2.x, ref.pow2.pow, glibcPow2)).toEqual([]);
  });

  it('agrees with the reference on random arguments and on arguments near rounding midpoints, over all scales', () => {
    const xs = nearMidpointArguments(77, 200_000, [1e-290, 1e-9, 0.3, 1, 1.4, 3, 7, 30, 1e4, 1e40, 1e75]);
    expect(disagreements(xs, glibcPow2, glibcPow2Reference)).toEqual([]);
  });

  it("differs from x * x only where x * x lies within the fast path's margin of a rounding midpoint", () => {
    // The fast path returns p = x * x when the exact square is farther than p 2^-58 (2^-20 <= |x| <= 2^20) from the
    // midpoint between p and its neighbour. Every disagreement of glibc's algorithm with p must lie inside that
    // margin, with room to spare.
    const rng = createRng(58);
    const xs = nearMidpointArguments(58, 200_000, [1]).map((x) => x * 2 ** (rng.random() * 40 - 20));
    const differing = xs.filter((x) => glibcPow2Reference(x) !== x * x);
    expect(differing.length).toBeGreaterThan(100);
    expect(Math.max(...differing.map(midpointDistance))).toBeLessThan(2 ** -59);
  });
});
