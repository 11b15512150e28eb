// The fast powf(x, 2) (src/core/envs/numeric/powf.ts) against the straight port of e_powf.c, bit for bit.
import { describe, expect, it } from 'vitest';
import { glibcPowf2 } from '../../../../src/core/envs/numeric/powf';
import { glibcPowf2Reference } from '../../../../src/core/envs/numeric/reference/powf';
import { createRng } from '../../../../src/core/rng/index';
import { disagreements, libmReference as ref, mismatches } from './libm-fixture';

const f32 = Math.fround;

describe('glibc powf(x, 2) fast path', () => {
  it('matches glibc on every recorded argument', () => {
    expect(mismatches(ref.powf2.x, ref.powf2.pow, glibcPowf2)).toEqual([]);
  });

  it('agrees with the reference on float32s of every magnitude, near rounding midpoints, and at the edges', () => {
    const rng = createRng(32);
    const xs: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const x = f32((rng.random() * 2 - 1) * 2 ** (rng.random() * 280 - 150));
      xs.push(x);
      // The float32 nearest the square root of a float32 rounding midpoint, and its neighbours.
      const r = f32(x * x);
      const mid = (r + f32(r * (1 + 2 ** -23))) / 2;
      const root = f32(Math.sqrt(mid));
      xs.push(root, f32(root * (1 + 2 ** -23)), f32(root * (1 - 2 ** -24)));
    }
    xs.push(0, -0, 2, -2, 2 ** -149, 2 ** -63, 2 ** 63, f32(2 ** 64 * 0.99), Infinity, -Infinity, NaN);
    expect(disagreements(xs, glibcPowf2, glibcPowf2Reference)).toEqual([]);
    expect(xs.filter((x) => glibcPowf2Reference(x) !== f32(x * x)).length).toBeGreaterThan(100);
  });
});
