/**
 * Pendulum-v1, a port of gymnasium/envs/classic_control/pendulum.py.
 *
 * ## Description
 * The inverted pendulum swing-up: a pendulum attached at one end to a fixed point starts in a random position; the
 * goal is to swing it upright and keep it there by applying torque to its free end.
 *
 * ## Action space
 * Box(-2, 2, (1,), float32): the torque. Out-of-bounds actions are clipped before use, also in the cost.
 *
 * ## Observation space
 * | Num | Observation      | Min  | Max |
 * |-----|------------------|------|-----|
 * | 0   | x = cos(theta)   | -1.0 | 1.0 |
 * | 1   | y = sin(theta)   | -1.0 | 1.0 |
 * | 2   | Angular Velocity | -8.0 | 8.0 |
 * The state is [theta, theta_dot] in float64 (theta = 0 is upright; theta is not wrapped).
 *
 * ## Rewards
 * -(angle_normalize(theta)^2 + 0.1 * theta_dot^2 + 0.001 * u^2), between about -16.27 and 0.
 *
 * ## Starting state
 * theta uniform in [-pi, pi] and theta_dot uniform in [-1, 1] (one `np_random.uniform` with array bounds).
 *
 * ## Episode end
 * Never terminates; truncated at 200 steps by the time limit.
 *
 * ## Arithmetic
 * u is a np.float32, so `u**2` (glibc powf, `squareF32`), `0.001 * u**2` and `3.0 * u` are float32
 * operations (numpy 2, NEP 50); the rest is float64 (`x**2` is glibc pow, `squareF64`). `np.sin`/`np.cos` of float64
 * are glibc's (numeric/index.ts).
 */
import type { Pcg64Generator } from '../rng/index';
import { type Action, type EnvId, type ResetBounds, type StepResult, ClassicControlEnv, actionToScalar } from './env';
import { type Libm, type Numerics, SinCos, libmFor, squareF32, squareF64 } from './numeric/index';
import { BoxSpace } from './spaces';

const f32 = Math.fround;
const maxSpeed = 8;
const maxTorque = 2.0;
const dt = 0.05;
const DEFAULT_X = Math.PI;
const DEFAULT_Y = 1.0;

/** ((x + pi) mod 2pi) - pi with numpy's floored modulo (the result takes the divisor's sign). */
export function angleNormalize(x: number): number {
  const a = x + Math.PI;
  const b = 2 * Math.PI;
  let mod = a % b;
  if (mod !== 0) {
    if (b < 0 !== mod < 0) mod += b;
  } else {
    mod = 0; // copysign(0, b) with b > 0
  }
  return mod - Math.PI;
}

export interface PendulumOptions {
  /** Gravity (Gymnasium's `g`, default 10.0). */
  g?: number;
  /** How sin and cos are evaluated (see numeric/index.ts); default 'glibc'. */
  numerics?: Numerics;
}

export class PendulumEnv extends ClassicControlEnv {
  readonly id: EnvId = 'Pendulum-v1';
  readonly stateLayout = ['theta', 'theta_dot'] as const;
  readonly observationSpace = new BoxSpace([-1.0, -1.0, -maxSpeed], [1.0, 1.0, maxSpeed]);
  readonly actionSpace = new BoxSpace(-maxTorque, maxTorque, [1]);
  static readonly maxTorque = maxTorque;

  theta = 0;
  thetaDot = 0;
  /** Gymnasium's `last_u` (NaN for None): kept a plain double so the hot path does not box it. */
  private lastTorque = NaN;
  readonly g: number;
  readonly m = 1.0;
  readonly l = 1.0;
  private readonly libm: Libm;
  /** sin/cos(theta): the observation fills it and the next step reads sin(theta) again. */
  private readonly thetaSinCos = new SinCos();

  constructor(options: PendulumOptions = {}) {
    super();
    this.g = options.g ?? 10.0;
    this.libm = libmFor(options.numerics);
  }

  /** The clipped torque of the last step (Gymnasium's `last_u`, for rendering); null after reset. */
  get lastU(): number | null {
    return Number.isNaN(this.lastTorque) ? null : this.lastTorque;
  }

  protected getState(): number[] {
    return [this.theta, this.thetaDot];
  }

  protected setState(s: readonly number[]): void {
    [this.theta, this.thetaDot] = s;
  }

  resetState(rng: Pcg64Generator, options?: ResetBounds): void {
    let x = DEFAULT_X;
    let y = DEFAULT_Y;
    if (options !== undefined) {
      x = options.x_init ?? DEFAULT_X;
      y = options.y_init ?? DEFAULT_Y;
      if (typeof x !== 'number' || Number.isNaN(x) || typeof y !== 'number' || Number.isNaN(y)) {
        throw new TypeError(`Pendulum reset options x_init/y_init must be numbers, got ${String(x)}, ${String(y)}`);
      }
    }
    // high = np.array([x, y]); low = -high; uniform(low, high) draws theta then theta_dot.
    this.theta = rng.uniform(-x, x);
    this.thetaDot = rng.uniform(-y, y);
    this.lastTorque = NaN;
    this.terminated = false;
  }

  /** `action`: the float32 value of u[0], unclipped. */
  stepScalar(action: number): number {
    const th = this.theta;
    const thdot = this.thetaDot;
    const { g, m, l } = this;

    // u = np.clip(u, -max_torque, max_torque)[0]  (float32)
    const u = Math.min(Math.max(action, -maxTorque), maxTorque);
    this.lastTorque = u;
    // `x ** 2` on np.float64 / np.float32 scalars is libm's pow / powf, off by one ulp from x * x for about 1 x in
    // 1000. The reward uses the glibc ports in both numerics modes.
    const costs = squareF64(angleNormalize(th)) + 0.1 * squareF64(thdot) + f32(f32(0.001) * squareF32(u));

    const thetaSinCos = this.thetaSinCos;
    this.libm.sinCos(th, thetaSinCos);
    const sinTh = thetaSinCos.sin;
    const newthdotRaw = thdot + (((3 * g) / (2 * l)) * sinTh + f32(f32(3.0 / (m * l * l)) * u)) * dt;
    const newthdot = Math.min(Math.max(newthdotRaw, -maxSpeed), maxSpeed);
    const newth = th + newthdot * dt;

    this.theta = newth;
    this.thetaDot = newthdot;
    this.terminated = false;
    return -costs;
  }

  /**
   * ClassicControlEnv.step, repeated in each env class so its calls to stepScalar/writeObservation stay monomorphic
   * (inlined) when several env classes run in one process, and the observation has a constant length.
   */
  override step(action: Action): StepResult {
    const a = actionToScalar(this.id, this.actionSpace, action);
    if (!this.hasState) this.throwNotReset();
    const reward = this.stepScalar(a);
    const obs = new Float32Array(3);
    this.writeObservation(obs, 0);
    return [obs, reward, this.terminated, false, {}];
  }

  writeObservation(out: Float32Array, offset: number): void {
    const thetaSinCos = this.thetaSinCos;
    this.libm.sinCos(this.theta, thetaSinCos);
    out[offset] = thetaSinCos.cos;
    out[offset + 1] = thetaSinCos.sin;
    out[offset + 2] = this.thetaDot;
  }
}
