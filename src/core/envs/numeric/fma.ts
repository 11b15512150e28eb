/**
 * Fused multiply-add, a*b + c with a single rounding, emulated in doubles (JavaScript has no Math.fma). Boldo and
 * Melquiond's algorithm ("Emulation of FMA and correctly rounded sums: proved algorithms using rounding to odd",
 * IEEE TC 2008): the exact product as a double pair (Dekker/Veltkamp), an exact TwoSum with c, the two error terms
 * summed with rounding to odd, and one final round-to-nearest. Exact for operands whose product neither overflows
 * nor underflows (the ranges the libm ports here use).
 */

const SPLITTER = 134217729; // 2^27 + 1
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer); // little-endian: words[0] low, words[1] high

/** x + y rounded to odd: if inexact, the neighbour of the nearest result whose last mantissa bit is 1. */
function addRoundToOdd(x: number, y: number): number {
  const s = x + y;
  const yv = s - x;
  const err = x - (s - yv) + (y - yv);
  if (err === 0) return s;
  bits[0] = s;
  if ((words[0] & 1) === 1) return s;
  // Even and inexact: the exact sum lies strictly between s and its neighbour towards err; take that neighbour.
  const towardLarger = (err > 0) === (s >= 0) || s === 0;
  if (s === 0) {
    bits[0] = err > 0 ? 5e-324 : -5e-324;
    return bits[0];
  }
  if (towardLarger) {
    if (words[0] === 0xffffffff) {
      words[0] = 0;
      words[1] += 1;
    } else words[0] += 1;
  } else if (words[0] === 0) {
    words[0] = 0xffffffff;
    words[1] -= 1;
  } else words[0] -= 1;
  return bits[0];
}

export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0 || !Number.isFinite(c)) return p + c;
  // Exact product a*b = p + e (Dekker's TwoProduct with Veltkamp's split).
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  // Exact p + c = s + r (Knuth's TwoSum).
  const s = p + c;
  const pv = s - c;
  const r = c - (s - pv) + (p - pv);
  return s + addRoundToOdd(r, e);
}
