/**
 * numpy's `np.float32 ** y` on x86-64 Linux is glibc's `powf`, which is not correctly rounded (up to 0.82 ulp): for
 * about one float32 in a thousand, `u ** 2` differs by one ulp from `Math.fround(u * u)`. Pendulum's reward uses
 * `u ** 2`, so matching Gymnasium's rewards to the bit needs glibc's algorithm: this is e_powf.c's log2_inline /
 * exp2_inline path as the FMA build of glibc 2.36 (the `__powf_fma` variant chosen on any CPU with FMA) compiles
 * it, operation for operation, with the fused multiply-adds emulated exactly.
 */
import { fma } from './fma';
import { EXP2F_POLY, EXP2F_TABLE, POWF_LOG2_INVC, POWF_LOG2_LOGC, POWF_LOG2_POLY } from './powf-data';

const OFF = 0x3f330000;
const SHIFT = 1.5 * 2 ** 47; // 0x1.8p52 / 32
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const [A0, A1, A2, A3, A4] = POWF_LOG2_POLY;
const [C0, C1, C2] = EXP2F_POLY;

/** log2 of the positive normal float32 with bit pattern ix, in double (glibc's log2_inline, FMA build). */
function log2Inline(ix: number): number {
  // x = 2^k z, z in [OFF, 2*OFF]; the subinterval i has c near its centre.
  const tmp = (ix - OFF) >>> 0;
  const i = (tmp >>> 19) % 16;
  const top = (tmp & 0xff800000) >>> 0;
  const iz = (ix - top) >>> 0;
  const k = (top | 0) >> 23;
  u32[0] = iz;
  const z = f32[0];
  const r = fma(z, POWF_LOG2_INVC[i], -1.0);
  const y0 = k + POWF_LOG2_LOGC[i];
  const y = fma(r, A0, A1);
  const p = fma(r, A2, A3);
  const r2 = r * r;
  let q = fma(r, A4, y0);
  const r4 = r2 * r2;
  q = fma(r2, p, q);
  return fma(y, r4, q);
}

/** 2^xd rounded to float32 (glibc's exp2_inline, FMA build; sign_bias 0). |xd| < 126. */
function exp2Inline(xd: number): number {
  let kd = xd + SHIFT;
  kd -= SHIFT; // k/32, rounded to nearest
  const r = xd - kd;
  const k = Math.round(kd * 32);
  const i = k & 31;
  const s = EXP2F_TABLE[i] * 2 ** ((k - i) / 32);
  const z = fma(r, C0, C1);
  const r2 = r * r;
  let y = fma(r, C2, 1.0);
  y = fma(z, r2, y);
  y = y * s;
  return Math.fround(y);
}

/**
 * glibc `powf(x, 2)` for a float32 x: the value numpy gives for `np.float32(x) ** 2`, including subnormal inputs
 * (normalized as glibc does), underflow to 0 and overflow to Infinity.
 */
export function powf2(x: number): number {
  const ax = Math.abs(Math.fround(x));
  if (ax === 0 || ax !== ax || ax === Infinity) return ax * ax;
  f32[0] = ax;
  let ix = u32[0];
  if (ix < 0x00800000) {
    // Normalize a subnormal x so its exponent becomes negative.
    f32[0] = ax * 0x800000; // 0x1p23f
    ix = ((u32[0] & 0x7fffffff) - (23 << 23)) >>> 0;
  }
  // Fast path: glibc's result before rounding is within 2^-33 (relative, measured) of the exact x*x, which a
  // double holds exactly. Away from a float32 rounding midpoint (by 8x that) both round the same way.
  const d = ax * ax;
  if (ix >= 0x20000000 && ix < 0x5f000000) {
    const r = Math.fround(d);
    if (r === d) return r;
    f32[0] = r;
    u32[0] += d > r ? 1 : -1;
    const midpoint = (r + f32[0]) / 2;
    if (Math.abs(d - midpoint) > d * 2 ** -30) return r;
  }
  const ylogx = 2 * log2Inline(ix);
  // |y log2 x| >= 126: glibc's overflow and underflow handling.
  if (ylogx > 127.99999995700433) return Infinity; // 0x1.fffffffd1d571p+6
  if (ylogx <= -150.0) return 0;
  return exp2Inline(ylogx);
}
