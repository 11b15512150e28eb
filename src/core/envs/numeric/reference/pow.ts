/**
 * glibc's `pow(x, 2.0)`, a straight port of sysdeps/ieee754/dbl-64/e_pow.c (`__pow` with y = 2, and its
 * `log_inline` and `exp_inline`, from ARM's optimized-routines) as glibc 2.36's FMA build (`__pow_fma`) compiles it:
 * each `fma(...)` stands where the source calls `__builtin_fma` or GCC contracts `a * b + c`. numpy's
 * `np.float64 ** 2` and Python's `float ** 2` are this, which is not always the correctly rounded x * x (it differs
 * for about 1 x in 1000).
 *
 * Ported for 2^-1000 <= |x| <= 2^255; beyond, where glibc takes its overflow/underflow special cases, x * x. This is
 * the oracle the fast path (../pow.ts) is tested against and the exact evaluation it falls back to.
 */
import { fma } from '../fma';
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
} from '../pow-data';

const [A0, A1, A2, A3, A4, A5, A6] = POW_LOG_POLY;
const [C2, C3, C4, C5] = EXP_POLY;
/** OFF of log_inline: the start of the subinterval table, 0x3fe6955500000000 (its low word is 0). */
const OFF_HIGH_WORD = 0x3fe69555;

// The high 32-bit word of a double, and the double with it replaced (glibc's asuint64/asdouble on the high word),
// through one private double (little-endian: the high word is the second).
const double = new Float64Array(1);
const doubleWords = new Uint32Array(double.buffer);
function highWord(x: number): number {
  double[0] = x;
  return doubleWords[1];
}
function withHighWord(x: number, hi: number): number {
  double[0] = x;
  doubleWords[1] = hi;
  return double[0];
}

/** log_inline(ix, &tail): log(x) = hi + lo for positive normal x, returned as [hi, lo]. */
export function logInline(x: number): [number, number] {
  // tmp = ix - OFF; i = (tmp >> (52 - POW_LOG_TABLE_BITS)) % N; k = (int64_t) tmp >> 52;
  // iz = ix - (tmp & 0xfffULL << 52); z = asdouble (iz); kd = (double_t) k;
  // (on the high word: the low word of OFF is 0)
  const hiWord = highWord(x);
  const tmpHi = (hiWord - OFF_HIGH_WORD) | 0;
  const i = (tmpHi >>> 13) & 127;
  const k = tmpHi >> 20;
  const z = withHighWord(x, (hiWord - (tmpHi & 0xfff00000)) >>> 0);
  const kd = k;
  const invc = POW_LOG_INVC[i];
  const logc = POW_LOG_LOGC[i];
  const logctail = POW_LOG_LOGCTAIL[i];
  // r = __builtin_fma (z, invc, -1.0);
  const r = fma(z, invc, -1.0);
  // t1 = kd * Ln2hi + logc; t2 = t1 + r; lo1 = kd * Ln2lo + logctail; lo2 = t1 - t2 + r;
  const t1 = fma(kd, POW_LN2_HI, logc);
  const t2 = t1 + r;
  const lo1 = fma(kd, POW_LN2_LO, logctail);
  const lo2 = t1 - t2 + r;
  // ar = A[0] * r; ar2 = r * ar; ar3 = r * ar2;
  const ar = A0 * r;
  const ar2 = r * ar;
  const ar3 = r * ar2;
  // hi = t2 + ar2; lo3 = __builtin_fma (ar, r, -ar2); lo4 = t2 - hi + ar2;
  const hi = t2 + ar2;
  const lo3 = fma(ar, r, -ar2);
  const lo4 = t2 - hi + ar2;
  // p = (ar3 * (A[1] + r * A[2] + ar2 * (A[3] + r * A[4] + ar2 * (A[5] + r * A[6]))));
  // lo = lo1 + lo2 + lo3 + lo4 + p; y = hi + lo; *tail = hi - y + lo;
  const q = fma(ar2, fma(fma(r, A6, A5), ar2, fma(r, A4, A3)), fma(r, A2, A1));
  const lo = fma(ar3, q, lo1 + lo2 + lo3 + lo4);
  const y = hi + lo;
  return [y, hi - y + lo];
}

/** exp_inline(x, xtail, sign_bias = 0) for 2^-54 <= |x| < 512 (its special cases not reached). */
export function expInline(x: number, xtail: number): number {
  // z = InvLn2N * x; kd = z + Shift; ki = asuint64 (kd); kd -= Shift;
  let kd = fma(x, EXP_INV_LN2_N, EXP_SHIFT);
  kd -= EXP_SHIFT;
  // r = x + kd * NegLn2hiN + kd * NegLn2loN; r += xtail;
  let r = fma(kd, EXP_NEG_LN2_LO_N, fma(kd, EXP_NEG_LN2_HI_N, x));
  r = xtail + r;
  // idx = 2 * (ki % N); top = (ki + sign_bias) << (52 - EXP_TABLE_BITS); tail = asdouble (T[idx]);
  // sbits = T[idx + 1] + top;  (here the scale 2^(j/N) and 2^((k - j)/N) times it)
  const k = kd;
  const j = k & 127;
  const tail = EXP_TAIL[j];
  const scale = EXP_SCALE[j] * 2 ** ((k - j) / 128);
  // r2 = r * r; tmp = tail + r + r2 * (C2 + r * C3) + r2 * r2 * (C4 + r * C5); return scale + scale * tmp;
  const r2 = r * r;
  const tmp = fma(r2 * r2, fma(r, C5, C4), fma(r2, fma(r, C3, C2), r + tail));
  return fma(scale, tmp, scale);
}

/** `pow(x, 2.0)`, bit for bit, for 2^-1000 <= |x| <= 2^255 (x * x beyond). */
export function glibcPow2Reference(x: number): number {
  // x < 0 with an even integer y: pow takes |x| (sign_bias 0).
  const ax = Math.abs(x);
  if (!(ax >= 2 ** -1000 && ax <= 2 ** 255)) return x * x;
  const [hi, lo] = logInline(ax);
  // ehi = y * hi; elo = y * lo + __builtin_fma (y, hi, -ehi);
  const ehi = 2 * hi;
  const elo = fma(2, lo, fma(2, hi, -ehi));
  // exp_inline: abstop - top12 (0x1p-54) >= top12 (512) - top12 (0x1p-54) takes the special cases.
  const aehi = Math.abs(ehi);
  if (aehi < 2 ** -54) return 1.0 + ehi;
  if (aehi >= 512) return x * x;
  return expInline(ehi, elo);
}
