/**
 * The numeric helpers the environments call, one object per numerics mode (see ./index.ts): every libm detail an
 * env would otherwise need (glibc's exact values, float32 rounding margins, which argument a sin/cos pair holds)
 * stays here.
 */
import { glibcPow2 } from './pow';
import { npyCosF32, npySinF32 } from './reference/npy-trig-f32';
import { SinCos } from './sin-cos';
import { glibcCos, glibcSin, glibcSinCos } from './sincos';

export type Numerics = 'glibc' | 'native';

/** The functions whose last bits differ between numpy (glibc's libm) and JavaScript. */
export interface Libm {
  sin(x: number): number;
  cos(x: number): number;
  /**
   * out.sin = sin(x), out.cos = cos(x) (the values of `sin` and `cos`). A pair that already holds x's values (the
   * same bits, sign of zero included) is left as it is, so an env can fill one for its observation and read it again
   * in its next step for free.
   */
  sinCos(x: number, out: SinCos): void;
  /** `x ** 2` on an np.float64 where it feeds the dynamics: glibc's pow(x, 2) ('glibc') or x * x ('native'). */
  square(x: number): number;
  /**
   * out[offset] = float32(cos(x)), out[offset + 1] = float32(sin(x)) for a float64 x: numpy's float64 cos and sin
   * stored into a float32 observation.
   */
  cosSinToF32(x: number, out: Float32Array, offset: number): void;
  /** Whether -cos(a) - cos(b) > limit in float64 (|limit| <= 2), as numpy evaluates it. */
  negCosSumExceeds(a: number, b: number, limit: number): boolean;
}

/** Whether `pair` holds the values of x: the same bits (x is never NaN here; a NaN pair argument holds none). */
function holds(pair: SinCos, x: number): boolean {
  return x === pair.x && (x !== 0 || 1 / x === 1 / pair.x);
}

/** Scratch for cosSinToF32's exact fallback (private: no result outlives the call). */
const fallback = new SinCos();

const GLIBC: Libm = {
  sin: glibcSin,
  cos: glibcCos,
  sinCos(x, out) {
    if (holds(out, x)) return;
    glibcSinCos(x, out);
    out.x = x;
  },
  square: glibcPow2,
  cosSinToF32(x, out, offset) {
    // A value within one ulp of glibc's rounds to the same float32 unless a float32 rounding boundary lies that
    // close. Math.cos/Math.sin (fdlibm, also within one ulp) are used when no boundary lies within 2^-40 (relative)
    // of them, a margin far wider than both libms' errors, and glibc's values otherwise (about one call in 2^14).
    const c = Math.cos(x);
    const s = Math.sin(x);
    const cf = Math.fround(c);
    const sf = Math.fround(s);
    const dc = Math.abs(c) * 2 ** -40;
    const ds = Math.abs(s) * 2 ** -40 + 2 ** -1060;
    if (Math.fround(c - dc) === cf && Math.fround(c + dc) === cf && Math.fround(s - ds) === sf && Math.fround(s + ds) === sf) {
      out[offset] = cf;
      out[offset + 1] = sf;
    } else {
      glibcSinCos(x, fallback);
      out[offset] = fallback.cos;
      out[offset + 1] = fallback.sin;
    }
  },
  negCosSumExceeds(a, b, limit) {
    // glibc's cosines lie in [-1 - 2^-52, 1 + 2^-52] and Math.cos(a) within 2^-51 of glibc's cos(a), so the sum is
    // below 1 - Math.cos(a) + 2^-50 whatever cos(b) is; when that is clearly below the limit, glibc's cos(b) is not
    // needed (the common case for Acrobot's termination test, cos(theta1) > 0).
    if (1 - Math.cos(a) + 2 ** -20 < limit) return false;
    return -glibcCos(a) - glibcCos(b) > limit;
  },
};

const NATIVE: Libm = {
  sin: Math.sin,
  cos: Math.cos,
  sinCos(x, out) {
    if (holds(out, x)) return;
    out.sin = Math.sin(x);
    out.cos = Math.cos(x);
    out.x = x;
  },
  square: (x) => x * x,
  cosSinToF32(x, out, offset) {
    out[offset] = Math.cos(x);
    out[offset + 1] = Math.sin(x);
  },
  negCosSumExceeds: (a, b, limit) => -Math.cos(a) - Math.cos(b) > limit,
};

/** The helpers of one numerics mode (default 'glibc'). */
export function libmFor(numerics: Numerics = 'glibc'): Libm {
  if (numerics === 'native') return NATIVE;
  if (numerics === 'glibc') return GLIBC;
  throw new RangeError(`numerics must be 'glibc' or 'native', got ${String(numerics)}`);
}

/**
 * out[offset] = cos(x), out[offset + 1] = sin(x) for a float32 x in float32 arithmetic: numpy's own float32 kernels
 * (not libm's), the same in both numerics modes.
 */
export function cosSinOfF32(x: number, out: Float32Array, offset: number): void {
  out[offset] = npyCosF32(x);
  out[offset + 1] = npySinF32(x);
}
