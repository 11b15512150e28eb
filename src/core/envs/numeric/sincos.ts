/**
 * sin and cos exactly as numpy computes them for float64 on x86-64 Linux: numpy calls glibc's libm, whose
 * sysdeps/ieee754/dbl-64/s_sin.c is not correctly rounded (V8's Math.sin/Math.cos, from fdlibm, disagree with it in
 * the last bit for about 3% of arguments). Chaotic dynamics (Acrobot, Pendulum) amplify those last bits, so replaying
 * a Gymnasium trajectory to the bit needs glibc's algorithm: this is `__sin`/`__cos` as glibc 2.36's FMA build
 * (`__sin_fma`/`__cos_fma`, chosen on any CPU with FMA and AVX2) compiles them, every fused multiply-add included.
 * |x| >= 105414350 (glibc's __branred range) falls back to Math.sin/Math.cos.
 */
import { fma } from './fma';
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
// PP4 split exactly into 26-bit halves (Veltkamp): their products with |xn| < 2^20 are exact.
const PP4_HI = 134217729 * PP4 - (134217729 * PP4 - PP4);
const PP4_LO = PP4 - PP4_HI;
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

// Certified fast paths. glibc's kernels end in RN(sn + cor) (or RN(cs + cor), RN(a + t)) where cor comes from a
// chain of fused multiply-adds. Tier 1 (trigCore, sinCosTable) evaluates the whole chain unfused and certifies only
// the final rounding: a rigorous bound on how far each unfused intermediate can be from glibc's (the forward error
// analysis noted inline, with margin) plus the exact residual of the final addition must lie strictly inside half
// an ulp of the result, which is then the double glibc rounds to. When that fails (about 2% of calls), tier 2
// (kernelTier2) certifies s and C separately and evaluates the fused multiply-add that dominates cor exactly (Dekker
// products with the table values pre-split); anything still uncertain goes to the fully fused kernels above.
// Arguments and results go through `io`, so no double is boxed per call.
// The tier-1 expressions are written out in each entry (trigCore, cosMedium, sinCosTable, sinCosTableZero) on
// purpose: factored into shared helpers returning NaN on failure, the same code measured 8-10% slower per Acrobot
// step (V8 stops inlining them into the already large callers).

const TWO_M53 = 2 ** -53;
const TWO_M52 = 2 ** -52;
const TWO_M50 = 2 ** -50;
const SPLITTER = 134217729; // 2^27 + 1

/** The table with each sn and cs also split exactly into 26-bit halves: [sn, ssn, cs, ccs, snHi, snLo, csHi, csLo]. */
const TS = new Float64Array((T.length / 4) * 8);
for (let i = 0; i < T.length / 4; i++) {
  for (let j = 0; j < 4; j++) TS[8 * i + j] = T[4 * i + j];
  for (const [from, to] of [
    [0, 4],
    [2, 6],
  ]) {
    const v = T[4 * i + from];
    const t = SPLITTER * v;
    const hi = t - (t - v);
    TS[8 * i + to] = hi;
    TS[8 * i + to + 1] = v - hi;
  }
}

/** Kernel I/O: [0] a, [1] da (inputs), [2] result ([3] the second result of sinCosTable). */
const io = new Float64Array(4);

/**
 * Everything of sin/cos past the tiny range in one call (so callers pay one call and no boxing): mode 0 is
 * glibc's sin(io[0]), mode 1 its cos(io[0]), for TINY <= |x| < LARGE; mode 4 + n is do_sincos(io[0], io[1], n)
 * (n & 1: do_cos, else do_sin; n & 2 negates). The result goes to io[2]: the certified fast evaluation, or the exact
 * kernel when a certificate fails.
 */
function trigCore(mode: number): void {
  let x: number;
  let da: number;
  let n: number;
  const arg = io[0];
  if (mode >= 4) {
    x = arg;
    da = io[1];
    n = mode - 4;
  } else {
    const aarg = Math.abs(arg);
    if (aarg < SMALL) {
      // sin: do_sin(x, 0); cos: do_cos(x, 0).
      x = arg;
      da = 0;
      n = mode;
    } else if (aarg < MEDIUM) {
      // sin only (glibcCos takes this range to cosMedium): copysign(do_cos(hp0 - |x|, hp1), x), do_cos positive here.
      x = HP0 - aarg;
      da = HP1;
      n = arg < 0 ? 3 : 1;
    } else {
      n = reduceSincos(false) + mode;
      x = io[0];
      da = io[1];
    }
  }
  let dx = da;
  let res: number;
  const ax = Math.abs(x);
  if ((n & 1) === 0 && ax < 0.126) {
    // TAYLOR_SIN(x*x, x, dx) unfused, certified on the final addition a + t. poly unfused is within one ulp (2^-55,
    // 2^-52.4 relative) of glibc's. With dx = 0 the last two fmas add zero, so t = RN(xx * RN(poly * a)) and
    // |t' - t| <= |t| (2^-52.4 + 3 * 2^-53) < |t| 2^-50.9, bounded by |t| 2^-50; otherwise the same terms plus the
    // roundings of the two additions give |t' - t| < (|xx poly a| + |xx dx| + |t| + |dx|) 2^-50.
    const xx = x * x;
    const poly = (((S5 * xx + S4) * xx + S3) * xx + S2) * xx + S1;
    let t: number;
    let bound: number;
    if (dx === 0) {
      t = xx * (poly * x);
      bound = Math.abs(t) * TWO_M50;
    } else {
      const pa = poly * x;
      t = xx * (pa - 0.5 * dx) + dx;
      bound = (Math.abs(xx * pa) + Math.abs(xx * dx) + Math.abs(t) + Math.abs(dx)) * TWO_M50;
    }
    res = x + t;
    const v = res - x;
    const err = x - (res - v) + (t - v);
    const ar = Math.abs(res);
    if (!(Math.abs(err) + bound < (ar + ar * TWO_M53 - ar) * 0.5)) res = taylorSinExact(xx, x, dx);
  } else {
    if ((n & 1) === 0 ? x <= 0 : x < 0) dx = -dx;
    const u = BIG + ax;
    const ub = u - BIG;
    const k = (ub * 1024) | 0; // 8 * (table index)
    let xr = ax - ub;
    if ((n & 1) !== 0) xr += dx; // do_cos folds dx into the reduced argument
    const xx = xr * xr;
    // P1 = fma(xx, SN5, SN3) unfused is within one ulp (2^-55) of glibc's, 2^-52.4 relative.
    const qp = xr * xx * (xx * SN5 + SN3);
    // C = fma(xx, fma(xx, CS6, CS4), CS2) in [0.4999, 0.5] unfused is within one ulp (2^-54) of glibc's.
    const cP = xx * (xx * (xx * CS6 + CS4) + CS2);
    const sn = TS[k];
    const ssn = TS[k + 1];
    const cs = TS[k + 2];
    const ccs = TS[k + 3];
    // Tier 1: everything unfused, one certificate on the final rounding. Each glibc intermediate g and ours g'
    // differ by at most D(g): the deviation of the inputs, the rounding of our product (|product| 2^-53), and the
    // two roundings of the sum (|g'| 2^-53 each, glibc's bounded by |g'| (1 + 2^-50) 2^-53, together below
    // 2.01 |g'| 2^-53); |sn|, |cs| <= 1 and |ssn|, |ccs| < 2^-50 (table tails). The final RN(sn + cor) (or
    // RN(cs + cor)) is glibc's when the exact residual of ours plus D(cor) is inside half an ulp of the result. A
    // failure (a few percent) goes on to tier 2 below.
    if ((n & 1) === 0) {
      // s = RN(xr + RN(q P1 + dx)): D(s) <= (|qp| + |tt|) 2^-51.5 (P1 within one ulp, 2^-52.4 relative; product and
      // sum roundings) + (|s| + |s_glibc|) 2^-53, within (|qp| + |tt| + |s|) 2^-51 (1 + 2^-10).
      const tt = qp + dx;
      const s1 = xr + tt;
      // Zero when s is certified to be glibc's (the exact residual of xr + tt plus tt's deviation, as in tier 2).
      const vs = s1 - xr;
      const as1 = Math.abs(s1);
      const ds =
        Math.abs(xr - (s1 - vs) + (tt - vs)) + (Math.abs(qp) + Math.abs(tt)) * TWO_M50 < (as1 + as1 * TWO_M53 - as1) * 0.5
          ? 0
          : (Math.abs(qp) + Math.abs(tt) + as1) * (2 ** -51 * 1.001);
      // c: C unfused within one ulp of glibc's (2^-54 at 0.5), so D(cP) <= |cP| 2^-51.4; with dx also the product
      // xr dx and the sum's two roundings: D(c) <= (|c| + |cP| + |xr dx|) 2^-51.
      let c1 = cP;
      let dc1 = Math.abs(cP) * 2 ** -51;
      if (dx !== 0) {
        const xd = xr * dx;
        c1 = xd + cP;
        dc1 = (Math.abs(c1) + Math.abs(cP) + Math.abs(xd)) * 2 ** -51;
      }
      const sccs = s1 * ccs;
      const i1 = sccs + ssn;
      const csn = c1 * sn;
      const i2 = i1 - csn;
      const scs = s1 * cs;
      const cor1 = scs + i2;
      const res1 = sn + cor1;
      const eres = cor1 - (res1 - sn); // exact (Fast2Sum: |sn| >= 0.12 > |cor|)
      // D(cor) <= D(s) (|cs| + |ccs|) + D(c) |sn| + product and sum roundings of i1, i2, cor.
      const dcor = ds + dc1 + (Math.abs(sccs) + 2.01 * Math.abs(i1) + Math.abs(csn) + 2.01 * Math.abs(i2) + Math.abs(scs) + 2.01 * Math.abs(cor1)) * TWO_M53;
      const ar = Math.abs(res1);
      if (Math.abs(eres) + dcor < (ar + ar * TWO_M53 - ar) * 0.5) {
        io[2] = (x < 0) !== ((n & 2) !== 0) ? -ar : ar;
        return;
      }
    } else {
      // s = RN(q P1 + xr): D(s) <= |qp| 2^-51.5 + (|s| + |s_glibc|) 2^-53 <= (|qp| + |s|) 2^-51 (1 + 2^-10).
      const s1 = qp + xr;
      const vs = s1 - qp;
      const as1 = Math.abs(s1);
      const ds =
        Math.abs(qp - (s1 - vs) + (xr - vs)) + Math.abs(qp) * TWO_M50 < (as1 + as1 * TWO_M53 - as1) * 0.5
          ? 0
          : (Math.abs(qp) + as1) * (2 ** -51 * 1.001);
      const dc1 = Math.abs(cP) * 2 ** -51;
      const sssn = s1 * ssn;
      const i1 = ccs - sssn;
      const ccs1 = cP * cs;
      const i2 = i1 - ccs1;
      const ssn1 = s1 * sn;
      const cor1 = i2 - ssn1;
      const res1 = cs + cor1;
      const eres = cor1 - (res1 - cs); // exact (Fast2Sum: |cs| >= 0.65 > |cor|)
      // D(cor) <= D(s) (|sn| + |ssn|) + D(c) |cs| + product and sum roundings of i1, i2, cor.
      const dcor = ds + dc1 + (Math.abs(sssn) + 2.01 * Math.abs(i1) + Math.abs(ccs1) + 2.01 * Math.abs(i2) + Math.abs(ssn1) + 2.01 * Math.abs(cor1)) * TWO_M53;
      const ar = Math.abs(res1);
      if (Math.abs(eres) + dcor < (ar + ar * TWO_M53 - ar) * 0.5) {
        io[2] = (n & 2) === 0 ? res1 : -res1;
        return;
      }
    }
    io[0] = x;
    io[1] = da;
    kernelTier2(n);
    return;
  }
  io[2] = (n & 2) === 0 ? res : -res;
}

/** Tier 2 of the table path (see `trigCore`): s and C certified, the dominant fused multiply-add of cor exact. */
function kernelTier2(n: number): void {
  const x = io[0];
  let dx = io[1];
  let res: number;
  const ax = Math.abs(x);
  {
    if ((n & 1) === 0 ? x <= 0 : x < 0) dx = -dx;
    const u = BIG + ax;
    const ub = u - BIG;
    const k = (ub * 1024) | 0; // 8 * (table index)
    let xr = ax - ub;
    if ((n & 1) !== 0) xr += dx;
    const xx = xr * xr;
    const qp = xr * xx * (xx * SN5 + SN3);
    // C = fma(xx, fma(xx, CS6, CS4), CS2) in [0.4999, 0.5]: the inner fma unfused is within one ulp (2^-57) of
    // glibc's, so m = xx * inner is within |m| 2^-53 + xx 2^-57 of glibc's product; C = RN(0.5 + m) is certified
    // against half an ulp below 0.5 (2^-55), with the exact residual of that addition (Fast2Sum, |m| < 0.5).
    const m = xx * (xx * CS6 + CS4);
    const cc = m + CS2;
    const cErr = m - (cc - CS2);
    const cP = xx * cc;
    let fail = !(Math.abs(cErr) + Math.abs(m) * TWO_M52 + xx * 2 ** -56 < 2 ** -55);
    const sn = TS[k];
    const ssn = TS[k + 1];
    const cs = TS[k + 2];
    const ccs = TS[k + 3];
    let cor = 0;
    let s: number;
    if ((n & 1) === 0) {
      // do_sin. s = xr + fma(xr*xx, P1, dx): |tt' - tt| <= (|qp| + |tt|) 2^-51.4, certified on the addition to xr.
      const tt = qp + dx;
      s = xr + tt;
      const v = s - xr;
      const sErr = xr - (s - v) + (tt - v);
      const as = Math.abs(s);
      fail ||= !(Math.abs(sErr) + (Math.abs(qp) + Math.abs(tt)) * TWO_M50 < (as + as * TWO_M53 - as) * 0.5);
      // c = fma(xr, dx, cP): exact when dx = 0, else within (|xr dx| + |c| + |c'|) 2^-53 (product rounding, two
      // differing roundings), bounded by (|xr dx| + 3 |c'|) 2^-53.
      let c = cP;
      let dc = 0;
      if (dx !== 0) {
        const xd = xr * dx;
        c = xd + cP;
        dc = (Math.abs(xd) + 3 * Math.abs(c)) * TWO_M53;
      }
      // i1 = fma(s, ccs, ssn), i2 = fma(-c, sn, i1) unfused: each product rounding adds |product| 2^-53, each pair
      // of differing roundings (|i| + |i'|) 2^-53, and c's deviation dc |sn| <= dc: |i2' - i2| <= (|c sn| + 3 |i2| +
      // |s ccs| + 3 |i1|) 2^-53 + dc.
      const sccs = s * ccs;
      const i1 = sccs + ssn;
      const csn = c * sn;
      const i2 = i1 - csn;
      const di2 = (Math.abs(csn) + 3 * Math.abs(i2) + Math.abs(sccs) + 3 * Math.abs(i1)) * TWO_M53 + dc;
      // cor = fma(s, cs, i2): s * cs = p + e exactly (cs pre-split), p + i2 = sigma + r exactly.
      const t = SPLITTER * s;
      const sh = t - (t - s);
      const sl = s - sh;
      const p = s * cs;
      const e = sh * TS[k + 6] - p + sh * TS[k + 7] + sl * TS[k + 6] + sl * TS[k + 7];
      const sigma = p + i2;
      const w0 = sigma - p;
      const r = p - (sigma - w0) + (i2 - w0);
      const w = r + e;
      cor = sigma + w;
      // |exact - cor| <= |sigma + w - cor| (exact) + |w| 2^-53 + di2.
      const resid = sigma - cor + w;
      const acor = Math.abs(cor);
      fail ||= !(Math.abs(resid) + Math.abs(w) * TWO_M52 + di2 < (acor + acor * TWO_M53 - acor) * 0.5);
      res = sn + cor;
      res = x < 0 ? -Math.abs(res) : Math.abs(res); // copysign(sn + cor, x): x != 0 here
      if (fail) res = doSinExact(x, io[1]);
    } else {
      // do_cos. s = fma(xr*xx, P1, xr): the product is within |qp| 2^-51.4 of glibc's.
      s = qp + xr;
      const v = s - qp;
      const sErr = qp - (s - v) + (xr - v);
      const as = Math.abs(s);
      fail ||= !(Math.abs(sErr) + Math.abs(qp) * TWO_M50 < (as + as * TWO_M53 - as) * 0.5);
      const c = cP;
      // i1 = fma(-s, ssn, ccs) unfused: |i1' - i1| <= (|s ssn| + 3 |i1|) 2^-53 (product rounding, both roundings).
      const sssn = s * ssn;
      const i1 = ccs - sssn;
      const di1 = (Math.abs(sssn) + 3 * Math.abs(i1)) * TWO_M53;
      // s = sh + sl exactly.
      const t = SPLITTER * s;
      const sh = t - (t - s);
      const sl = s - sh;
      // i2 = fma(-c, cs, i1) exactly (cs pre-split: -c * cs = p + e), certified against i1's deviation; cor =
      // fma(-s, sn, i2) below then has no input deviation at all. (Near x = 0 sn is small and neither term of cor
      // dominates, so i2 must be exact; elsewhere exactness makes cor's certificate practically never fail.)
      let i2: number;
      {
        const t2 = SPLITTER * c;
        const ch = t2 - (t2 - c);
        const cl = c - ch;
        const p = -c * cs;
        const e = -(ch * TS[k + 6]) - p - ch * TS[k + 7] - cl * TS[k + 6] - cl * TS[k + 7];
        const sigma = p + i1;
        const w0 = sigma - p;
        const r = p - (sigma - w0) + (i1 - w0);
        const w = r + e;
        i2 = sigma + w;
        const resid = sigma - i2 + w;
        const ai2 = Math.abs(i2);
        fail ||= !(Math.abs(resid) + Math.abs(w) * TWO_M52 + di1 < (ai2 + ai2 * TWO_M53 - ai2) * 0.5);
      }
      // cor = fma(-s, sn, i2): -s * sn = p + e exactly (sn pre-split).
      const p = -s * sn;
      const e = -(sh * TS[k + 4]) - p - sh * TS[k + 5] - sl * TS[k + 4] - sl * TS[k + 5];
      const sigma = p + i2;
      const w0 = sigma - p;
      const r = p - (sigma - w0) + (i2 - w0);
      const w = r + e;
      cor = sigma + w;
      const resid = sigma - cor + w;
      const acor = Math.abs(cor);
      fail ||= !(Math.abs(resid) + Math.abs(w) * TWO_M52 < (acor + acor * TWO_M53 - acor) * 0.5);
      res = cs + cor;
      if (fail) res = doCosExact(x, io[1]);
    }
  }
  io[2] = (n & 2) === 0 ? res : -res;
}

/**
 * reduce_sincos of x = io[0]: x = n pi/2 + (a + da), 136-bit accurate for |x| < 105414350; writes a, da to io[0], io[1] and
 * returns n mod 4. `fused` selects emulated fusing everywhere; otherwise the products glibc's short constants make
 * exact are done plainly, and n is taken from the unfused x * 2/pi when that cannot round to a different integer.
 */
function reduceSincos(fused: boolean): number {
  const x = io[0];
  let xn: number;
  const q = x * HPINV;
  const xnFast = q + TOINT - TOINT;
  if (!fused && Math.abs(q - xnFast) < 0.5 - Math.abs(q) * TWO_M50) xn = xnFast;
  else xn = fma(x, HPINV, TOINT) - TOINT;
  const n = xn & 3;
  if (!fused && Math.abs(xn) < 2 ** 20) {
    // MP1, MP2 and PP3 have at most 29 significant bits: their products with |xn| < 2^20 are exact.
    const y = x - xn * MP1 - xn * MP2;
    const t2 = y - xn * PP3;
    const db = y - t2 - xn * PP3;
    // -xn * PP4 = A + B exactly (PP4 pre-split into 26-bit halves). b = RN(t2 + A + B): t2 + A = sigma + r
    // (TwoSum), r + B = w + wErr (TwoSum), b = RN(sigma + w) with the exact residual sigma + w - b (Sterbenz: |w| is
    // far below |sigma| when |t2| > 2^-40), so t2 + A + B - b = resid + wErr exactly. b is glibc's when that is
    // inside half an ulp of b; glibc's fma(-xn, PP4, t2 - b) is then RN(resid + wErr) (t2 - b is exact).
    const A = -xn * PP4_HI;
    const B = -xn * PP4_LO;
    const sigma = t2 + A;
    let v = sigma - t2;
    const r = t2 - (sigma - v) + (A - v);
    const w = r + B;
    v = w - r;
    const wErr = r - (w - v) + (B - v);
    const b = sigma + w;
    const resid = sigma - b + w;
    const ab = Math.abs(b);
    if (Math.abs(t2) > 2 ** -40 && Math.abs(resid) + Math.abs(wErr) < (ab + ab * TWO_M53 - ab) * 0.5) {
      io[0] = b;
      io[1] = db + (resid + wErr);
      return n;
    }
  }
  let y: number;
  let t2: number;
  let db: number;
  if (!fused && Math.abs(xn) < 2 ** 20) {
    y = x - xn * MP1 - xn * MP2;
    t2 = y - xn * PP3;
    db = y - t2 - xn * PP3;
  } else {
    y = fma(-xn, MP2, fma(-xn, MP1, x));
    t2 = fma(-xn, PP3, y);
    db = fma(-xn, PP3, y - t2);
  }
  const b = fma(-xn, PP4, t2);
  db += fma(-xn, PP4, t2 - b);
  io[0] = b;
  io[1] = db;
  return n;
}

/** glibc's sin(x), bit for bit. */
export function glibcSin(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY_SIN) return x;
  if (!(ax < LARGE)) return Math.sin(x);
  io[0] = x;
  trigCore(0);
  return io[2];
}

/**
 * Tier 1 of glibc's cos for 0.855 <= |x| < 2.43 (trigCore handles this range for sin only), do_sin(a, da) with
 * a + da = hp0 - |x| + hp1 (`trigCore`'s expressions and bounds, as a small function the caller can inline): writes
 * io[2] and returns true, or returns false when the certificate fails (then cosMediumFallback).
 */
function cosMedium(ax: number): boolean {
  const y = HP0 - ax;
  const a = y + HP1;
  const da = y - a + HP1;
  const aa = Math.abs(a);
  if (aa < 0.126) {
    const xx = a * a;
    const poly = (((S5 * xx + S4) * xx + S3) * xx + S2) * xx + S1;
    const pa = poly * a;
    const t = xx * (pa - 0.5 * da) + da;
    const bound = (Math.abs(xx * pa) + Math.abs(xx * da) + Math.abs(t) + Math.abs(da)) * TWO_M50;
    const res = a + t;
    const v = res - a;
    const err = a - (res - v) + (t - v);
    const ar = Math.abs(res);
    if (!(Math.abs(err) + bound < (ar + ar * TWO_M53 - ar) * 0.5)) return false;
    io[2] = res;
    return true;
  }
  const dx = a <= 0 ? -da : da;
  const u = BIG + aa;
  const ub = u - BIG;
  const k = (ub * 1024) | 0;
  const xr = aa - ub;
  const xx = xr * xr;
  const qp = xr * xx * (xx * SN5 + SN3);
  const cP = xx * (xx * (xx * CS6 + CS4) + CS2);
  const sn = TS[k];
  const ssn = TS[k + 1];
  const cs = TS[k + 2];
  const ccs = TS[k + 3];
  const tt = qp + dx;
  const s1 = xr + tt;
  const vs = s1 - xr;
  const as1 = Math.abs(s1);
  const ds =
    Math.abs(xr - (s1 - vs) + (tt - vs)) + (Math.abs(qp) + Math.abs(tt)) * TWO_M50 < (as1 + as1 * TWO_M53 - as1) * 0.5
      ? 0
      : (Math.abs(qp) + Math.abs(tt) + as1) * (2 ** -51 * 1.001);
  const xd = xr * dx;
  const c1 = xd + cP;
  const dc1 = (Math.abs(c1) + Math.abs(cP) + Math.abs(xd)) * 2 ** -51;
  const sccs = s1 * ccs;
  const i1 = sccs + ssn;
  const csn = c1 * sn;
  const i2 = i1 - csn;
  const scs = s1 * cs;
  const cor1 = scs + i2;
  const res1 = sn + cor1;
  const eres = cor1 - (res1 - sn);
  const dcor = ds + dc1 + (Math.abs(sccs) + 2.01 * Math.abs(i1) + Math.abs(csn) + 2.01 * Math.abs(i2) + Math.abs(scs) + 2.01 * Math.abs(cor1)) * TWO_M53;
  const ar = Math.abs(res1);
  if (!(Math.abs(eres) + dcor < (ar + ar * TWO_M53 - ar) * 0.5)) return false;
  io[2] = a < 0 ? -ar : ar;
  return true;
}

/**
 * cosMedium's certificate failed: the same do_sin(a, da) straight through the exact Taylor kernel or tier 2 (kept
 * apart so cosMedium stays small enough to inline).
 */
function cosMediumFallback(ax: number): void {
  const y = HP0 - ax;
  const a = y + HP1;
  const da = y - a + HP1;
  if (Math.abs(a) < 0.126) io[2] = taylorSinExact(a * a, a, da);
  else {
    io[0] = a;
    io[1] = da;
    kernelTier2(0);
  }
}

/** glibc's cos(x), bit for bit. */
export function glibcCos(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY_COS) return 1.0;
  if (!(ax < LARGE)) return Math.cos(x);
  if (ax >= SMALL && ax < MEDIUM) {
    if (!cosMedium(ax)) cosMediumFallback(ax);
    return io[2];
  }
  io[0] = x;
  trigCore(1);
  return io[2];
}

/**
 * Tier 1 of do_sin(a, da) and do_cos(a, da) together for 2^-26 <= |a| < 0.86 (the same table entry, and with
 * da = 0 the same reduced argument and polynomials; do_sin is TAYLOR_SIN below 0.126): the expressions and bounds of
 * `trigCore`'s tier 1. Writes
 * do_sin to io[2] and do_cos to io[3] (signs as glibc's kernels return them) and returns true, or returns false when
 * either certificate fails.
 */
function sinCosTable(a: number, da: number): boolean {
  const ax = Math.abs(a);
  const u = BIG + ax;
  const ub = u - BIG;
  const k = (ub * 1024) | 0;
  const sn = TS[k];
  const ssn = TS[k + 1];
  const cs = TS[k + 2];
  const ccs = TS[k + 3];
  const xr0 = ax - ub;
  if (ax < 0.126) {
    // TAYLOR_SIN(a*a, a, da), as in trigCore.
    const xx = a * a;
    const poly = (((S5 * xx + S4) * xx + S3) * xx + S2) * xx + S1;
    let t: number;
    let bound: number;
    if (da === 0) {
      t = xx * (poly * a);
      bound = Math.abs(t) * TWO_M50;
    } else {
      const pa = poly * a;
      t = xx * (pa - 0.5 * da) + da;
      bound = (Math.abs(xx * pa) + Math.abs(xx * da) + Math.abs(t) + Math.abs(da)) * TWO_M50;
    }
    const res = a + t;
    const v = res - a;
    const err = a - (res - v) + (t - v);
    const ar = Math.abs(res);
    if (!(Math.abs(err) + bound < (ar + ar * TWO_M53 - ar) * 0.5)) return false;
    io[2] = res;
  } else {
    // do_sin: dx = -da when a <= 0.
    const dx = a <= 0 ? -da : da;
    const xr = xr0;
    const xx = xr * xr;
    const qp = xr * xx * (xx * SN5 + SN3);
    const cP = xx * (xx * (xx * CS6 + CS4) + CS2);
    const tt = qp + dx;
    const s1 = xr + tt;
    // Zero when s is certified to be glibc's (the exact residual of xr + tt plus tt's deviation, as in tier 2).
    const vs = s1 - xr;
    const as1 = Math.abs(s1);
    const ds =
      Math.abs(xr - (s1 - vs) + (tt - vs)) + (Math.abs(qp) + Math.abs(tt)) * TWO_M50 < (as1 + as1 * TWO_M53 - as1) * 0.5
        ? 0
        : (Math.abs(qp) + Math.abs(tt) + as1) * (2 ** -51 * 1.001);
    let c1 = cP;
    let dc1 = Math.abs(cP) * 2 ** -51;
    if (dx !== 0) {
      const xd = xr * dx;
      c1 = xd + cP;
      dc1 = (Math.abs(c1) + Math.abs(cP) + Math.abs(xd)) * 2 ** -51;
    }
    const sccs = s1 * ccs;
    const i1 = sccs + ssn;
    const csn = c1 * sn;
    const i2 = i1 - csn;
    const scs = s1 * cs;
    const cor1 = scs + i2;
    const res1 = sn + cor1;
    const eres = cor1 - (res1 - sn);
    const dcor = ds + dc1 + (Math.abs(sccs) + 2.01 * Math.abs(i1) + Math.abs(csn) + 2.01 * Math.abs(i2) + Math.abs(scs) + 2.01 * Math.abs(cor1)) * TWO_M53;
    const ar = Math.abs(res1);
    if (!(Math.abs(eres) + dcor < (ar + ar * TWO_M53 - ar) * 0.5)) return false;
    io[2] = a < 0 ? -ar : ar;
  }
  // do_cos: dx = -da when a < 0, folded into the reduced argument.
  {
    const xr = da === 0 ? xr0 : xr0 + (a < 0 ? -da : da);
    const xx = xr * xr;
    const qp = xr * xx * (xx * SN5 + SN3);
    const cP = xx * (xx * (xx * CS6 + CS4) + CS2);
    const s1 = qp + xr;
    const vs = s1 - qp;
    const as1 = Math.abs(s1);
    const ds =
      Math.abs(qp - (s1 - vs) + (xr - vs)) + Math.abs(qp) * TWO_M50 < (as1 + as1 * TWO_M53 - as1) * 0.5
        ? 0
        : (Math.abs(qp) + as1) * (2 ** -51 * 1.001);
    const dc1 = Math.abs(cP) * 2 ** -51;
    const sssn = s1 * ssn;
    const i1 = ccs - sssn;
    const ccs1 = cP * cs;
    const i2 = i1 - ccs1;
    const ssn1 = s1 * sn;
    const cor1 = i2 - ssn1;
    const res1 = cs + cor1;
    const eres = cor1 - (res1 - cs);
    const dcor = ds + dc1 + (Math.abs(sssn) + 2.01 * Math.abs(i1) + Math.abs(ccs1) + 2.01 * Math.abs(i2) + Math.abs(ssn1) + 2.01 * Math.abs(cor1)) * TWO_M53;
    const ar = Math.abs(res1);
    if (!(Math.abs(eres) + dcor < (ar + ar * TWO_M53 - ar) * 0.5)) return false;
    io[3] = res1;
  }
  return true;
}

/**
 * sinCosTable(a, 0) for 0.126 <= |a| < 0.86 with the work the two kernels share done once: with da = 0 do_sin and
 * do_cos reduce to the same xr and evaluate the same s = RN(xr + q P1) and C, so only the two corrections differ.
 * The bound on s's deviation is do_sin's (the larger of the two). Same results and certificates as sinCosTable.
 */
function sinCosTableZero(a: number): boolean {
  const ax = Math.abs(a);
  const u = BIG + ax;
  const ub = u - BIG;
  const k = (ub * 1024) | 0;
  const sn = TS[k];
  const ssn = TS[k + 1];
  const cs = TS[k + 2];
  const ccs = TS[k + 3];
  const xr = ax - ub;
  const xx = xr * xr;
  const qp = xr * xx * (xx * SN5 + SN3);
  const cP = xx * (xx * (xx * CS6 + CS4) + CS2);
  const s1 = xr + qp;
  const vs = s1 - xr;
  const as1 = Math.abs(s1);
  const aqp = Math.abs(qp);
  const ds = Math.abs(xr - (s1 - vs) + (qp - vs)) + 2 * aqp * TWO_M50 < (as1 + as1 * TWO_M53 - as1) * 0.5 ? 0 : (2 * aqp + as1) * (2 ** -51 * 1.001);
  const dsc = ds + Math.abs(cP) * 2 ** -51;
  // do_sin
  const sccs = s1 * ccs;
  const i1 = sccs + ssn;
  const csn = cP * sn;
  const i2 = i1 - csn;
  const scs = s1 * cs;
  const cor1 = scs + i2;
  const res1 = sn + cor1;
  const eres = cor1 - (res1 - sn);
  const dcor = dsc + (Math.abs(sccs) + 2.01 * Math.abs(i1) + Math.abs(csn) + 2.01 * Math.abs(i2) + Math.abs(scs) + 2.01 * Math.abs(cor1)) * TWO_M53;
  const ar = Math.abs(res1);
  if (!(Math.abs(eres) + dcor < (ar + ar * TWO_M53 - ar) * 0.5)) return false;
  // do_cos
  const sssn = s1 * ssn;
  const i1c = ccs - sssn;
  const ccs1 = cP * cs;
  const i2c = i1c - ccs1;
  const ssn1 = s1 * sn;
  const cor1c = i2c - ssn1;
  const res1c = cs + cor1c;
  const eresc = cor1c - (res1c - cs);
  const dcorc = dsc + (Math.abs(sssn) + 2.01 * Math.abs(i1c) + Math.abs(ccs1) + 2.01 * Math.abs(i2c) + Math.abs(ssn1) + 2.01 * Math.abs(cor1c)) * TWO_M53;
  if (!(Math.abs(eresc) + dcorc < (res1c + res1c * TWO_M53 - res1c) * 0.5)) return false;
  io[2] = a < 0 ? -ar : ar;
  io[3] = res1c;
  return true;
}

/** Sets out[0] = glibcSin(x), out[1] = glibcCos(x), sharing the argument reduction and the table kernels' work. */
export function glibcSinCos(x: number, out: Float64Array): void {
  const ax = Math.abs(x);
  if (ax >= TINY_SIN && ax < SMALL) {
    // sin = do_sin(x, 0), cos = do_cos(x, 0).
    if (ax >= 0.126 ? sinCosTableZero(x) : sinCosTable(x, 0)) {
      out[0] = io[2];
      out[1] = io[3];
      return;
    }
  } else if (ax >= MEDIUM && ax < LARGE) {
    io[0] = x;
    const n = reduceSincos(false);
    const a = io[0];
    const da = io[1];
    // sin = do_sincos(a, da, n), cos = do_sincos(a, da, n + 1).
    if (Math.abs(a) >= TINY_SIN && sinCosTable(a, da)) {
      const ks = io[2];
      const kc = io[3];
      const sinK = n & 1 ? kc : ks;
      const cosK = n & 1 ? ks : kc;
      out[0] = n & 2 ? -sinK : sinK;
      out[1] = ((n + 1) & 2) !== 0 ? -cosK : cosK;
      return;
    }
    trigCore(4 + n);
    out[0] = io[2];
    io[0] = a;
    io[1] = da;
    trigCore(4 + ((n + 1) & 3));
    out[1] = io[2];
    return;
  }
  out[0] = glibcSin(x);
  out[1] = glibcCos(x);
}

function doSincos(a: number, da: number, n: number): number {
  const retval = n & 1 ? doCosExact(a, da) : doSinExact(a, da);
  return n & 2 ? -retval : retval;
}

/** glibc's sin(x) with every fused multiply-add emulated (no fast paths): the reference for tests. */
export function glibcSinReference(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY_SIN) return x;
  if (ax < SMALL) return doSinExact(x, 0);
  if (ax < MEDIUM) return copysign(doCosExact(HP0 - ax, HP1), x);
  if (ax < LARGE) {
    io[0] = x;
    const n = reduceSincos(true);
    return doSincos(io[0], io[1], n);
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
    io[0] = x;
    const n = reduceSincos(true);
    return doSincos(io[0], io[1], n + 1);
  }
  return Math.cos(x);
}
