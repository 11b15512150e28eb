/**
 * glibc's `pow(x, 2.0)` (see ./reference/pow.ts, the straight port of e_pow.c), fast: the same results, bit for bit.
 * It returns x * x when the exact square is too far from a rounding midpoint for glibc's error to matter (margin
 * 2^-58 relative, from the error bound its source states; the largest deviation seen in 2e6 samples was 2^-60). The
 * remaining ~4.5% of arguments take a certified straight-line evaluation of glibc's algorithm (pow2Slow), and only
 * the ~1% of those it cannot certify the reference. Tested against the reference in
 * test/core/envs/numeric/pow.test.ts.
 */
import { halfUlp } from './fma';
import {
  EXP_INV_LN2_N,
  EXP_NEG_LN2_HI_N,
  EXP_NEG_LN2_LO_N,
  EXP_POLY,
  EXP_SCALE,
  EXP_SHIFT,
  EXP_TAIL,
  POW_LN2_HI,
  POW_LN2_LO,
  POW_LOG_INVC,
  POW_LOG_LOGC,
  POW_LOG_LOGCTAIL,
  POW_LOG_POLY,
} from './pow-data';
import { glibcPow2Reference } from './reference/pow';

const [A0, A1, A2, A3, A4, A5, A6] = POW_LOG_POLY;
const [C2, C3, C4, C5] = EXP_POLY;
const SPLITTER = 134217729;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

// glibcPow2's slow-path argument and result (a typed array: passing a double to a call that is not inlined would box it).
const powIo = new Float64Array(2);

/**
 * powIo[1] = glibcPow2Reference(powIo[0]). Everything in one straight line (no calls, no boxing), with the fused
 * multiply-adds evaluated cheaply where that is exact by construction: the table's 1/c has at most 8 significant
 * bits, LN2_HI 42 and -ln2hi/N 36, so z * invc splits into two exact products (and z * invc - 1 is exact by Sterbenz
 * before its one rounding), kd * LN2_HI (|kd| < 2^10) and kd * -ln2hi/N (|kd| < 2^17) are exact, fma(ar, r, -ar2) is
 * the exact error of the product r * ar (Dekker), and 2 * hi - ehi is zero. The others are evaluated unfused and
 * certified: the log's result y (elo then within 2 D of glibc's), exp's r against that, exp's polynomial with its two
 * outer additions (their only deviation is the product's rounding and the inner fmas' one ulp), and the final
 * fma(scale, tmp, scale) on its product's rounding. If any certificate fails, the reference.
 */
function pow2Slow(): void {
  const x = powIo[0];
  const ax = Math.abs(x);
  if (!(ax >= 2 ** -1000 && ax <= 2 ** 255)) {
    powIo[1] = x * x;
    return;
  }
  fast: {
    // log_inline. q unfused is within 2^-51.6 of glibc's (each of its inner fmas within one ulp, 2^-53 near
    // |q| ~ 2/3; two roundings of q), bounded by |q| 2^-50; so lo = fma(ar3, q, sum) unfused is within
    // D = |ar3 q| (2^-50 + 2^-53) + (|lo| + |lo_glibc|) 2^-53 + dsum < |ar3 q| 2^-49 + |lo| 2^-51 + dsum. y = RN(hi + lo)
    // is glibc's when the exact tail of ours plus D is inside half an ulp of y; the tail (hence elo = 2 tail) then
    // differs from glibc's by at most D.
    bits[0] = ax;
    const hiWord = words[1];
    const tmpHi = (hiWord - 0x3fe69555) | 0;
    const i = (tmpHi >>> 13) & 127;
    const kl = tmpHi >> 20;
    words[1] = (hiWord - (tmpHi & 0xfff00000)) >>> 0;
    const z = bits[0];
    const invc = POW_LOG_INVC[i];
    let t = SPLITTER * z;
    const zh = t - (t - z);
    const r = zh * invc - 1.0 + (z - zh) * invc;
    const t1 = kl * POW_LN2_HI + POW_LOG_LOGC[i];
    const t2 = r + t1;
    // lo1 = fma(kl, LN2_LO, logctail) unfused: its product's rounding and two roundings of the sum, which also
    // perturb the three additions of lo1 + lo2 + lo3 + lo4 (two roundings each): dsum below bounds all of them.
    const klo = kl * POW_LN2_LO;
    const lo1 = klo + POW_LOG_LOGCTAIL[i];
    const lo2 = t1 - t2 + r;
    const ar = r * A0;
    const ar2 = r * ar;
    const ar3 = r * ar2;
    const hi = t2 + ar2;
    t = SPLITTER * r;
    const rh = t - (t - r);
    const rl = r - rh;
    const lo3 = A0 * rh * rh - ar2 + A0 * rh * rl + A0 * rl * rh + A0 * rl * rl;
    const lo4 = t2 - hi + ar2;
    const q = ar2 * ((r * A6 + A5) * ar2 + (r * A4 + A3)) + (r * A2 + A1);
    const arq = ar3 * q;
    const s12 = lo1 + lo2;
    const s123 = s12 + lo3;
    const sum = s123 + lo4;
    const dsum = (Math.abs(klo) + Math.abs(lo1) + Math.abs(s12) + Math.abs(s123) + Math.abs(sum)) * 2 ** -51;
    const lo = arq + sum;
    const y = hi + lo;
    const ytail = hi - y + lo;
    const dlo = Math.abs(arq) * 2 ** -49 + Math.abs(lo) * 2 ** -51 + dsum;
    if (!(Math.abs(ytail) + dlo < halfUlp(y))) break fast;
    const ehi = 2 * y;
    const elo = 2 * ytail;
    const aehi = Math.abs(ehi);
    if (aehi < 2 ** -54) {
      powIo[1] = 1.0 + ehi;
      return;
    }
    if (aehi >= 512) {
      powIo[1] = x * x;
      return;
    }
    // exp_inline(ehi, elo) with elo within 2 dlo of glibc's. kd = RN(ehi * N/ln2) to an integer: the unfused
    // product decides unless it lies within its rounding error of a half-integer.
    const qd = ehi * EXP_INV_LN2_N;
    const kd = qd + EXP_SHIFT - EXP_SHIFT;
    if (!(Math.abs(qd - kd) < 0.5 - Math.abs(qd) * 2 ** -52)) break fast;
    // r0 = fma(kd, NegLn2loN, kd * NegLn2hiN + ehi) (that product exact, |kd| < 2^17): certified on the product's rounding plus the exact residual of the sum.
    const inner = kd * EXP_NEG_LN2_HI_N + ehi;
    const pl = kd * EXP_NEG_LN2_LO_N;
    const r0 = pl + inner;
    let v = r0 - pl;
    const ar0 = Math.abs(r0);
    if (!(Math.abs(pl - (r0 - v) + (inner - v)) + Math.abs(pl) * 2 ** -53 < (ar0 + ar0 * 2 ** -53 - ar0) * 0.5)) break fast;
    const re = elo + r0;
    v = re - elo;
    if (!(Math.abs(elo - (re - v) + (r0 - v)) + 2 * dlo < halfUlp(re))) break fast;
    const j = kd & 127;
    const tail = EXP_TAIL[j];
    // 2 ** ((kd - j) / 128), an integer power |m| < 740, built from its bits (Math.pow is a libm call).
    bits[0] = 0;
    words[1] = ((kd - j) / 128 + 1023) << 20;
    const scale = EXP_SCALE[j] * bits[0];
    const r2 = re * re;
    // a2 = fma(r2, fma(re, C3, C2), re + tail): the inner fma unfused is within one ulp (2^-53) of glibc's, so the
    // product r2 * inner is within r2 2^-53 + |p| 2^-53 of glibc's; certified on the addition.
    const pa = r2 * (re * C3 + C2);
    const rt = re + tail;
    const a2 = pa + rt;
    v = a2 - pa;
    const aa2 = Math.abs(a2);
    if (!(Math.abs(pa - (a2 - v) + (rt - v)) + (r2 + Math.abs(pa)) * 2 ** -52 < (aa2 + aa2 * 2 ** -53 - aa2) * 0.5)) break fast;
    // tmp = fma(r2 * r2, fma(re, C5, C4), a2): the inner fma within one ulp (2^-56 generous), the same way.
    const r4 = r2 * r2;
    const pb = r4 * (re * C5 + C4);
    const tmp = pb + a2;
    v = tmp - pb;
    const atmp = Math.abs(tmp);
    if (!(Math.abs(pb - (tmp - v) + (a2 - v)) + (r4 * 2 ** -55 + Math.abs(pb) * 2 ** -52) < (atmp + atmp * 2 ** -53 - atmp) * 0.5)) break fast;
    // fma(scale, tmp, scale): the product's rounding (|p| 2^-53) plus the exact residual of the addition.
    const p = scale * tmp;
    const res = scale + p;
    const e = p - (res - scale); // exact (Fast2Sum: |scale| > |p|)
    const ares = Math.abs(res);
    if (!(Math.abs(e) + Math.abs(p) * 2 ** -53 < (ares + ares * 2 ** -53 - ares) * 0.5)) break fast;
    powIo[1] = res;
    return;
  }
  powIo[1] = glibcPow2Reference(x);
}

/**
 * glibc `pow(x, 2.0)`: the value numpy and Python give for `x ** 2`, for 2^-1000 <= |x| <= 2^255 (beyond, where
 * glibc takes its overflow/underflow special cases, x * x).
 */
export function glibcPow2(x: number): number {
  const p = x * x;
  // Exact error e = x*x - p (Dekker).
  const t = SPLITTER * x;
  const xh = t - (t - x);
  const xl = x - xh;
  const e = xh * xh - p + 2 * xh * xl + xl * xl;
  // p is glibc's result unless x*x lies within glibc's error of a rounding midpoint. That error, before the final
  // rounding, is the bound its source states for pow ("0.54 ULP ~= ulperr_exp + 1024 Ln2 relerr_log 2^53", with
  // ulperr_exp 0.509 and relerr_log 1.3 2^-68) less the rounding's 0.5: 0.009 ulp from exp plus |2 log x| 1.3 2^-15
  // ulp from log. For 2^-20 <= |x| <= 2^20 (|2 log x| <= 27.8) that is below 0.0102 ulp <= p 2^-58.6, so a margin of
  // p 2^-58 suffices; up to |x| = 2^255 (|2 log x| <= 354) below 0.024 ulp <= p 2^-57.4, margin p 2^-57.
  const margin = p * (p >= 2 ** -40 && p <= 2 ** 40 ? 2 ** -58 : 2 ** -57);
  if (halfUlp(p) - Math.abs(e) > margin) return p;
  powIo[0] = x;
  pow2Slow();
  return powIo[1];
}
