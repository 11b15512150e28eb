// What the environments call (src/core/envs/numeric/libm.ts), against the reference ports: the sin/cos pair and
// when it is reused, float32 observations of float64 cos/sin, and the certified cosine-sum comparison.
import { describe, expect, it } from 'vitest';
import { cosSinOfF32, libmFor } from '../../../../src/core/envs/numeric/libm';
import { npyCosF32, npySinF32 } from '../../../../src/core/envs/numeric/reference/npy-trig-f32';
import { glibcPow2Reference } from '../../../../src/core/envs/numeric/reference/pow';
import { glibcCosReference, glibcSinReference } from '../../../../src/core/envs/numeric/reference/sincos';
import { SinCos } from '../../../../src/core/envs/numeric/sin-cos';
import { createRng } from '../../../../src/core/rng/index';

const glibc = libmFor('glibc');
const native = libmFor('native');

describe('libmFor', () => {
  it("gives glibc's values by default and Math's for 'native', and rejects other modes", () => {
    // Arguments where glibc's cos and Math.cos differ, and where pow(x, 2) and x * x do.
    const rng = createRng(1);
    const xs = Array.from({ length: 2000 }, () => rng.random() * 3);
    const cosX = xs.find((x) => glibcCosReference(x) !== Math.cos(x)) ?? NaN;
    const squareX = xs.find((x) => glibcPow2Reference(x) !== x * x) ?? NaN;
    expect(libmFor().cos(cosX)).toBe(glibcCosReference(cosX));
    expect(native.cos(cosX)).toBe(Math.cos(cosX));
    expect(glibc.square(squareX)).toBe(glibcPow2Reference(squareX));
    expect(native.square(squareX)).toBe(squareX * squareX);
    expect(() => libmFor('fast' as never)).toThrow(/glibc.*native/);
  });
});

describe('Libm.sinCos', () => {
  it("fills the pair with glibc's sin and cos of each new argument", () => {
    const rng = createRng(3);
    const pair = new SinCos();
    const bad: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = (rng.random() * 2 - 1) * [0.5, 2, 8, 40][i % 4];
      glibc.sinCos(x, pair);
      if (!Object.is(pair.sin, glibcSinReference(x)) || !Object.is(pair.cos, glibcCosReference(x))) bad.push(x);
    }
    expect(bad).toEqual([]);
  });

  it('reuses a pair only for the same argument to the bit: -0 is not +0', () => {
    for (const libm of [glibc, native]) {
      const pair = new SinCos();
      libm.sinCos(0, pair);
      expect(Object.is(pair.sin, 0)).toBe(true);
      libm.sinCos(-0, pair);
      expect(Object.is(pair.sin, -0)).toBe(true);
      libm.sinCos(1, pair);
      pair.sin = 42; // a pair that claims to hold x's values is not recomputed...
      libm.sinCos(1, pair);
      expect(pair.sin).toBe(42);
      libm.sinCos(1 + 2 ** -52, pair); // ...one argument further on it is
      expect(pair.sin).toBe(libm.sin(1 + 2 ** -52));
      libm.sinCos(NaN, pair);
      expect([pair.sin, pair.cos]).toEqual([NaN, NaN]);
    }
  });
});

describe('Libm.cosSinToF32', () => {
  it("rounds glibc's cos and sin to float32, also where a float32 rounding boundary lies next to them", () => {
    // Half the arguments put cos or sin within a few double ulps of a float32 midpoint, where Math.cos/Math.sin and
    // glibc's values may round differently.
    const rng = createRng(11);
    const out = new Float32Array(2);
    const bad: number[] = [];
    let mathRoundsWrong = 0;
    for (let i = 0; i < 100_000; i++) {
      let x = (rng.random() * 2 - 1) * Math.PI;
      if (i % 2 === 1) {
        const v = Math.fround(i % 4 === 1 ? Math.cos(x) : Math.sin(x));
        const mid = (v + Math.fround(v * (1 + 2 ** -23))) / 2;
        const target = Math.min(1, Math.max(-1, mid * (1 + (rng.random() - 0.5) * 2 ** -50)));
        x = i % 4 === 1 ? Math.acos(target) * Math.sign(x) : Math.asin(target);
      }
      if (Math.fround(Math.cos(x)) !== Math.fround(glibcCosReference(x)) || Math.fround(Math.sin(x)) !== Math.fround(glibcSinReference(x))) mathRoundsWrong++;
      glibc.cosSinToF32(x, out, 0);
      if (!Object.is(out[0], Math.fround(glibcCosReference(x))) || !Object.is(out[1], Math.fround(glibcSinReference(x)))) bad.push(x);
    }
    expect(bad).toEqual([]);
    expect(mathRoundsWrong).toBeGreaterThan(10); // the arguments do reach where Math's values round differently
  });

  it('writes at the offset and leaves the rest of the buffer alone', () => {
    const out = new Float32Array([7, 7, 7, 7]);
    glibc.cosSinToF32(1, out, 1);
    expect(Array.from(out)).toEqual([7, Math.fround(glibcCosReference(1)), Math.fround(glibcSinReference(1)), 7]);
  });
});

describe('cosSinOfF32', () => {
  it("is numpy's float32 cos and sin", () => {
    const out = new Float32Array(3);
    for (const x of [Math.fround(0.1), Math.fround(-2.5), Math.fround(3.1)]) {
      cosSinOfF32(x, out, 1);
      expect([out[1], out[2]]).toEqual([npyCosF32(x), npySinF32(x)]);
    }
  });
});

describe('Libm.negCosSumExceeds', () => {
  it("decides -cos(a) - cos(b) > limit as glibc's cosines do, also where the sum lies next to the limit", () => {
    const rng = createRng(17);
    const bad: number[][] = [];
    let exceeded = 0;
    for (let i = 0; i < 100_000; i++) {
      const limit = [1, 1, 0.5, 1.5][i % 4];
      let a = (rng.random() * 2 - 1) * Math.PI;
      let b = (rng.random() * 2 - 1) * 2 * Math.PI;
      const cb = -limit - Math.cos(a); // cos(b) that puts the sum on the limit
      if (i % 3 === 1 && Math.abs(cb) <= 1) b = Math.acos(cb) * (1 + (rng.random() - 0.5) * 2 ** -50);
      if (i % 3 === 2) {
        // cos(b) next to -1 and the sum next to the limit: where deciding from cos(a) alone is closest to wrong.
        a = Math.acos(1 - limit + (rng.random() - 0.5) * 2 ** -36);
        b = Math.PI + (rng.random() - 0.5) * 2 ** -20;
      }
      const expected = -glibcCosReference(a) - glibcCosReference(b) > limit;
      if (expected) exceeded++;
      if (glibc.negCosSumExceeds(a, b, limit) !== expected) bad.push([a, b, limit]);
      if (native.negCosSumExceeds(a, b, limit) !== -Math.cos(a) - Math.cos(b) > limit) bad.push([a, b, limit, 0]);
    }
    expect(bad).toEqual([]);
    expect(exceeded).toBeGreaterThan(1000);
  });
});
