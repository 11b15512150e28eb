/**
 * MountainCarContinuous-v0, a port of gymnasium/envs/classic_control/continuous_mountain_car.py.
 *
 * ## Description
 * MountainCar with a continuous force: the car must climb the right hill (goal at position 0.45) and is charged
 * for the energy it spends.
 *
 * ## Action space
 * Box(-1, 1, (1,), float32): the force applied to the car, multiplied by power 0.0015. Actions outside the bounds
 * are clipped for the dynamics, but the energy cost uses the raw action, as in Gymnasium.
 *
 * ## Observation space
 * | Num | Observation                          | Min   | Max  |
 * |-----|--------------------------------------|-------|------|
 * | 0   | position of the car along the x-axis | -1.2  | 0.6  |
 * | 1   | velocity of the car                  | -0.07 | 0.07 |
 * The state is float64 right after reset and float32 after every step (`np.array([...], dtype=np.float32)`).
 *
 * ## Rewards
 * -0.1 * action[0]^2 each step (raw action), plus 100 on the step reaching the goal.
 *
 * ## Starting state
 * position uniform in [-0.6, -0.4] (one `np_random.uniform`), velocity 0.
 *
 * ## Episode end
 * Terminated when position >= 0.45 and velocity >= goal_velocity (0); truncated at 999 steps by the time limit.
 *
 * ## Arithmetic
 * numpy 2 (NEP 50) computes `np.float32 op python float` in float32, so once the state is float32 the update runs in
 * float32 (Math.fround at each numpy operation) with the cosine term in double (math.cos), exactly as Gymnasium does.
 */
import type { Pcg64Generator } from '../rng/index';
import { type Action, type EnvId, type ResetBounds, type StepResult, ClassicControlEnv, actionToScalar, maybeParseResetBounds } from './env';
import { type Libm, type Numerics, libmFor } from './numeric/index';
import { BoxSpace } from './spaces';

const f32 = Math.fround;
const minAction = -1.0;
const maxAction = 1.0;
const minPosition = -1.2;
const maxPosition = 0.6;
const maxSpeed = 0.07;
const goalPosition = 0.45; // was 0.5 in gymnasium, 0.45 in Arnaud de Broissia's version
const power = 0.0015;
// Python floats meeting float32 operands are cast to float32 first (NEP 50 weak promotion).
const powerF32 = f32(power);
const maxSpeedF32 = f32(maxSpeed);
const minPositionF32 = f32(minPosition);
const maxPositionF32 = f32(maxPosition);
const goalPositionF32 = f32(goalPosition);

export interface ContinuousMountainCarOptions {
  /** Gymnasium's `goal_velocity` (default 0). */
  goalVelocity?: number;
  /** sin/cos implementation (see numeric/index.ts); default 'glibc'. */
  numerics?: Numerics;
}

export class ContinuousMountainCarEnv extends ClassicControlEnv {
  readonly id: EnvId = 'MountainCarContinuous-v0';
  readonly stateLayout = ['position', 'velocity'] as const;
  readonly observationSpace = new BoxSpace([minPosition, -maxSpeed], [maxPosition, maxSpeed]);
  readonly actionSpace = new BoxSpace(minAction, maxAction, [1]);
  static readonly minPosition = minPosition;
  static readonly maxPosition = maxPosition;
  static readonly goalPosition = goalPosition;

  position = 0;
  velocity = 0;
  /** float32 after a step; float64 after reset. A written state counts as float32 when both values are float32. */
  stateIsFloat32 = false;
  private readonly goalVelocity: number;
  private readonly libm: Libm;

  constructor(options: ContinuousMountainCarOptions = {}) {
    super();
    this.goalVelocity = options.goalVelocity ?? 0;
    this.libm = libmFor(options.numerics);
  }

  protected getState(): number[] {
    return [this.position, this.velocity];
  }

  protected setState(s: readonly number[]): void {
    [this.position, this.velocity] = s;
    this.stateIsFloat32 = f32(s[0]) === s[0] && f32(s[1]) === s[1];
  }

  resetState(rng: Pcg64Generator, options?: ResetBounds): void {
    const [low, high] = maybeParseResetBounds(options, -0.6, -0.4);
    this.position = rng.uniform(low, high);
    this.velocity = 0;
    this.stateIsFloat32 = false;
    this.terminated = false;
  }

  /** `action`: the float32 value of action[0], unclipped. */
  stepScalar(action: number): number {
    // force = min(max(action[0], min_action), max_action): a np.float32 when inside, a Python float when clipped.
    const clipped = action < minAction || action > maxAction;
    const force = clipped ? (action < minAction ? minAction : maxAction) : action;
    // force * power - 0.0025 * math.cos(3 * position)
    let delta: number;
    const positionTimes3 = this.stateIsFloat32 ? f32(3 * this.position) : 3 * this.position;
    const gravityTerm = 0.0025 * this.libm.cos(positionTimes3);
    if (clipped) delta = force * power - gravityTerm;
    else delta = f32(f32(force * powerF32) - f32(gravityTerm));
    let position: number;
    let velocity: number;
    let terminated: boolean;
    if (this.stateIsFloat32) {
      // Every operand is np.float32 (or a Python float cast to float32): float32 arithmetic and comparisons.
      velocity = f32(this.velocity + f32(delta));
      if (velocity > maxSpeedF32) velocity = maxSpeedF32;
      if (velocity < -maxSpeedF32) velocity = -maxSpeedF32;
      position = f32(this.position + velocity);
      if (position > maxPositionF32) position = maxPositionF32;
      if (position < minPositionF32) position = minPositionF32;
      if (position === minPositionF32 && velocity < 0) velocity = 0;
      terminated = position >= goalPositionF32 && velocity >= f32(this.goalVelocity);
    } else {
      // First step after reset: position and velocity are np.float64.
      velocity = this.velocity + delta;
      if (velocity > maxSpeed) velocity = maxSpeed;
      if (velocity < -maxSpeed) velocity = -maxSpeed;
      position = this.position + velocity;
      if (position > maxPosition) position = maxPosition;
      if (position < minPosition) position = minPosition;
      if (position === minPosition && velocity < 0) velocity = 0;
      terminated = position >= goalPosition && velocity >= this.goalVelocity;
    }

    let reward = 0;
    if (terminated) reward = 100.0;
    // The energy cost uses the raw (unclipped) action: math.pow(action[0], 2) * 0.1.
    reward -= action * action * 0.1;

    // self.state = np.array([position, velocity], dtype=np.float32)
    this.position = f32(position);
    this.velocity = f32(velocity);
    this.stateIsFloat32 = true;
    this.terminated = terminated;
    return reward;
  }

  /**
   * ClassicControlEnv.step, repeated in each env class so its calls to stepScalar/writeObservation stay monomorphic
   * (inlined) when several env classes run in one process, and the observation has a constant length.
   */
  override step(action: Action): StepResult {
    const a = actionToScalar(this.id, this.actionSpace, action);
    if (!this.hasState) this.throwNotReset();
    const reward = this.stepScalar(a);
    const obs = new Float32Array(2);
    this.writeObservation(obs, 0);
    return [obs, reward, this.terminated, false, {}];
  }

  writeObservation(out: Float32Array, offset: number): void {
    out[offset] = this.position;
    out[offset + 1] = this.velocity;
  }
}
