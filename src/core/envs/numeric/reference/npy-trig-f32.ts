/**
 * numpy's float32 sin and cos (numpy/_core/src/umath/loops_trigonometric.dispatch.cpp, the SIMD kernel numpy uses on
 * x86-64 with FMA): Cody-Waite reduction by pi/2 in three float32 parts, then minimax polynomials, all in float32
 * with fused multiply-adds. Acrobot's reset observation takes cos/sin of its float32 state through these.
 * For |x| > 117435.992 numpy falls back to the C library; here that range falls back to fround(Math.sin/cos).
 * A straight port with no fast path: the envs call it through numeric/libm.ts (`cosSinOfF32`).
 */

const f32 = Math.fround;
const TWO_OVER_PI = 0.6366197466850281; // 0x1.45f306p-1f
const PIO2_HIGH = -1.570796012878418; // -0x1.921fb0p+00f
const PIO2_MED = -3.1391647326017846e-7; // -0x1.5110b4p-22f
const PIO2_LOW = -5.390302529957765e-15; // -0x1.846988p-48f
const RINT_MAGIC = 12582912.0; // 0x1.8p+23f
const COS8 = 2.4372266125283204e-5;
const COS6 = -0.001388652017340064;
const COS4 = 0.04166661947965622;
const COS2 = -0.5;
const SIN9 = 2.8404097065504175e-6;
const SIN7 = -0.00019856491417158395;
const SIN5 = 0.008333397097885609;
const SIN3 = -0.1666666716337204;
const MAX_CODY_WAITE = 117435.992;

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** float32 fma of float32 operands: the double product is exact; the sum is rounded to odd, then to float32. */
function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const v = s - p;
  const err = p - (s - v) + (c - v);
  if (err === 0) return f32(s);
  bits[0] = s;
  if ((words[0] & 1) === 0) {
    // Move s one double ulp towards the exact sum: it then carries the sticky bit and rounds correctly.
    const towardZero = (err > 0) !== (s > 0);
    if (towardZero) {
      if (words[0] === 0) {
        words[1] -= 1;
        words[0] = 0xffffffff;
      } else words[0] -= 1;
    } else if (words[0] === 0xffffffff) {
      words[0] = 0;
      words[1] += 1;
    } else words[0] += 1;
  }
  return f32(bits[0]);
}

function trig(x: number, cosine: boolean): number {
  x = f32(x);
  if (!(Math.abs(x) <= MAX_CODY_WAITE)) return f32(cosine ? Math.cos(x) : Math.sin(x));
  const quadrant = f32(fma32(x, TWO_OVER_PI, RINT_MAGIC) - RINT_MAGIC);
  let r = fma32(quadrant, PIO2_HIGH, x);
  r = fma32(quadrant, PIO2_MED, r);
  r = fma32(quadrant, PIO2_LOW, r);
  const r2 = f32(r * r);
  let iq = quadrant + (cosine ? 1 : 0);
  let result: number;
  if ((iq & 1) === 0) {
    let s = fma32(SIN9, r2, SIN7);
    s = fma32(s, r2, SIN5);
    s = fma32(s, r2, SIN3);
    s = f32(s * r2);
    result = fma32(s, r, r);
  } else {
    let c = fma32(COS8, r2, COS6);
    c = fma32(c, r2, COS4);
    c = fma32(c, r2, COS2);
    result = fma32(c, r2, 1.0);
  }
  iq &= 2;
  return iq === 2 ? 0 - result : result;
}

/** np.sin(np.float32(x)). */
export function npySinF32(x: number): number {
  return trig(x, false);
}

/** np.cos(np.float32(x)). */
export function npyCosF32(x: number): number {
  return trig(x, true);
}
