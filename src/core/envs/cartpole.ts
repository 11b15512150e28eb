/**
 * CartPole-v1, a port of gymnasium/envs/classic_control/cartpole.py (Barto, Sutton & Anderson 1983).
 *
 * ## Description
 * A pole is attached by an un-actuated joint to a cart moving along a frictionless track. The pole starts upright;
 * the goal is to balance it by pushing the cart left or right.
 *
 * ## Action space
 * Discrete(2): 0 pushes the cart to the left, 1 to the right, with a force of 10 N.
 *
 * ## Observation space
 * | Num | Observation           | Min                 | Max               |
 * |-----|-----------------------|---------------------|-------------------|
 * | 0   | Cart position         | -4.8                | 4.8               |
 * | 1   | Cart velocity         | -Inf                | Inf               |
 * | 2   | Pole angle            | ~ -0.418 rad (-24°) | ~ 0.418 rad (24°) |
 * | 3   | Pole angular velocity | -Inf                | Inf               |
 * The state is float64 (`np.array(..., dtype=np.float64)`); the observation is its cast to float32.
 *
 * ## Rewards
 * +1 for every step taken, including the terminating one (with `suttonBartoReward`: 0 per step, -1 on termination).
 *
 * ## Starting state
 * All four state components uniform in (-0.05, 0.05), drawn with one `np_random.uniform(size=(4,))`.
 *
 * ## Episode end
 * Terminated when the pole angle leaves ±12° or the cart position leaves ±2.4 (strict inequalities);
 * truncated at 500 steps by the time limit.
 */
import type { Pcg64Generator } from '../rng/index';
import { type Action, type EnvId, type ResetBounds, type StepResult, ClassicControlEnv, actionToScalar, maybeParseResetBounds } from './env';
import { type Libm, type Numerics, SinCos, libmFor } from './numeric/index';
import { BoxSpace, DiscreteSpace } from './spaces';

const gravity = 9.8;
const masscart = 1.0;
const masspole = 0.1;
const totalMass = masspole + masscart;
const length = 0.5; // actually half the pole's length
const polemassLength = masspole * length;
const forceMag = 10.0;
const tau = 0.02; // seconds between state updates
// Angle at which to fail the episode
const thetaThresholdRadians = (12 * 2 * Math.PI) / 360;
const xThreshold = 2.4;

export interface CartPoleOptions {
  /** Gymnasium's `sutton_barto_reward`: 0 per step and -1 on termination instead of +1 per step. */
  suttonBartoReward?: boolean;
  /** sin/cos implementation (see numeric/index.ts); default 'glibc'. */
  numerics?: Numerics;
}

export class CartPoleEnv extends ClassicControlEnv {
  readonly id: EnvId = 'CartPole-v1';
  readonly stateLayout = ['x', 'x_dot', 'theta', 'theta_dot'] as const;
  readonly observationSpace = new BoxSpace(
    [-xThreshold * 2, -Infinity, -thetaThresholdRadians * 2, -Infinity],
    [xThreshold * 2, Infinity, thetaThresholdRadians * 2, Infinity],
  );
  readonly actionSpace = new DiscreteSpace(2);
  /** Exposed for the renderer: the pole half-length and the cart's track bound. */
  static readonly xThreshold = xThreshold;
  static readonly poleHalfLength = length;

  x = 0;
  xDot = 0;
  theta = 0;
  thetaDot = 0;
  /** Gymnasium's `steps_beyond_terminated` (null until a terminating step). */
  stepsBeyondTerminated: number | null = null;
  private readonly suttonBartoReward: boolean;
  private readonly libm: Libm;
  private readonly thetaSinCos = new SinCos();

  constructor(options: CartPoleOptions = {}) {
    super();
    this.suttonBartoReward = options.suttonBartoReward ?? false;
    this.libm = libmFor(options.numerics);
  }

  protected getState(): number[] {
    return [this.x, this.xDot, this.theta, this.thetaDot];
  }

  protected setState(s: readonly number[]): void {
    [this.x, this.xDot, this.theta, this.thetaDot] = s;
  }

  resetState(rng: Pcg64Generator, options?: ResetBounds): void {
    const [low, high] = maybeParseResetBounds(options, -0.05, 0.05);
    this.x = rng.uniform(low, high);
    this.xDot = rng.uniform(low, high);
    this.theta = rng.uniform(low, high);
    this.thetaDot = rng.uniform(low, high);
    this.stepsBeyondTerminated = null;
    this.terminated = false;
  }

  stepScalar(action: number): number {
    let x = this.x;
    let xDot = this.xDot;
    let theta = this.theta;
    let thetaDot = this.thetaDot;
    const force = action === 1 ? forceMag : -forceMag;
    const thetaSinCos = this.thetaSinCos;
    this.libm.sinCos(theta, thetaSinCos);
    const costheta = thetaSinCos.cos;
    const sintheta = thetaSinCos.sin;

    // For the interested reader: https://coneural.org/florian/papers/05_cart_pole.pdf
    const temp = (force + polemassLength * (thetaDot * thetaDot) * sintheta) / totalMass;
    const thetaacc = (gravity * sintheta - costheta * temp) / (length * (4.0 / 3.0 - (masspole * (costheta * costheta)) / totalMass));
    const xacc = temp - (polemassLength * thetaacc * costheta) / totalMass;

    // kinematics_integrator == "euler"
    x = x + tau * xDot;
    xDot = xDot + tau * xacc;
    theta = theta + tau * thetaDot;
    thetaDot = thetaDot + tau * thetaacc;
    this.x = x;
    this.xDot = xDot;
    this.theta = theta;
    this.thetaDot = thetaDot;

    const terminated = x < -xThreshold || x > xThreshold || theta < -thetaThresholdRadians || theta > thetaThresholdRadians;
    this.terminated = terminated;

    if (!terminated) return this.suttonBartoReward ? 0.0 : 1.0;
    if (this.stepsBeyondTerminated === null) {
      // Pole just fell!
      this.stepsBeyondTerminated = 0;
      return this.suttonBartoReward ? -1.0 : 1.0;
    }
    // Stepping past termination is undefined behaviour in Gymnasium (it warns); the wrapped env forbids it.
    this.stepsBeyondTerminated += 1;
    return this.suttonBartoReward ? -1.0 : 0.0;
  }

  /**
   * ClassicControlEnv.step, repeated in each env class so its calls to stepScalar/writeObservation stay monomorphic
   * (inlined) when several env classes run in one process, and the observation has a constant length.
   */
  override step(action: Action): StepResult {
    const a = actionToScalar(this.id, this.actionSpace, action);
    if (!this.hasState) this.throwNotReset();
    const reward = this.stepScalar(a);
    const obs = new Float32Array(4);
    this.writeObservation(obs, 0);
    return [obs, reward, this.terminated, false, {}];
  }

  writeObservation(out: Float32Array, offset: number): void {
    out[offset] = this.x;
    out[offset + 1] = this.xDot;
    out[offset + 2] = this.theta;
    out[offset + 3] = this.thetaDot;
  }
}
