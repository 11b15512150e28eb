/**
 * A caller-owned pair for sin(x) and cos(x), filled by `Libm.sinCos` (numeric/libm.ts) or `glibcSinCos`. An env
 * keeps one per angle it needs both of, so no numeric module holds results between calls.
 */
export class SinCos {
  sin = NaN;
  cos = NaN;
  /** The argument `sin` and `cos` belong to, NaN while they belong to none; set by `Libm.sinCos`. */
  x = NaN;
}
