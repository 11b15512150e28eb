/**
 * glibc's double-precision sin and cos, a straight port of sysdeps/ieee754/dbl-64/s_sin.c (`__sin`, `__cos` and
 * their helpers `do_sin`, `do_cos`, `reduce_sincos`, `do_sincos`, the `TAYLOR_SIN` macro) with the constants of
 * usncs.h, one function per function of the C source and in its order of operations. numpy calls this code for
 * float64 on x86-64 Linux; it is not correctly rounded, and V8's Math.sin/Math.cos (fdlibm) disagree with it in the
 * last bit for about 3% of arguments.
 *
 * The values are those of glibc 2.36's FMA build (`__sin_fma`/`__cos_fma`, chosen on any CPU with FMA and AVX2),
 * where GCC contracts `a * b + c` into fused multiply-adds: each `fma(...)` below stands where the compiler put one,
 * with the C expression it comes from beside it. |x| >= 105414350 (glibc's `__branred` range) falls back to
 * Math.sin/Math.cos.
 *
 * This is the oracle the certified fast path (../sincos.ts) is tested against, and the exact evaluation it falls
 * back to when a certificate fails.
 */
import { fma } from '../fma';
import { SINCOS_TABLE } from '../sincos-data';

// usncs.h
const SN3 = -0.16666666666666488;
const SN5 = 0.008333332142857223;
const CS2 = 0.5;
const CS4 = -0.04166666666666644;
const CS6 = 0.001388888740079376;
const BIG = 52776558133248.0; // 0x1.8p45
const HP0 = 1.5707963267948966;
const HP1 = 6.123233995736766e-17;
const TOINT = 6755399441055744.0; // 0x1.8p52
const HPINV = 0.6366197723675814;
const MP1 = 1.5707963407039642;
const MP2 = -1.3909067564377153e-8;
const PP3 = -4.97899623147991e-17;
const PP4 = -1.9034889620193266e-25;
// s_sin.c: the TAYLOR_SIN coefficients s1..s5.
const S1 = -0.16666666666666666;
const S2 = 0.008333333333332329;
const S3 = -0.00019841269834414642;
const S4 = 2.755729806860771e-6;
const S5 = -2.5022014848318398e-8;

/** The bounds on |x| of `__sin`'s and `__cos`'s branches (their comparisons of the high word, as doubles). */
export const SINCOS_RANGE = {
  /** 0x3e500000: below it sin(x) = x. */
  tinySin: 2 ** -26,
  /** 0x3e400000: below it cos(x) = 1. */
  tinyCos: 2 ** -27,
  /** 0x3feb6000: below it the table kernels take x directly. */
  small: 0.85546875,
  /** 0x400368fd: below it the kernels take pi/2 - |x|. */
  medium: 2.4262638092041016,
  /** 0x419921fb: from it on `__branred` (not ported). */
  large: 105414336.0,
} as const;

/** The constants of usncs.h, shared with the fast path. */
export const USNCS = { SN3, SN5, CS2, CS4, CS6, BIG, HP0, HP1, TOINT, HPINV, MP1, MP2, PP3, PP4 } as const;

/** The TAYLOR_SIN coefficients of s_sin.c, shared with the fast path. */
export const TAYLOR_SIN_POLY = { S1, S2, S3, S4, S5 } as const;

/** copysign(magnitude, sign) for a nonzero sign (the only kind s_sin.c passes). */
function copysign(magnitude: number, sign: number): number {
  const m = Math.abs(magnitude);
  return sign < 0 ? -m : m;
}

/**
 * TAYLOR_SIN(xx, a, da): a - a^3/3! + a^5/5! - a^7/7! + a^9/9! + (1 - a^2) da / 2, for |a| < 0.126.
 * C: `t = ((POLYNOMIAL (xx) * (a) - 0.5 * (da)) * (xx) + (da)); res = (a) + t;` with
 * `POLYNOMIAL (xx) = (((s5 * xx + s4) * xx + s3) * xx + s2) * xx + s1`.
 */
export function taylorSin(xx: number, a: number, da: number): number {
  const poly = fma(xx, fma(xx, fma(xx, fma(xx, S5, S4), S3), S2), S1);
  const t = fma(xx, fma(poly, a, -(0.5 * da)), da);
  return a + t;
}

/**
 * do_sin(x, dx): sin(x + dx) from the table entry nearest |x| (u.x = big + |x| rounds |x| to a multiple of 1/128)
 * and short polynomials in the remainder. `SINCOS_TABLE_LOOKUP (u, sn, ssn, cs, ccs)` reads entry 4 * (u.i[LOW_HALF]),
 * here 4 * 128 * (u - big).
 */
export function doSin(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) return taylorSin(x * x, x, dx);
  if (x <= 0) dx = -dx;
  const u = BIG + Math.abs(x);
  x = Math.abs(x) - (u - BIG);
  const xx = x * x;
  // s = x + (dx + x * xx * (sn3 + xx * sn5));
  const s = x + fma(x * xx, fma(xx, SN5, SN3), dx);
  // c = x * dx + xx * (cs2 + xx * (cs4 + xx * cs6));
  const c = fma(x, dx, xx * fma(xx, fma(xx, CS6, CS4), CS2));
  const k = ((u - BIG) * 128) << 2;
  const sn = SINCOS_TABLE[k];
  const ssn = SINCOS_TABLE[k + 1];
  const cs = SINCOS_TABLE[k + 2];
  const ccs = SINCOS_TABLE[k + 3];
  // cor = (ssn + s * ccs - sn * c) + cs * s;
  const cor = fma(s, cs, fma(-c, sn, fma(s, ccs, ssn)));
  return copysign(sn + cor, xold);
}

/** do_cos(x, dx): cos(x + dx), from the same table entry and polynomials as do_sin. */
export function doCos(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const u = BIG + Math.abs(x);
  x = Math.abs(x) - (u - BIG) + dx;
  const xx = x * x;
  // s = x + x * xx * (sn3 + xx * sn5);
  const s = fma(x * xx, fma(xx, SN5, SN3), x);
  // c = xx * (cs2 + xx * (cs4 + xx * cs6));
  const c = xx * fma(xx, fma(xx, CS6, CS4), CS2);
  const k = ((u - BIG) * 128) << 2;
  const sn = SINCOS_TABLE[k];
  const ssn = SINCOS_TABLE[k + 1];
  const cs = SINCOS_TABLE[k + 2];
  const ccs = SINCOS_TABLE[k + 3];
  // cor = (ccs - s * ssn - cs * c) - sn * s;
  const cor = fma(-s, sn, fma(-c, cs, fma(-s, ssn, ccs)));
  return cs + cor;
}

/**
 * reduce_sincos(x, &a, &da): x = n pi/2 + (a + da) for |x| < 105414350, accurate to 136 bits; returns [n mod 4, a,
 * da]. (`v.i[LOW_HALF] & 3` of t = xn + toint is xn mod 4.)
 */
export function reduceSincos(x: number): [number, number, number] {
  // t = (x * hpinv + toint); xn = t - toint;
  const xn = fma(x, HPINV, TOINT) - TOINT;
  // y = (x - xn * mp1) - xn * mp2;
  const y = fma(-xn, MP2, fma(-xn, MP1, x));
  const n = xn & 3;
  // t1 = xn * pp3; t2 = y - t1; db = (y - t2) - t1;
  const t2 = fma(-xn, PP3, y);
  let db = fma(-xn, PP3, y - t2);
  // t1 = xn * pp4; b = t2 - t1; db += (t2 - b) - t1;
  const b = fma(-xn, PP4, t2);
  db += fma(-xn, PP4, t2 - b);
  return [n, b, db];
}

/** do_sincos(a, da, n): sin (n even) or cos (n odd) of a + da, negated when n & 2. */
export function doSincos(a: number, da: number, n: number): number {
  const retval = n & 1 ? doCos(a, da) : doSin(a, da);
  return n & 2 ? -retval : retval;
}

/** `__sin(x)`, bit for bit. */
export function glibcSinReference(x: number): number {
  const ax = Math.abs(x);
  if (ax < SINCOS_RANGE.tinySin) return x;
  if (ax < SINCOS_RANGE.small) return doSin(x, 0);
  // t = hp0 - fabs (x); retval = copysign (do_cos (t, hp1), x);
  if (ax < SINCOS_RANGE.medium) return copysign(doCos(HP0 - ax, HP1), x);
  if (ax < SINCOS_RANGE.large) {
    const [n, a, da] = reduceSincos(x);
    return doSincos(a, da, n);
  }
  return Math.sin(x);
}

/** `__cos(x)`, bit for bit. */
export function glibcCosReference(x: number): number {
  const ax = Math.abs(x);
  if (ax < SINCOS_RANGE.tinyCos) return 1.0;
  if (ax < SINCOS_RANGE.small) return doCos(x, 0);
  if (ax < SINCOS_RANGE.medium) {
    // y = hp0 - fabs (x); a = y + hp1; da = (y - a) + hp1; retval = do_sin (a, da);
    const y = HP0 - ax;
    const a = y + HP1;
    const da = y - a + HP1;
    return doSin(a, da);
  }
  if (ax < SINCOS_RANGE.large) {
    const [n, a, da] = reduceSincos(x);
    return doSincos(a, da, n + 1);
  }
  return Math.cos(x);
}
