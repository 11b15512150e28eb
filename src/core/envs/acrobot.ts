/**
 * Acrobot-v1, a port of gymnasium/envs/classic_control/acrobot.py (Sutton 1996; Sutton & Barto's book dynamics).
 *
 * ## Description
 * Two links joined in a chain, one end fixed; the joint between the links is actuated. The goal is to swing the free
 * end above a target height (1 link length above the fixed joint) starting from hanging down.
 *
 * ## Action space
 * Discrete(3): torque -1, 0 or +1 on the actuated joint.
 *
 * ## Observation space
 * | Num | Observation                  | Min                 | Max               |
 * |-----|------------------------------|---------------------|-------------------|
 * | 0   | Cosine of theta1             | -1                  | 1                 |
 * | 1   | Sine of theta1               | -1                  | 1                 |
 * | 2   | Cosine of theta2             | -1                  | 1                 |
 * | 3   | Sine of theta2               | -1                  | 1                 |
 * | 4   | Angular velocity of theta1   | ~ -12.567 (-4 * pi) | ~ 12.567 (4 * pi) |
 * | 5   | Angular velocity of theta2   | ~ -28.274 (-9 * pi) | ~ 28.274 (9 * pi) |
 * theta1 is the angle of the first joint (0 = pointing down); theta2 is relative to the first link. The state is
 * [theta1, theta2, dtheta1, dtheta2]: float32 after reset (`.astype(np.float32)`), float64 after a step.
 *
 * ## Rewards
 * -1 for every step that does not reach the target, 0 for the one that does.
 *
 * ## Starting state
 * All four state components uniform in (-0.1, 0.1) (one `np_random.uniform(size=(4,))`), cast to float32.
 *
 * ## Episode end
 * Terminated when -cos(theta1) - cos(theta2 + theta1) > 1.0; truncated at 500 steps by the time limit.
 *
 * The dynamics are integrated by one RK4 step of dt = 0.2 s (Gymnasium's `rk4` over t = [0, dt]); the angles are then
 * wrapped into [-pi, pi] and the velocities bounded, with Gymnasium's `wrap` and `bound`.
 */
import type { Pcg64Generator } from '../rng/index';
import { type Action, type EnvId, type ResetBounds, type StepResult, ClassicControlEnv, actionToScalar, maybeParseResetBounds } from './env';
import { type Libm, type Numerics, SinCos, cosSinOfF32, libmFor } from './numeric/index';
import { BoxSpace, DiscreteSpace } from './spaces';

const pi = Math.PI;
const dt = 0.2;
const LINK_LENGTH_1 = 1.0; // [m]
const LINK_MASS_1 = 1.0; // [kg] mass of link 1
const LINK_MASS_2 = 1.0; // [kg] mass of link 2
const LINK_COM_POS_1 = 0.5; // [m] position of the center of mass of link 1
const LINK_COM_POS_2 = 0.5; // [m] position of the center of mass of link 2
const LINK_MOI = 1.0; // moments of inertia for both links
const MAX_VEL_1 = 4 * pi;
const MAX_VEL_2 = 9 * pi;
const AVAIL_TORQUE = [-1.0, 0.0, +1];

/** Gymnasium's `wrap(x, m, M)`: shifts x by multiples of M - m into [m, M] (one period at a time, as written). */
export function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

/** Gymnasium's `bound(x, m, M)`: min(max(x, m), M). */
export function bound(x: number, m: number, M: number): number {
  return Math.min(Math.max(x, m), M);
}

// Scratch for the derivatives (k1..k4) of the RK4 step: [dtheta1, dtheta2, ddtheta1, ddtheta2].
const k1 = new Float64Array(4);
const k2 = new Float64Array(4);
const k3 = new Float64Array(4);
const k4 = new Float64Array(4);
// dsdt's inputs [theta1, theta2, dtheta1, dtheta2, cos(theta2), sin(theta2)] (a typed array: passing doubles to a
// call that is not inlined would box each one).
const stageIn = new Float64Array(6);

/**
 * `AcrobotEnv._dsdt` for book_or_nips == "book": reads the stage state from `stageIn` (cos(theta2) and sin(theta2)
 * too, so the caller can reuse ones already computed) and writes (dtheta1, dtheta2, ddtheta1, ddtheta2) into out.
 * Every expression keeps Gymnasium's operand order so the float64 rounding matches; `x**2` on an np.float64 is
 * libm's pow (`libm.square`), not always x * x.
 */
function dsdt(libm: Libm, a: number, out: Float64Array): void {
  const theta1 = stageIn[0];
  const theta2 = stageIn[1];
  const dtheta1 = stageIn[2];
  const dtheta2 = stageIn[3];
  const cosTheta2 = stageIn[4];
  const sinTheta2 = stageIn[5];
  const m1 = LINK_MASS_1;
  const m2 = LINK_MASS_2;
  const l1 = LINK_LENGTH_1;
  const lc1 = LINK_COM_POS_1;
  const lc2 = LINK_COM_POS_2;
  const I1 = LINK_MOI;
  const I2 = LINK_MOI;
  const g = 9.8;
  const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * cosTheta2) + I1 + I2;
  const d2 = m2 * (lc2 ** 2 + l1 * lc2 * cosTheta2) + I2;
  const phi2 = m2 * lc2 * g * libm.cos(theta1 + theta2 - pi / 2.0);
  const phi1 =
    -m2 * l1 * lc2 * libm.square(dtheta2) * sinTheta2 -
    2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sinTheta2 +
    (m1 * lc1 + m2 * l1) * g * libm.cos(theta1 - pi / 2) +
    phi2;
  // The line consistent with the java implementation and the book.
  const ddtheta2 = (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * libm.square(dtheta1) * sinTheta2 - phi2) / (m2 * lc2 ** 2 + I2 - libm.square(d2) / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  out[0] = dtheta1;
  out[1] = dtheta2;
  out[2] = ddtheta1;
  out[3] = ddtheta2;
}

export interface AcrobotOptions {
  /** How sin, cos and x ** 2 are evaluated (see numeric/index.ts); default 'glibc'. */
  numerics?: Numerics;
}

export class AcrobotEnv extends ClassicControlEnv {
  readonly id: EnvId = 'Acrobot-v1';
  readonly stateLayout = ['theta1', 'theta2', 'dtheta1', 'dtheta2'] as const;
  readonly observationSpace = new BoxSpace([-1.0, -1.0, -1.0, -1.0, -MAX_VEL_1, -MAX_VEL_2], [1.0, 1.0, 1.0, 1.0, MAX_VEL_1, MAX_VEL_2]);
  readonly actionSpace = new DiscreteSpace(3);
  static readonly linkLength1 = LINK_LENGTH_1;
  static readonly linkLength2 = 1.0;

  theta1 = 0;
  theta2 = 0;
  dtheta1 = 0;
  dtheta2 = 0;
  /** True while the state is the float32 array reset leaves (observation cosines are then float32 numpy ops). */
  private stateIsFloat32 = false;
  private readonly libm: Libm;
  /** sin/cos(theta2): the observation fills it and the next step's first RK4 stage reads it again. */
  private readonly theta2SinCos = new SinCos();
  /** sin/cos of the later RK4 stages' theta2. */
  private readonly stageSinCos = new SinCos();

  constructor(options: AcrobotOptions = {}) {
    super();
    this.libm = libmFor(options.numerics);
  }

  protected getState(): number[] {
    return [this.theta1, this.theta2, this.dtheta1, this.dtheta2];
  }

  protected setState(s: readonly number[]): void {
    [this.theta1, this.theta2, this.dtheta1, this.dtheta2] = s;
    this.stateIsFloat32 = s.every((v) => Math.fround(v) === v);
  }

  resetState(rng: Pcg64Generator, options?: ResetBounds): void {
    const [low, high] = maybeParseResetBounds(options, -0.1, 0.1);
    this.theta1 = Math.fround(rng.uniform(low, high));
    this.theta2 = Math.fround(rng.uniform(low, high));
    this.dtheta1 = Math.fround(rng.uniform(low, high));
    this.dtheta2 = Math.fround(rng.uniform(low, high));
    this.stateIsFloat32 = true;
    this.terminated = false;
  }

  stepScalar(action: number): number {
    const torque = AVAIL_TORQUE[action];
    // ns = rk4(self._dsdt, s_augmented, [0, dt]); the torque rides along as a 5th component with derivative 0.
    const y0 = this.theta1;
    const y1 = this.theta2;
    const y2 = this.dtheta1;
    const y3 = this.dtheta2;
    const h = dt - 0; // t[i + 1] - t[i]
    const h2 = h / 2.0;
    const libm = this.libm;
    const theta2SinCos = this.theta2SinCos;
    const stageSinCos = this.stageSinCos;
    libm.sinCos(y1, theta2SinCos);
    stageIn[0] = y0;
    stageIn[1] = y1;
    stageIn[2] = y2;
    stageIn[3] = y3;
    stageIn[4] = theta2SinCos.cos;
    stageIn[5] = theta2SinCos.sin;
    dsdt(libm, torque, k1);
    for (let stage = 1; stage < 4; stage++) {
      // Stages 2 and 3 step h/2 along the previous slope, stage 4 a full h (Gymnasium's rk4 expressions).
      const prev = stage === 1 ? k1 : stage === 2 ? k2 : k3;
      const hs = stage === 3 ? h : h2;
      const t2 = y1 + hs * prev[1];
      stageIn[0] = y0 + hs * prev[0];
      stageIn[1] = t2;
      stageIn[2] = y2 + hs * prev[2];
      stageIn[3] = y3 + hs * prev[3];
      libm.sinCos(t2, stageSinCos);
      stageIn[4] = stageSinCos.cos;
      stageIn[5] = stageSinCos.sin;
      dsdt(libm, torque, stage === 1 ? k2 : stage === 2 ? k3 : k4);
    }
    const h6 = h / 6.0;
    let ns0 = y0 + h6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
    let ns1 = y1 + h6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
    let ns2 = y2 + h6 * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2]);
    let ns3 = y3 + h6 * (k1[3] + 2 * k2[3] + 2 * k3[3] + k4[3]);

    ns0 = wrap(ns0, -pi, pi);
    ns1 = wrap(ns1, -pi, pi);
    ns2 = bound(ns2, -MAX_VEL_1, MAX_VEL_1);
    ns3 = bound(ns3, -MAX_VEL_2, MAX_VEL_2);
    this.theta1 = ns0;
    this.theta2 = ns1;
    this.dtheta1 = ns2;
    this.dtheta2 = ns3;
    this.stateIsFloat32 = false;
    // _terminal: -cos(s[0]) - cos(s[1] + s[0]) > 1.0
    const terminated = libm.negCosSumExceeds(ns0, ns1 + ns0, 1.0);
    this.terminated = terminated;
    return terminated ? 0.0 : -1.0;
  }

  /**
   * ClassicControlEnv.step, repeated in each env class so its calls to stepScalar/writeObservation stay monomorphic
   * (inlined) when several env classes run in one process, and the observation has a constant length.
   */
  override step(action: Action): StepResult {
    const a = actionToScalar(this.id, this.actionSpace, action);
    if (!this.hasState) this.throwNotReset();
    const reward = this.stepScalar(a);
    const obs = new Float32Array(6);
    this.writeObservation(obs, 0);
    return [obs, reward, this.terminated, false, {}];
  }

  writeObservation(out: Float32Array, offset: number): void {
    const { theta1, theta2 } = this;
    if (this.stateIsFloat32) {
      // After reset the state is a float32 array, so numpy takes float32 cos/sin (its own SIMD kernel).
      cosSinOfF32(theta1, out, offset);
      cosSinOfF32(theta2, out, offset + 2);
    } else {
      const libm = this.libm;
      libm.cosSinToF32(theta1, out, offset);
      const theta2SinCos = this.theta2SinCos;
      libm.sinCos(theta2, theta2SinCos);
      out[offset + 2] = theta2SinCos.cos;
      out[offset + 3] = theta2SinCos.sin;
    }
    out[offset + 4] = this.dtheta1;
    out[offset + 5] = this.dtheta2;
  }
}
