/**
 * Fused multiply-add, a*b + c with a single rounding, emulated in doubles (JavaScript has no Math.fma).
 *
 * The product is split exactly into p + e (Dekker's TwoProduct with Veltkamp's splitting), p + c exactly into s + r
 * (Knuth's TwoSum), and the result is RN(s + u) with u = RN(r + e). That equals RN(s + r + e) unless s + u is an
 * exact tie, because rounding is monotone and every rounding boundary near s is a double; at a tie, the sign of
 * the rounding error of u (the part of r + e that u dropped) decides the direction. Exact for operands whose
 * product neither overflows nor underflows (the ranges the libm ports here use).
 */

const SPLITTER = 134217729; // 2^27 + 1

export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  // e = a*b - p exactly.
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  // s + r = p + c exactly.
  const s = p + c;
  let v = s - p;
  const r = p - (s - v) + (c - v);
  // u + w = r + e exactly.
  const u = r + e;
  v = u - r;
  const w = r - (u - v) + (e - v);
  const res = s + u;
  if (w === 0 || !Number.isFinite(res)) return res;
  // Is s + u a tie (exactly halfway between res and a neighbour)? err = s + u - res exactly.
  v = res - s;
  const err = s - (res - v) + (u - v);
  if (err === 0 || res + 2 * err - res !== 2 * err) return res;
  // A tie: the true value lies beyond the midpoint when w pushes the same way as err.
  return (w > 0) === (err > 0) ? res + 2 * err : res;
}

/** Half the spacing of doubles around |x|, exact unless |x| is a power of two or not normal (then 0: callers fall back). */
export function halfUlp(x: number): number {
  const ax = Math.abs(x);
  return (ax + ax * 2 ** -53 - ax) * 0.5;
}
