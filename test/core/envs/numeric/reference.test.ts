// The straight ports (src/core/envs/numeric/reference) against the values glibc and numpy computed, and the fma
// emulation they are built on against exact BigInt arithmetic.
import { describe, expect, it } from 'vitest';
import { fma } from '../../../../src/core/envs/numeric/fma';
import { npyCosF32, npySinF32 } from '../../../../src/core/envs/numeric/reference/npy-trig-f32';
import { glibcPow2Reference } from '../../../../src/core/envs/numeric/reference/pow';
import { glibcPowf2Reference } from '../../../../src/core/envs/numeric/reference/powf';
import { glibcCosReference, glibcSinReference } from '../../../../src/core/envs/numeric/reference/sincos';
import { createRng } from '../../../../src/core/rng/index';
import { libmReference as ref, mismatches } from './libm-fixture';

describe('reference ports', () => {
  it('the reference set is discriminating: JavaScript disagrees with glibc and numpy on some of it', () => {
    expect(mismatches(ref.sincos.x, ref.sincos.sin, Math.sin).length + mismatches(ref.sincos.x, ref.sincos.cos, Math.cos).length).toBeGreaterThan(0);
    expect(mismatches(ref.pow2.x, ref.pow2.pow, (x) => x * x).length).toBeGreaterThan(100);
    expect(mismatches(ref.powf2.x, ref.powf2.pow, (x) => Math.fround(x * x)).length).toBeGreaterThan(100);
    const roundedSin = (x: number) => Math.fround(Math.sin(Math.fround(x)));
    const roundedCos = (x: number) => Math.fround(Math.cos(Math.fround(x)));
    expect(mismatches(ref.trigf32.x, ref.trigf32.sin, roundedSin).length + mismatches(ref.trigf32.x, ref.trigf32.cos, roundedCos).length).toBeGreaterThan(0);
  });

  it("glibc's sin and cos (s_sin.c) match glibc on every reference argument", () => {
    expect(mismatches(ref.sincos.x, ref.sincos.sin, glibcSinReference)).toEqual([]);
    expect(mismatches(ref.sincos.x, ref.sincos.cos, glibcCosReference)).toEqual([]);
  });

  it("glibc's pow(x, 2) (e_pow.c) and powf(x, 2) (e_powf.c) match glibc, including where they are not x * x", () => {
    expect(mismatches(ref.pow2.x, ref.pow2.pow, glibcPow2Reference)).toEqual([]);
    expect(mismatches(ref.powf2.x, ref.powf2.pow, glibcPowf2Reference)).toEqual([]);
  });

  it("numpy's float32 sin and cos match numpy", () => {
    expect(mismatches(ref.trigf32.x, ref.trigf32.sin, npySinF32)).toEqual([]);
    expect(mismatches(ref.trigf32.x, ref.trigf32.cos, npyCosF32)).toEqual([]);
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
