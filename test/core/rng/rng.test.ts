import { describe, expect, it } from 'vitest';
import { Pcg64Generator, SeedSequence, createRng, intToUint32Words } from '../../../src/core/rng/index';

// A direct BigInt transcription of numpy's pcg64.h, to check the 16-bit-limb arithmetic against.
const MASK128 = (1n << 128n) - 1n;
const MULT = 0x2360ed051fc65da44385df649fccf645n;
class ReferencePcg64 {
  state = 0n;
  inc = 0n;
  constructor(seed: number | number[]) {
    const w = Array.from(new SeedSequence(seed).generateState(8), BigInt);
    const u64 = [0, 1, 2, 3].map((k) => w[2 * k] | (w[2 * k + 1] << 32n));
    const initState = (u64[0] << 64n) | u64[1];
    const initSeq = (u64[2] << 64n) | u64[3];
    this.inc = ((initSeq << 1n) | 1n) & MASK128;
    this.step();
    this.state = (this.state + initState) & MASK128;
    this.step();
  }
  step(): void {
    this.state = (this.state * MULT + this.inc) & MASK128;
  }
  next64(): bigint {
    this.step();
    const x = ((this.state >> 64n) ^ this.state) & 0xffffffffffffffffn;
    const rot = this.state >> 122n;
    return ((x >> rot) | (x << ((64n - rot) & 63n))) & 0xffffffffffffffffn;
  }
}

describe('SeedSequence', () => {
  it('splits integer seeds into uint32 words, least significant first', () => {
    expect(intToUint32Words(0)).toEqual([0]);
    expect(intToUint32Words(42)).toEqual([42]);
    expect(intToUint32Words(2 ** 32 + 5)).toEqual([5, 1]);
    expect(() => intToUint32Words(-1)).toThrow(RangeError);
    expect(() => intToUint32Words(1.5)).toThrow(RangeError);
  });

  it('gives different pools for different seeds and the same pool for the same seed', () => {
    expect(Array.from(new SeedSequence(1).pool)).toEqual(Array.from(new SeedSequence(1).pool));
    expect(Array.from(new SeedSequence(1).pool)).not.toEqual(Array.from(new SeedSequence(2).pool));
  });
});

describe('Pcg64Generator', () => {
  it('reproduces numpy default_rng(seed).random()', () => {
    // np.random.default_rng(0).random(3) and np.random.default_rng(42).random()
    const rng = createRng(0);
    expect([rng.random(), rng.random(), rng.random()]).toEqual([0.6369616873214543, 0.2697867137638703, 0.04097352393619469]);
    expect(createRng(42).random()).toBe(0.7739560485559633);
  });

  it('matches a BigInt transcription of pcg64.h for small, large and multi-word seeds', () => {
    for (const seed of [0, 1, 42, 123456789, 2 ** 32 - 1, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER, [1, 2, 3, 4, 5, 6]]) {
      const fast = Pcg64Generator.fromSeed(seed);
      const ref = new ReferencePcg64(seed);
      for (let i = 0; i < 2000; i++) {
        const expected = ref.next64();
        if (i % 2 === 0) expect(fast.nextUint64()).toBe(expected);
        else expect(fast.random()).toBe(Number(expected >> 11n) * 2 ** -53);
      }
    }
  });

  it('restores a saved state and continues the same stream', () => {
    const rng = createRng(7);
    rng.random();
    const saved = rng.getState();
    const next = [rng.random(), rng.random()];
    const other = createRng(99);
    other.setState(saved);
    expect([other.random(), other.random()]).toEqual(next);
  });

  it('draws fresh entropy without a seed', () => {
    expect(createRng().random()).not.toBe(createRng().random());
  });

  it('integer(n) stays in range and covers it; normal() has mean 0 and variance 1', () => {
    const rng = createRng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[rng.integer(3)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    let sum = 0;
    let sumSq = 0;
    const n = 50000;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.03);
    expect(() => rng.integer(0)).toThrow(RangeError);
  });
});
