/**
 * glibc's `powf(x, 2.0f)` (see ./reference/powf.ts, the straight port of e_powf.c), fast: the same results, bit for
 * bit. Tested against the reference in test/core/envs/numeric/powf.test.ts.
 */
import { glibcPowf2Reference } from './reference/powf';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** glibc `powf(x, 2)` for a float32 x: the value numpy gives for `np.float32(x) ** 2`. */
export function glibcPowf2(x: number): number {
  const ax = Math.abs(Math.fround(x));
  // Fast path: glibc's result before rounding is within 2^-33 (relative, measured) of the exact x*x, which a
  // double holds exactly. Away from a float32 rounding midpoint (by 8x that) both round the same way. Below 2^-63
  // and from 2^63 on (where x*x nears float32's underflow and overflow), the reference.
  if (ax >= 2 ** -63 && ax < 2 ** 63) {
    const d = ax * ax;
    const r = Math.fround(d);
    if (r === d) return r;
    f32[0] = r;
    u32[0] += d > r ? 1 : -1;
    const midpoint = (r + f32[0]) / 2;
    if (Math.abs(d - midpoint) > d * 2 ** -30) return r;
  }
  return glibcPowf2Reference(x);
}
