// The certified fast sin/cos (src/core/envs/numeric/sincos.ts) against the straight port of s_sin.c, bit for bit.
import { describe, expect, it } from 'vitest';
import { glibcCosReference, glibcSinReference } from '../../../../src/core/envs/numeric/reference/sincos';
import { SinCos } from '../../../../src/core/envs/numeric/sin-cos';
import { glibcCos, glibcSin, glibcSinCos } from '../../../../src/core/envs/numeric/sincos';
import { createRng } from '../../../../src/core/rng/index';
import { disagreements, libmReference as ref, mismatches, nextUp } from './libm-fixture';

function sinCosOf(x: number): [number, number] {
  const out = new SinCos();
  glibcSinCos(x, out);
  return [out.sin, out.cos];
}

/**
 * Arguments for every branch: tiny, Taylor (< 0.126), table (< 0.855), pi/2 - x (< 2.426), the fast reduction
 * (|n| < 2^20) and the one beyond; near table nodes (multiples of 1/128) and near multiples of pi/2, where the
 * certificates are tightest; and the branch bounds themselves with their neighbours.
 */
function adversarialArguments(seed: number, count: number): number[] {
  const rng = createRng(seed);
  const scales = [3e-8, 1e-4, 0.126, 0.3, 0.86, 1.6, 2.43, 4, 7, 30, 1e3, 1e6, 1e8];
  const xs: number[] = [];
  for (let i = 0; i < count; i++) {
    let x = (rng.random() * 2 - 1) * scales[i % scales.length];
    if (i % 7 === 0) x = Math.round(x * 128) / 128 + (rng.random() - 0.5) * 2 ** -20;
    if (i % 11 === 0) x = Math.round(x / (Math.PI / 2)) * (Math.PI / 2) + (rng.random() - 0.5) * 2 ** -30;
    xs.push(x);
  }
  for (const bound of [2 ** -27, 2 ** -26, 0.126, 0.85546875, 2.4262638092041016, 105414336.0]) {
    for (const x of [bound, nextUp(bound), -bound, -nextUp(bound), bound - 2 ** -40 * bound]) xs.push(x);
  }
  xs.push(0, -0, Math.PI, -Math.PI, Math.PI / 2, 1e-300);
  return xs;
}

describe('glibc sin/cos fast path', () => {
  it('matches glibc on every recorded argument', () => {
    expect(mismatches(ref.sincos.x, ref.sincos.sin, glibcSin)).toEqual([]);
    expect(mismatches(ref.sincos.x, ref.sincos.cos, glibcCos)).toEqual([]);
  });

  it('sin and cos agree with the reference on uniform random arguments', () => {
    const rng = createRng(99);
    const xs = Array.from({ length: 200_000 }, (_, i) => (rng.random() * 2 - 1) * [0.13, 1, 3, 10, 100][i % 5]);
    expect(disagreements(xs, glibcSin, glibcSinReference)).toEqual([]);
    expect(disagreements(xs, glibcCos, glibcCosReference)).toEqual([]);
  });

  it('sin, cos and sinCos agree with the reference across every range and near every certificate edge', () => {
    const xs = adversarialArguments(2024, 300_000);
    expect(disagreements(xs, glibcSin, glibcSinReference)).toEqual([]);
    expect(disagreements(xs, glibcCos, glibcCosReference)).toEqual([]);
    expect(disagreements(xs, (x) => sinCosOf(x)[0], glibcSinReference)).toEqual([]);
    expect(disagreements(xs, (x) => sinCosOf(x)[1], glibcCosReference)).toEqual([]);
  });
});
