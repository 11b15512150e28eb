/**
 * glibc's `powf(x, 2.0f)`, a straight port of sysdeps/ieee754/flt-32/e_powf.c (`__powf` with y = 2, and its
 * `log2_inline` and `exp2_inline`, from ARM's optimized-routines) as the FMA build of glibc 2.36 (the `__powf_fma`
 * variant chosen on any CPU with FMA) compiles it, operation for operation, with the fused multiply-adds emulated
 * exactly. numpy's `np.float32 ** y` on x86-64 Linux is this, which is not correctly rounded (up to 0.82 ulp): for
 * about one float32 in a thousand, `u ** 2` differs by one ulp from `Math.fround(u * u)`.
 *
 * The oracle the fast path (../powf.ts) is tested against and the evaluation it falls back to.
 */
import { fma } from '../fma';
import { EXP2F_POLY, EXP2F_TABLE, POWF_LOG2_INVC, POWF_LOG2_LOGC, POWF_LOG2_POLY } from '../powf-data';

const OFF = 0x3f330000;
const SHIFT = 1.5 * 2 ** 47; // 0x1.8p52 / 32
const [A0, A1, A2, A3, A4] = POWF_LOG2_POLY;
const [C0, C1, C2] = EXP2F_POLY;

// The bit pattern of a float32, and back (glibc's asuint/asfloat), through one private word.
const word = new Float32Array(1);
const wordBits = new Uint32Array(word.buffer);
function asuint(x: number): number {
  word[0] = x;
  return wordBits[0];
}
function asfloat(ix: number): number {
  wordBits[0] = ix;
  return word[0];
}

/** log2_inline(ix): log2 of the positive normal float32 with bit pattern ix, in double. */
export function log2Inline(ix: number): number {
  // x = 2^k z; where z is in range [OFF,2*OFF] and exact. The range is split into N subintervals. The ith
  // subinterval contains z and c is near its center.
  const tmp = (ix - OFF) >>> 0;
  const i = (tmp >>> 19) % 16; // (tmp >> (23 - POWF_LOG2_TABLE_BITS)) % N
  const top = (tmp & 0xff800000) >>> 0;
  const iz = (ix - top) >>> 0;
  const k = (top | 0) >> 23; // arithmetic shift
  const z = asfloat(iz);
  // log2(x) = log1p(z/c-1)/ln2 + log2(c) + k
  // r = z * invc - 1; y0 = logc + (double_t) k;
  const r = fma(z, POWF_LOG2_INVC[i], -1.0);
  const y0 = k + POWF_LOG2_LOGC[i];
  // Pipelined polynomial evaluation to approximate log1p(r)/ln2.
  // y = A[0] * r + A[1]; p = A[2] * r + A[3]; q = A[4] * r + y0; r2 = r * r; r4 = r2 * r2;
  // q = p * r2 + q; y = y * r4 + q;
  const y = fma(r, A0, A1);
  const p = fma(r, A2, A3);
  const r2 = r * r;
  let q = fma(r, A4, y0);
  const r4 = r2 * r2;
  q = fma(r2, p, q);
  return fma(y, r4, q);
}

/** exp2_inline(xd, sign_bias = 0): 2^xd rounded to float32, for |xd| < 126. */
export function exp2Inline(xd: number): number {
  // x = k/N + r with r in [-1/(2N), 1/(2N)]: kd = xd + SHIFT; ki = asuint64 (kd); kd -= SHIFT;
  let kd = xd + SHIFT;
  kd -= SHIFT;
  const r = xd - kd;
  // exp2(x) = 2^(k/N) * 2^r ~= s * (C0*r^3 + C1*r^2 + C2*r + 1)
  // t = T[ki % N]; t += ski << (52 - EXP2F_TABLE_BITS); s = asdouble (t);
  const k = Math.round(kd * 32);
  const i = k & 31;
  const s = EXP2F_TABLE[i] * 2 ** ((k - i) / 32);
  // z = C[0] * r + C[1]; r2 = r * r; y = C[2] * r + 1; y = z * r2 + y; y = y * s;
  const z = fma(r, C0, C1);
  const r2 = r * r;
  let y = fma(r, C2, 1.0);
  y = fma(z, r2, y);
  y = y * s;
  return Math.fround(y);
}

/**
 * `powf(x, 2.0f)` for a float32 x, bit for bit: including subnormal inputs (normalized as glibc does), underflow
 * to 0 and overflow to Infinity.
 */
export function glibcPowf2Reference(x: number): number {
  // x < 0 with an even integer y: powf takes |x| (sign_bias 0).
  const ax = Math.abs(Math.fround(x));
  if (ax === 0 || ax !== ax || ax === Infinity) return ax * ax;
  let ix = asuint(ax);
  if (ix < 0x00800000) {
    // Normalize subnormal x so exponent becomes negative: ix = asuint (x * 0x1p23f); ix &= 0x7fffffff; ix -= 23 << 23;
    ix = ((asuint(ax * 0x800000) & 0x7fffffff) - (23 << 23)) >>> 0;
  }
  // ylogx = y * logx;
  const ylogx = 2 * log2Inline(ix);
  // if ((asuint64 (ylogx) >> 47 & 0xffff) >= asuint64 (126.0 * POWF_SCALE) >> 47): |y log2 x| >= 126.
  if (ylogx > 127.99999995700433) return Infinity; // 0x1.fffffffd1d571p+6
  if (ylogx <= -150.0) return 0;
  return exp2Inline(ylogx);
}
