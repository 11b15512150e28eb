/**
 * How the environments evaluate sin, cos and x ** 2. Gymnasium's numbers come from numpy, which on x86-64 Linux
 * calls glibc's libm; V8's Math.sin/Math.cos (fdlibm) differ from it in the last bit for about 3% of arguments.
 * - 'glibc' (default): glibc's algorithms ported bit for bit, so recorded Gymnasium trajectories replay exactly,
 *   including the chaotic Acrobot. Certified fast paths keep it within about 1.5-2x of 'native' per environment step.
 * - 'native': Math.sin/Math.cos, and x * x for `x ** 2` in the dynamics. One step still matches Gymnasium within
 *   1e-12 and observations within one float32 ulp, but long replays of chaotic systems drift in the last bits.
 *   Rewards computed from `x ** 2` (Pendulum's cost) always use the glibc ports, so rewards stay exact. Faster.
 * (`x ** 2` on numpy scalars is libm's pow/powf, which is not always the correctly rounded x * x.)
 *
 * Layout: reference/ holds straight ports, one per function and readable next to the C source they cite (glibc's
 * s_sin.c, e_pow.c, e_powf.c; numpy's float32 trig kernel); sincos.ts, pow.ts and powf.ts are the certified fast
 * paths, bit for bit the same (tested against the references); libm.ts is what the environments call.
 */
export { type Libm, type Numerics, cosSinOfF32, libmFor } from './libm';
export { glibcPow2 as squareF64 } from './pow';
export { glibcPowf2 as squareF32 } from './powf';
export { SinCos } from './sin-cos';
export { glibcCos, glibcSin, glibcSinCos } from './sincos';
