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

/**
 * fma(a, b, c) when the addend c is only known to within +-dc of the true one: the fused result if no addend in
 * that interval rounds differently, otherwise NaN (the caller then evaluates exactly).
 */
export function fmaCertified(a: number, b: number, c: number, dc: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  const s = p + c;
  let v = s - p;
  const r = p - (s - v) + (c - v);
  const u = r + e;
  const res = s + u;
  // Distance of the exact a*b + c (= s + r + e) from res, to about 2^-100 relative.
  v = u - r;
  const w = r - (u - v) + (e - v);
  const residual = s - res + u + w;
  const half = halfUlp(res);
  return Math.abs(residual) * (1 + 2 ** -40) + dc < half ? res : NaN;
}

/**
 * fma(a, b, c), computed unfused when that provably rounds the same: the product's rounding error (at most
 * |a*b| 2^-53) plus the exact error of the addition stays strictly inside half an ulp of the sum. Otherwise emulated
 * exactly. Always the fused result (for operands whose product neither overflows nor underflows).
 */
export function fmaC(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const v = s - p;
  const err = p - (s - v) + (c - v);
  if (Math.abs(err) + Math.abs(p) * 2 ** -53 < halfUlp(s)) return s;
  return fma(a, b, c);
}

/** Half the spacing of doubles around |x|, exact unless |x| is a power of two or not normal (then 0: callers fall back). */
export function halfUlp(x: number): number {
  const ax = Math.abs(x);
  return (ax + ax * 2 ** -53 - ax) * 0.5;
}
