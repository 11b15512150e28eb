// The libm ports against values computed by glibc/numpy (test/fixtures/gymnasium/libm-reference.json), their fast
// paths against their fully fused reference evaluations, and the fma emulation against exact BigInt arithmetic.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fma } from '../../../src/core/envs/numeric/fma';
import { npyCosF32, npySinF32 } from '../../../src/core/envs/numeric/npy-trig-f32';
import { glibcPow2, glibcPow2Certified, glibcPow2Reference } from '../../../src/core/envs/numeric/pow';
import { powf2 } from '../../../src/core/envs/numeric/powf';
import { glibcCos, glibcCosReference, glibcSin, glibcSinCos, glibcSinReference } from '../../../src/core/envs/numeric/sincos';
import { createRng } from '../../../src/core/rng/index';

interface LibmReference {
  sincos: { x: number[]; sin: number[]; cos: number[] };
  pow2: { x: number[]; pow: number[] };
  powf2: { x: number[]; pow: number[] };
  trigf32: { x: number[]; sin: number[]; cos: number[] };
}

const ref = JSON.parse(readFileSync(new URL('../../fixtures/gymnasium/libm-reference.json', import.meta.url), 'utf8')) as LibmReference;

function mismatches(xs: number[], expected: number[], f: (x: number) => number): number[] {
  return xs.filter((x, i) => !Object.is(f(x), expected[i]));
}

describe('glibc libm ports', () => {
  it('sin and cos match glibc on every reference argument', () => {
    expect(mismatches(ref.sincos.x, ref.sincos.sin, glibcSin)).toEqual([]);
    expect(mismatches(ref.sincos.x, ref.sincos.cos, glibcCos)).toEqual([]);
    expect(mismatches(ref.sincos.x, ref.sincos.sin, glibcSinReference)).toEqual([]);
    expect(mismatches(ref.sincos.x, ref.sincos.cos, glibcCosReference)).toEqual([]);
  });

  it('the reference set is discriminating: Math.sin/Math.cos disagree with glibc on some of it', () => {
    expect(mismatches(ref.sincos.x, ref.sincos.sin, Math.sin).length + mismatches(ref.sincos.x, ref.sincos.cos, Math.cos).length).toBeGreaterThan(0);
    expect(mismatches(ref.pow2.x, ref.pow2.pow, (x) => x * x).length).toBeGreaterThan(100);
    expect(mismatches(ref.powf2.x, ref.powf2.pow, (x) => Math.fround(x * x)).length).toBeGreaterThan(100);
  });

  it('x ** 2 matches glibc pow (float64) and powf (float32), including where it is not x * x', () => {
    expect(mismatches(ref.pow2.x, ref.pow2.pow, glibcPow2)).toEqual([]);
    expect(mismatches(ref.pow2.x, ref.pow2.pow, glibcPow2Reference)).toEqual([]);
    expect(mismatches(ref.powf2.x, ref.powf2.pow, powf2)).toEqual([]);
  });

  it("numpy's float32 sin and cos match numpy", () => {
    expect(mismatches(ref.trigf32.x, ref.trigf32.sin, npySinF32)).toEqual([]);
    expect(mismatches(ref.trigf32.x, ref.trigf32.cos, npyCosF32)).toEqual([]);
  });

  it('fast paths agree with the fully fused evaluations on random arguments', () => {
    const rng = createRng(99);
    const bad: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const scale = [0.13, 1, 3, 10, 100][i % 5];
      const x = (rng.random() * 2 - 1) * scale;
      if (glibcSin(x) !== glibcSinReference(x) || glibcCos(x) !== glibcCosReference(x) || glibcPow2(x * 7) !== glibcPow2Reference(x * 7)) bad.push(x);
    }
    expect(bad).toEqual([]);
  });

  it('certified sin/cos kernels and sincos agree with the fully fused evaluations across every range', () => {
    // Scales hit each branch: tiny, Taylor (< 0.126), table (< 0.855), pi/2 - x (< 2.426), the fast reduction
    // (|n| < 2^20) and the fused one beyond; arguments near table nodes and multiples of pi/2 stress the certificates.
    const rng = createRng(2024);
    const out = new Float64Array(2);
    const bad: number[] = [];
    const scales = [3e-8, 1e-4, 0.126, 0.3, 0.86, 1.6, 2.43, 4, 7, 30, 1e3, 1e6, 1e8];
    for (let i = 0; i < 300_000; i++) {
      const scale = scales[i % scales.length];
      let x = (rng.random() * 2 - 1) * scale;
      if (i % 7 === 0) x = Math.round(x * 128) / 128 + (rng.random() - 0.5) * 2 ** -20;
      if (i % 11 === 0) x = Math.round(x / (Math.PI / 2)) * (Math.PI / 2) + (rng.random() - 0.5) * 2 ** -30;
      const s = glibcSinReference(x);
      const c = glibcCosReference(x);
      glibcSinCos(x, out);
      if (!Object.is(glibcSin(x), s) || !Object.is(glibcCos(x), c) || !Object.is(out[0], s) || !Object.is(out[1], c)) bad.push(x);
    }
    expect(bad).toEqual([]);
  });

  it("pow(x, 2) differs from x * x only where x * x lies within the fast path's margin of a rounding midpoint", () => {
    // The fast path returns p = x * x when the exact square is farther than p 2^-58 (2^-20 <= |x| <= 2^20) from the
    // midpoint between p and its neighbour. Every disagreement of glibc's algorithm with p must lie inside that margin,
    // and with room to spare; arguments are drawn near midpoints (x = sqrt of a midpoint, nudged) half of the time.
    const rng = createRng(58);
    const bits = new Float64Array(1);
    const words = new BigInt64Array(bits.buffer);
    let disagreements = 0;
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      let x = (rng.random() * 2 - 1) * 2 ** (rng.random() * 40 - 20);
      if (i % 2 === 1) {
        bits[0] = x * x;
        const lo = bits[0];
        words[0] += 1n;
        x = Math.sqrt((lo + bits[0]) / 2) * (1 + (rng.random() - 0.5) * 2 ** -52);
      }
      const p = x * x;
      const t = 134217729 * x;
      const xh = t - (t - x);
      const xl = x - xh;
      const e = xh * xh - p + 2 * xh * xl + xl * xl;
      const ap = Math.abs(p);
      const distance = ((ap + ap * 2 ** -53 - ap) * 0.5 - Math.abs(e)) / p; // from the midpoint, relative
      if (glibcPow2Reference(x) !== p) {
        disagreements++;
        worst = Math.max(worst, distance);
      }
    }
    expect(disagreements).toBeGreaterThan(100);
    expect(worst).toBeLessThan(2 ** -59);
  });

  it("pow(x, 2)'s cheap exact evaluation (the fast path's fallback) is the fully fused one on random arguments", () => {
    const rng = createRng(77);
    const bad: number[] = [];
    const scales = [1e-290, 1e-9, 0.3, 1, 1.4, 3, 30, 1e4, 1e40, 1e75];
    for (let i = 0; i < 100_000; i++) {
      const x = (rng.random() * 2 - 1) * scales[i % scales.length];
      if (!Object.is(glibcPow2Certified(x), glibcPow2Reference(x))) bad.push(x);
    }
    expect(bad).toEqual([]);
  });
});

describe('fma emulation', () => {
  // Exact a*b + c by BigInt, rounded to nearest-even.
  function toExact(x: number): [bigint, number] {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    const exp = (hi >>> 20) & 0x7ff;
    let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    if (exp !== 0) mant |= 1n << 52n;
    return [hi >>> 31 ? -mant : mant, exp === 0 ? -1074 : exp - 1075];
  }
  function exactFma(a: number, b: number, c: number): number {
    const [ma, ea] = toExact(a);
    const [mb, eb] = toExact(b);
    const [mc, ec] = toExact(c);
    const ep = ea + eb;
    const e = Math.min(ep, ec);
    const sum = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e));
    if (sum === 0n) return a * b + c;
    let m = sum < 0n ? -sum : sum;
    let ee = e;
    const len = m.toString(2).length;
    if (len > 53) {
      const sh = BigInt(len - 53);
      const rem = m & ((1n << sh) - 1n);
      let q = m >> sh;
      const half = 1n << (sh - 1n);
      if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
      m = q;
      ee += len - 53;
    }
    return (sum < 0n ? -1 : 1) * Number(m) * 2 ** ee;
  }

  it('rounds a*b + c once, including exact cancellations and ties', () => {
    const rng = createRng(5);
    const wide = () => (rng.random() - 0.5) * 2 ** (Math.floor(rng.random() * 60) - 30);
    const short = () => Math.round((rng.random() - 0.5) * 2 ** (1 + Math.floor(rng.random() * 27))) * 2 ** (Math.floor(rng.random() * 40) - 20);
    const bad: number[][] = [];
    for (let i = 0; i < 60_000; i++) {
      const a = i % 2 ? wide() : short();
      const b = i % 3 ? wide() : short();
      const p = a * b;
      const c = [-p, -p * (1 + (rng.random() - 0.5) * 2 ** -40), p * 2 ** -54, wide(), short()][i % 5];
      if (!Object.is(fma(a, b, c), exactFma(a, b, c)) && !(fma(a, b, c) === 0 && exactFma(a, b, c) === 0)) bad.push([a, b, c]);
    }
    expect(bad).toEqual([]);
  });
});
