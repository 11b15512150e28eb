/**
 * glibc's sin and cos (see ./reference/sincos.ts, the straight port of s_sin.c), fast: the same results, bit for
 * bit, for a fraction of the emulated fused multiply-adds. Tested against the reference on random and adversarial
 * arguments (test/core/envs/numeric/sincos.test.ts).
 */
import { SINCOS_TABLE as T } from './sincos-data';
import type { SinCos } from './sin-cos';
import { SINCOS_RANGE, TAYLOR_SIN_POLY, USNCS, doCos, doSin, reduceSincos as reduceSincosReference, taylorSin } from './reference/sincos';

const { SN3, SN5, CS2, CS4, CS6, BIG, HP0, HP1, TOINT, HPINV, MP1, MP2, PP3, PP4 } = USNCS;
const { S1, S2, S3, S4, S5 } = TAYLOR_SIN_POLY;
const { tinySin: TINY_SIN, tinyCos: TINY_COS, small: SMALL, medium: MEDIUM, large: LARGE } = SINCOS_RANGE;
// PP4 split exactly into 26-bit halves (Veltkamp): their products with |xn| < 2^20 are exact.
const PP4_HI = 134217729 * PP4 - (134217729 * PP4 - PP4);
const PP4_LO = PP4 - PP4_HI;

// Certified fast paths. glibc's kernels end in RN(sn + cor) (or RN(cs + cor), RN(a + t)) where cor comes from a
// chain of fused multiply-adds. Tier 1 (trigCore, sinCosTable) evaluates the whole chain unfused and certifies only
// the final rounding: a rigorous bound on how far each unfused intermediate can be from glibc's (the forward error
// analysis noted inline, with margin) plus the exact residual of the final addition must lie strictly inside half
// an ulp of the result, which is then the double glibc rounds to. When that fails (about 2% of calls), tier 2
// (kernelTier2) certifies s and C separately and evaluates the fused multiply-add that dominates cor exactly (Dekker
// products with the table values pre-split); anything still uncertain goes to glibc's kernels as the reference ports them.
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
      n = reduceSincos() + mode;
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
    if (!(Math.abs(err) + bound < (ar + ar * TWO_M53 - ar) * 0.5)) res = taylorSin(xx, x, dx);
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
      if (fail) res = doSin(x, io[1]);
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
      if (fail) res = doCos(x, io[1]);
    }
  }
  io[2] = (n & 2) === 0 ? res : -res;
}

/**
 * reduce_sincos of x = io[0] (see the reference): writes a, da to io[0], io[1] and returns n mod 4. The products
 * glibc's short constants make exact are done plainly, n is taken from the unfused x * 2/pi when that cannot round
 * to a different integer, and b is certified; when either fails, the reference.
 */
function reduceSincos(): number {
  const x = io[0];
  const q = x * HPINV;
  const xn = q + TOINT - TOINT;
  if (Math.abs(q - xn) < 0.5 - Math.abs(q) * TWO_M50 && Math.abs(xn) < 2 ** 20) {
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
      return xn & 3;
    }
  }
  const reduced = reduceSincosReference(x);
  io[0] = reduced[1];
  io[1] = reduced[2];
  return reduced[0];
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
  if (Math.abs(a) < 0.126) io[2] = taylorSin(a * a, a, da);
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

/** Sets out.sin = glibcSin(x), out.cos = glibcCos(x), sharing the argument reduction and the table kernels' work. */
export function glibcSinCos(x: number, out: SinCos): void {
  const ax = Math.abs(x);
  if (ax >= TINY_SIN && ax < SMALL) {
    // sin = do_sin(x, 0), cos = do_cos(x, 0).
    if (ax >= 0.126 ? sinCosTableZero(x) : sinCosTable(x, 0)) {
      out.sin = io[2];
      out.cos = io[3];
      return;
    }
  } else if (ax >= MEDIUM && ax < LARGE) {
    io[0] = x;
    const n = reduceSincos();
    const a = io[0];
    const da = io[1];
    // sin = do_sincos(a, da, n), cos = do_sincos(a, da, n + 1).
    if (Math.abs(a) >= TINY_SIN && sinCosTable(a, da)) {
      const ks = io[2];
      const kc = io[3];
      const sinK = n & 1 ? kc : ks;
      const cosK = n & 1 ? ks : kc;
      out.sin = n & 2 ? -sinK : sinK;
      out.cos = ((n + 1) & 2) !== 0 ? -cosK : cosK;
      return;
    }
    trigCore(4 + n);
    out.sin = io[2];
    io[0] = a;
    io[1] = da;
    trigCore(4 + ((n + 1) & 3));
    out.cos = io[2];
    return;
  }
  out.sin = glibcSin(x);
  out.cos = glibcCos(x);
}
