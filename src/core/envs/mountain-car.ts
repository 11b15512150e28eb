/**
 * MountainCar-v0, a port of gymnasium/envs/classic_control/mountain_car.py (Moore 1990).
 *
 * ## Description
 * A car placed stochastically at the bottom of a sinusoidal valley; the only actions are accelerations in either
 * direction. The goal is to reach the flag on top of the right hill, which needs momentum from the left one.
 *
 * ## Action space
 * Discrete(3): 0 accelerates to the left, 1 does not accelerate, 2 accelerates to the right.
 *
 * ## Observation space
 * | Num | Observation                          | Min   | Max  |
 * |-----|--------------------------------------|-------|------|
 * | 0   | position of the car along the x-axis | -1.2  | 0.6  |
 * | 1   | velocity of the car                  | -0.07 | 0.07 |
 * The state is a pair of float64 (Python floats / np.float64); the observation is its float32 cast.
 *
 * ## Rewards
 * -1 for every step, including the one reaching the goal.
 *
 * ## Starting state
 * position uniform in [-0.6, -0.4] (one `np_random.uniform`), velocity 0.
 *
 * ## Episode end
 * Terminated when position >= 0.5 and velocity >= goal_velocity (0); truncated at 200 steps by the time limit.
 *
 * ## Transition
 * velocity += (action - 1) * force + cos(3 * position) * (-gravity), clipped to ±0.07; position += velocity,
 * clipped to [-1.2, 0.6]; a car at the left wall with negative velocity stops (inelastic collision).
 */
import type { Pcg64Generator } from '../rng/index';
import { type Action, type EnvId, type ResetBounds, type StepResult, ClassicControlEnv, actionToScalar, maybeParseResetBounds } from './env';
import { type Libm, type Numerics, libmFor } from './numeric/index';
import { BoxSpace, DiscreteSpace } from './spaces';

const minPosition = -1.2;
const maxPosition = 0.6;
const maxSpeed = 0.07;
const goalPosition = 0.5;
const force = 0.001;
const gravity = 0.0025;

/** np.clip for scalars: min(max(x, lo), hi). */
function clip(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

export interface MountainCarOptions {
  /** Gymnasium's `goal_velocity` (default 0). */
  goalVelocity?: number;
  /** sin/cos implementation (see numeric/index.ts); default 'glibc'. */
  numerics?: Numerics;
}

export class MountainCarEnv extends ClassicControlEnv {
  readonly id: EnvId = 'MountainCar-v0';
  readonly stateLayout = ['position', 'velocity'] as const;
  readonly observationSpace = new BoxSpace([minPosition, -maxSpeed], [maxPosition, maxSpeed]);
  readonly actionSpace = new DiscreteSpace(3);
  static readonly minPosition = minPosition;
  static readonly maxPosition = maxPosition;
  static readonly goalPosition = goalPosition;

  position = 0;
  velocity = 0;
  private readonly goalVelocity: number;
  private readonly libm: Libm;

  constructor(options: MountainCarOptions = {}) {
    super();
    this.goalVelocity = options.goalVelocity ?? 0;
    this.libm = libmFor(options.numerics);
  }

  protected getState(): number[] {
    return [this.position, this.velocity];
  }

  protected setState(s: readonly number[]): void {
    [this.position, this.velocity] = s;
  }

  resetState(rng: Pcg64Generator, options?: ResetBounds): void {
    const [low, high] = maybeParseResetBounds(options, -0.6, -0.4);
    this.position = rng.uniform(low, high);
    this.velocity = 0;
    this.terminated = false;
  }

  stepScalar(action: number): number {
    let position = this.position;
    let velocity = this.velocity;
    velocity += (action - 1) * force + this.libm.cos(3 * position) * -gravity;
    velocity = clip(velocity, -maxSpeed, maxSpeed);
    position += velocity;
    position = clip(position, minPosition, maxPosition);
    if (position === minPosition && velocity < 0) velocity = 0;

    this.terminated = position >= goalPosition && velocity >= this.goalVelocity;
    this.position = position;
    this.velocity = velocity;
    return -1.0;
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
