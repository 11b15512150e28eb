/**
 * The trainer's seeded random stream (sfc32, Box–Muller normals). Kept here rather than using core's rng because a
 * checkpoint must capture and restore the exact stream position: `state()` / `fromState()` expose its 4 words.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  random(): number;
  /** Standard normal. */
  normal(): number;
  /** Uniform integer in [0, n). */
  integer(n: number): number;
  /** The full state (for checkpoints). */
  state(): number[];
}

function sfc32(a: number, b: number, c: number, d: number, spare: number | null): Prng {
  let cachedNormal = spare;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  const prng: Prng = {
    random: next,
    normal() {
      if (cachedNormal !== null) {
        const z = cachedNormal;
        cachedNormal = null;
        return z;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      cachedNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    integer(n: number) {
      return Math.floor(next() * n);
    },
    state() {
      return [a >>> 0, b >>> 0, c >>> 0, d >>> 0, cachedNormal ?? NaN];
    },
  };
  return prng;
}

/** A stream seeded from an integer (splitmix32 expansion, then 12 warm-up draws). */
export function createPrng(seed: number): Prng {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const prng = sfc32(splitmix(), splitmix(), splitmix(), splitmix(), null);
  for (let i = 0; i < 12; i++) prng.random();
  return prng;
}

/** Restores a stream from `state()`. */
export function prngFromState(state: number[]): Prng {
  const spare = Number.isNaN(state[4]) || state[4] === undefined || state[4] === null ? null : state[4];
  return sfc32(state[0], state[1], state[2], state[3], spare);
}
