/**
 * sin and cos exactly as numpy computes them for float64 on x86-64 Linux: numpy calls glibc's libm, whose
 * sysdeps/ieee754/dbl-64/s_sin.c is not correctly rounded (V8's Math.sin/Math.cos, from fdlibm, disagree with it in
 * the last bit for about 3% of arguments). Chaotic dynamics (Acrobot, Pendulum) amplify those last bits, so replaying
 * a Gymnasium trajectory to the bit needs glibc's algorithm: this is `__sin`/`__cos` as glibc 2.36's FMA build
 * (`__sin_fma`/`__cos_fma`, chosen on any CPU with FMA and AVX2) compiles them, every fused multiply-add included.
 * |x| >= 105414350 (glibc's __branred range) falls back to Math.sin/Math.cos.
 */
import { fma, fmaCertified, halfUlp } from './fma';
import { SINCOS_TABLE as T } from './sincos-data';

// usncs.h
const SN3 = -0.16666666666666488;
const SN5 = 0.008333332142857223;
const CS2 = 0.5;
const CS4 = -0.04166666666666644;
const CS6 = 0.001388888740079376;
// s_sin.c TAYLOR_SIN coefficients
const S1 = -0.16666666666666666;
const S2 = 0.008333333333332329;
const S3 = -0.00019841269834414642;
const S4 = 2.755729806860771e-6;
const S5 = -2.5022014848318398e-8;
const BIG = 52776558133248.0; // 0x1.8p45
const HP0 = 1.5707963267948966;
const HP1 = 6.123233995736766e-17;
const TOINT = 6755399441055744.0; // 0x1.8p52
const HPINV = 0.6366197723675814;
const MP1 = 1.5707963407039642;
const MP2 = -1.3909067564377153e-8;
const PP3 = -4.97899623147991e-17;
const PP4 = -1.9034889620193266e-25;
// Thresholds on |x| from the high-word comparisons of s_sin.c.
const TINY_SIN = 2 ** -26; // 0x3e500000
const TINY_COS = 2 ** -27; // 0x3e400000
const SMALL = 0.85546875; // 0x3feb6000
const MEDIUM = 2.4262638092041016; // 0x400368fd
const LARGE = 105414336.0; // 0x419921fb

/** copysign for a nonzero sign argument (the only kind the callers pass). */
function copysign(magnitude: number, sign: number): number {
  const m = Math.abs(magnitude);
  return sign < 0 ? -m : m;
}

/** TAYLOR_SIN(xx, a, da): a - a^3/3! + ... + (1 - a^2) da / 2, for |a| < 0.126. */
function taylorSinExact(xx: number, a: number, da: number): number {
  const poly = fma(xx, fma(xx, fma(xx, fma(xx, S5, S4), S3), S2), S1);
  const t = fma(xx, fma(poly, a, -(0.5 * da)), da);
  return a + t;
}

/** do_sin(x, dx): sin(x + dx) from the table entry nearest |x| and short polynomials. */
function doSinExact(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) return taylorSinExact(x * x, x, dx);
  if (x <= 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  const k = ((u - BIG) * 128) << 2;
  const xr = ax - (u - BIG);
  const xx = xr * xr;
  const s = xr + fma(xr * xx, fma(xx, SN5, SN3), dx);
  const c = fma(xr, dx, xx * fma(xx, fma(xx, CS6, CS4), CS2));
  const sn = T[k];
  const ssn = T[k + 1];
  const cs = T[k + 2];
  const ccs = T[k + 3];
  const cor = fma(s, cs, fma(-c, sn, fma(s, ccs, ssn)));
  return copysign(sn + cor, xold);
}

/** do_cos(x, dx): cos(x + dx) from the table entry nearest |x| and short polynomials. */
function doCosExact(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  const k = ((u - BIG) * 128) << 2;
  const xr = ax - (u - BIG) + dx;
  const xx = xr * xr;
  const s = fma(xr * xx, fma(xx, SN5, SN3), xr);
  const c = xx * fma(xx, fma(xx, CS6, CS4), CS2);
  const sn = T[k];
  const ssn = T[k + 1];
  const cs = T[k + 2];
  const ccs = T[k + 3];
  const cor = fma(-s, sn, fma(-c, cs, fma(-s, ssn, ccs)));
  return cs + cor;
}

// Certified fast paths. Most fused multiply-adds here add a small product to a larger addend; `fmaC` computes
// those unfused and keeps the result when the product's rounding error (at most |p| 2^-53) plus the exact error of
// the addition stays below half a unit in the last place: then the fused result is the same double. Polynomial
// terms are evaluated unfused and certified on the addition that consumes them, against the deviation bound
// noted inline (about 2x the error analysis). The one fused multiply-add per kernel whose product dominates is
// emulated exactly (`fmaCertified`), with its addend from an unfused evaluation; its residual shows whether that
// addend's bounded deviation could change the rounding. Anything uncertain takes the fully fused path above.

const TWO_M53 = 2 ** -53;

/** fma(a, b, c), certified fast when |a*b| is small against the sum. */
function fmaC(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const v = s - p;
  const err = p - (s - v) + (c - v);
  if (Math.abs(err) + Math.abs(p) * TWO_M53 < halfUlp(s)) return s;
  return fma(a, b, c);
}

function taylorSin(xx: number, a: number, da: number): number {
  // Everything unfused, certified on the final addition a + t. With da = 0 the last two fmas add zero, so
  // t = xx * (poly * a) and |t' - t| <= |t| 2^-50; otherwise |t' - t| <= (|xx poly a| + |xx da| + |t| + |da|) 2^-50.
  const poly = (((S5 * xx + S4) * xx + S3) * xx + S2) * xx + S1;
  let t: number;
  let bound: number;
  if (da === 0) {
    t = xx * (poly * a);
    bound = Math.abs(t) * 2 ** -49;
  } else {
    const pa = poly * a;
    t = xx * (pa - 0.5 * da) + da;
    bound = (Math.abs(xx * pa) + Math.abs(xx * da) + Math.abs(t) + Math.abs(da)) * 2 ** -49;
  }
  const r = a + t;
  const v = r - a;
  const err = a - (r - v) + (t - v);
  if (Math.abs(err) + bound < halfUlp(r)) return r;
  return taylorSinExact(xx, a, da);
}

function doSin(x: number, dx: number): number {
  const xold = x;
  const dxold = dx;
  if (Math.abs(x) < 0.126) return taylorSin(x * x, x, dx);
  if (x <= 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  const k = ((u - BIG) * 128) << 2;
  const xr = ax - (u - BIG);
  const xx = xr * xr;
  // s = xr + fma(xr * xx, P1, dx), P1 = fma(xx, SN5, SN3): all unfused, |tt' - tt| <= (|qp| + |tt|) 2^-51.4
  // (P1 one ulp off, the product rounded, tt rounded differently); certified on the addition to xr.
  const qp = xr * xx * (xx * SN5 + SN3);
  const tt = qp + dx;
  const s = xr + tt;
  const v = s - xr;
  const sErr = xr - (s - v) + (tt - v);
  if (!(Math.abs(sErr) + (Math.abs(qp) + Math.abs(tt)) * 2 ** -50 < halfUlp(s))) return doSinExact(xold, dxold);
  // c = fma(xr, dx, xx * C): C certified, so c is exact when dx = 0. i1 = fma(s, ccs, ssn) unfused:
  // |i1' - i1| <= (|s ccs| + |i1|) 2^-53.
  const cPoly = xx * fmaC(xx, fmaC(xx, CS6, CS4), CS2);
  const c = dx === 0 ? cPoly : fmaC(xr, dx, cPoly);
  const sn = T[k];
  const sccs = s * T[k + 3];
  const i1 = sccs + T[k + 1];
  // i2 = fma(-c, sn, i1) unfused: |i2' - i2| <= (|c| + 3 |i2| + |s ccs| + |i1|) 2^-52.
  const i2 = i1 - c * sn;
  const dc = (Math.abs(c) + 3 * Math.abs(i2) + Math.abs(sccs) + Math.abs(i1)) * 2 ** -52;
  const cor = fmaCertified(s, T[k + 2], i2, dc);
  return cor === cor ? copysign(sn + cor, xold) : doSinExact(xold, dxold);
}

function doCos(x: number, dx: number): number {
  const xold = x;
  const dxold = dx;
  if (x < 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  const k = ((u - BIG) * 128) << 2;
  const xr = ax - (u - BIG) + dx;
  const xx = xr * xr;
  // s = fma(xr * xx, P1, xr) with P1 unfused: the product is off by at most |p| 2^-51.4 (P1 one ulp off, plus the
  // product's rounding) before the fused addition.
  const p = xr * xx * (xx * SN5 + SN3);
  const s = p + xr;
  const v = s - p;
  const sErr = p - (s - v) + (xr - v);
  if (!(Math.abs(sErr) + Math.abs(p) * 2 ** -50 < halfUlp(s))) return doCosExact(xold, dxold);
  // c = xx * C with C certified (exact); i1 = fma(-s, ssn, ccs) unfused: |i1' - i1| <= (|s ssn| + |i1|) 2^-53.
  const c = xx * fmaC(xx, fmaC(xx, CS6, CS4), CS2);
  const cs = T[k + 2];
  const sn = T[k];
  const sssn = s * T[k + 1];
  const i1 = T[k + 3] - sssn;
  const di1 = (Math.abs(sssn) + Math.abs(i1)) * 2 ** -52;
  let cor: number;
  if (Math.abs(s * sn) < 64 * Math.abs(c)) {
    // Near x = 0 (sn small) neither term of cor dominates: fuse i2 = fma(-c, cs, i1) (c is exact, i1 within di1)
    // and then cor = fma(-s, sn, i2) exactly.
    const i2 = fmaCertified(-c, cs, i1, di1);
    cor = i2 === i2 ? fmaCertified(-s, sn, i2, 0) : NaN;
  } else {
    // i2 = fma(-c, cs, i1) unfused: |i2' - i2| <= (|c| + 3 |i2|) 2^-52 + di1; the certificate fails with
    // probability about 8 |c| / |s sn| < 1/8 here.
    const i2 = i1 - c * cs;
    cor = fmaCertified(-s, sn, i2, (Math.abs(c) + 3 * Math.abs(i2)) * 2 ** -52 + di1);
  }
  return cor === cor ? cs + cor : doCosExact(xold, dxold);
}

// reduce_sincos's outputs (a, da). A typed array: module-level `let` doubles would be boxed on every store.
const reduced = new Float64Array(2);

/**
 * reduce_sincos: x = n pi/2 + (a + da), 136-bit accurate for |x| < 105414350; returns n mod 4. `fused` selects
 * emulated fusing everywhere; otherwise the products glibc's short constants make exact are done plainly, and n is
 * taken from the unfused x * 2/pi when that cannot round to a different integer.
 */
function reduceSincos(x: number, fused: boolean): number {
  let xn: number;
  const q = x * HPINV;
  const xnFast = q + TOINT - TOINT;
  if (!fused && Math.abs(q - xnFast) < 0.5 - Math.abs(q) * 2 ** -50) xn = xnFast;
  else xn = fma(x, HPINV, TOINT) - TOINT;
  const n = xn & 3;
  let y: number;
  let t2: number;
  let db: number;
  if (!fused && Math.abs(xn) < 2 ** 20) {
    // MP1, MP2 and PP3 have at most 29 significant bits: their products with |xn| < 2^20 are exact.
    y = x - xn * MP1 - xn * MP2;
    t2 = y - xn * PP3;
    db = y - t2 - xn * PP3;
  } else {
    y = fma(-xn, MP2, fma(-xn, MP1, x));
    t2 = fma(-xn, PP3, y);
    db = fma(-xn, PP3, y - t2);
  }
  const b = fused ? fma(-xn, PP4, t2) : fmaC(-xn, PP4, t2);
  db += fma(-xn, PP4, t2 - b);
  reduced[0] = b;
  reduced[1] = db;
  return n;
}

function doSincos(a: number, da: number, n: number, fused: boolean): number {
  const retval = n & 1 ? (fused ? doCosExact(a, da) : doCos(a, da)) : fused ? doSinExact(a, da) : doSin(a, da);
  return n & 2 ? -retval : retval;
}

/** glibc's sin(x), bit for bit. */
export function glibcSin(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY_SIN) return x;
  if (ax < SMALL) return doSin(x, 0);
  if (ax < MEDIUM) return copysign(doCos(HP0 - ax, HP1), x);
  if (ax < LARGE) {
    const n = reduceSincos(x, false);
    return doSincos(reduced[0], reduced[1], n, false);
  }
  return Math.sin(x);
}

/** glibc's cos(x), bit for bit. */
export function glibcCos(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY_COS) return 1.0;
  if (ax < SMALL) return doCos(x, 0);
  if (ax < MEDIUM) {
    const y = HP0 - ax;
    const a = y + HP1;
    const da = y - a + HP1;
    return doSin(a, da);
  }
  if (ax < LARGE) {
    const n = reduceSincos(x, false);
    return doSincos(reduced[0], reduced[1], n + 1, false);
  }
  return Math.cos(x);
}

/** glibc's sin(x) with every fused multiply-add emulated (no fast paths): the reference for tests. */
export function glibcSinReference(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY_SIN) return x;
  if (ax < SMALL) return doSinExact(x, 0);
  if (ax < MEDIUM) return copysign(doCosExact(HP0 - ax, HP1), x);
  if (ax < LARGE) {
    const n = reduceSincos(x, true);
    return doSincos(reduced[0], reduced[1], n, true);
  }
  return Math.sin(x);
}

/** glibc's cos(x) with every fused multiply-add emulated (no fast paths): the reference for tests. */
export function glibcCosReference(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY_COS) return 1.0;
  if (ax < SMALL) return doCosExact(x, 0);
  if (ax < MEDIUM) {
    const y = HP0 - ax;
    const a = y + HP1;
    const da = y - a + HP1;
    return doSinExact(a, da);
  }
  if (ax < LARGE) {
    const n = reduceSincos(x, true);
    return doSincos(reduced[0], reduced[1], n + 1, true);
  }
  return Math.cos(x);
}
