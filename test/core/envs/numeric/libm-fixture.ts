// The values glibc/numpy computed for the libm ports' test arguments (test/fixtures/gymnasium/libm-reference.json),
// and helpers the numeric tests share.
import { readFileSync } from 'node:fs';

export interface LibmReference {
  sincos: { x: number[]; sin: number[]; cos: number[] };
  pow2: { x: number[]; pow: number[] };
  powf2: { x: number[]; pow: number[] };
  trigf32: { x: number[]; sin: number[]; cos: number[] };
}

export const libmReference = JSON.parse(readFileSync(new URL('../../../fixtures/gymnasium/libm-reference.json', import.meta.url), 'utf8')) as LibmReference;

/** The arguments where f disagrees with the expected values (bit for bit, sign of zero included). */
export function mismatches(xs: number[], expected: number[], f: (x: number) => number): number[] {
  return xs.filter((x, i) => !Object.is(f(x), expected[i]));
}

/** The arguments where `fast` and `reference` disagree (bit for bit, sign of zero included). */
export function disagreements(xs: Iterable<number>, fast: (x: number) => number, reference: (x: number) => number): number[] {
  const bad: number[] = [];
  for (const x of xs) if (!Object.is(fast(x), reference(x))) bad.push(x);
  return bad;
}

/** The next double above x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const b = new Float64Array([x]);
  const w = new BigInt64Array(b.buffer);
  w[0] += x > 0 ? 1n : -1n;
  return b[0];
}
