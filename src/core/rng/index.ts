/**
 * Seeded random numbers for all of Proxima. `createRng(seed)` is numpy's `np.random.default_rng(seed)`:
 * SeedSequence -> PCG64, and `random()` reproduces `Generator.random()` to the bit. Without a seed it draws
 * 128 bits of fresh entropy from `globalThis.crypto`, as numpy draws from the OS.
 */
import { Pcg64Generator } from './pcg64';

export { Pcg64Generator, type Pcg64State } from './pcg64';
export { SeedSequence, intToUint32Words } from './seed-sequence';

export interface Rng {
  /** Uniform double in [0, 1): numpy `Generator.random()` exactly, for the same seed. */
  random(): number;
  /** Standard normal (mean 0, variance 1). */
  normal(): number;
  /** Uniform integer in [0, n), 1 <= n <= 2^32. */
  integer(n: number): number;
}

/** Four uint32 words of fresh entropy (numpy's SeedSequence(None) takes 128 bits from the OS). */
export function freshEntropy(): number[] {
  // Web Crypto is a global in browsers and Node >= 19; src/core compiles without DOM or Node types, hence the cast.
  const { crypto } = globalThis as unknown as { crypto: { getRandomValues(array: Uint32Array): Uint32Array } };
  const words = new Uint32Array(4);
  crypto.getRandomValues(words);
  return [...words];
}

/** `np.random.default_rng(seed)`; fresh entropy when seed is undefined. Seeds are non-negative safe integers. */
export function createRng(seed?: number): Pcg64Generator {
  return Pcg64Generator.fromSeed(seed === undefined ? freshEntropy() : seed);
}
