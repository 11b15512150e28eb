/**
 * How the environments evaluate sin, cos and x ** 2. Gymnasium's numbers come from numpy, which on x86-64 Linux
 * calls glibc's libm; V8's Math.sin/Math.cos (fdlibm) differ from it in the last bit for about 3% of arguments.
 * - 'glibc' (default): glibc's algorithms ported bit for bit (numeric/sincos.ts), so recorded Gymnasium trajectories
 *   replay exactly, including the chaotic Acrobot. Certified fast paths (numeric/sincos.ts, pow.ts) keep it within
 *   about 1.5-2x of 'native' per environment step.
 * - 'native': Math.sin/Math.cos, and x * x for `x ** 2` in the dynamics. One step still matches Gymnasium within
 *   1e-12 and observations within one float32 ulp, but long replays of chaotic systems drift in the last bits.
 *   Rewards computed from `x ** 2` (Pendulum's cost) always use the glibc ports, so rewards stay exact. Faster.
 * (`x ** 2` on numpy scalars is libm's pow/powf, which is not always the correctly rounded x * x.)
 */
import { glibcPow2 } from './pow';
import { SinCos } from './sin-cos';
import { glibcCos, glibcSin, glibcSinCos } from './sincos';

export type Numerics = 'glibc' | 'native';

/** The libm functions whose last bits differ between glibc and JavaScript. */
export interface TrigFunctions {
  sin: (x: number) => number;
  cos: (x: number) => number;
  /** `x ** 2` on a float64 (glibc pow) where it feeds the dynamics. */
  pow2: (x: number) => number;
  /** out[0] = sin(x), out[1] = cos(x) (the same values as sin and cos; glibc's share the argument reduction). */
  sincos: (x: number, out: Float64Array) => void;
}

const pair = new SinCos();
const GLIBC: TrigFunctions = {
  sin: glibcSin,
  cos: glibcCos,
  pow2: glibcPow2,
  sincos: (x, out) => {
    glibcSinCos(x, pair);
    out[0] = pair.sin;
    out[1] = pair.cos;
  },
};
const NATIVE: TrigFunctions = {
  sin: Math.sin,
  cos: Math.cos,
  pow2: (x) => x * x,
  sincos: (x, out) => {
    out[0] = Math.sin(x);
    out[1] = Math.cos(x);
  },
};

export function trigFunctions(numerics: Numerics = 'glibc'): TrigFunctions {
  if (numerics === 'native') return NATIVE;
  if (numerics === 'glibc') return GLIBC;
  throw new RangeError(`numerics must be 'glibc' or 'native', got ${String(numerics)}`);
}

export { glibcCos, glibcSin, glibcSinCos } from './sincos';
export { glibcPow2 as pow2 } from './pow';
export { glibcPowf2 as powf2 } from './powf';
