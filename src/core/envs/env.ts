/**
 * The environment API, as Gymnasium's `gymnasium.Env` (core.py): `reset({ seed }) -> [obs, info]` and
 * `step(action) -> [obs, reward, terminated, truncated, info]`, with the classic-control base class that the five
 * environments extend. Observations are `Float32Array`; the internal state is a plain `number[]` in Gymnasium's order.
 */
import { Pcg64Generator, createRng } from '../rng/index';
import type { BoxSpace, Space } from './spaces';

export type EnvId = 'CartPole-v1' | 'Acrobot-v1' | 'MountainCar-v0' | 'MountainCarContinuous-v0' | 'Pendulum-v1';

/** An integer for a Discrete action space; a length-1 `Float32Array` or `number[]` for a Box one. */
export type Action = number | Float32Array | readonly number[];

export type Info = Record<string, unknown>;

export type ResetResult = [observation: Float32Array, info: Info];

export type StepResult = [observation: Float32Array, reward: number, terminated: boolean, truncated: boolean, info: Info];

/** Gymnasium's reset `options`: `low`/`high` (utils.maybe_parse_reset_bounds), or `x_init`/`y_init` for Pendulum. */
export interface ResetBounds {
  low?: number;
  high?: number;
  x_init?: number;
  y_init?: number;
}

export interface ResetOptions {
  /** Reseeds the environment's RNG as `np.random.Generator(PCG64(SeedSequence(seed)))`; a non-negative integer. */
  seed?: number;
  options?: ResetBounds;
}

export interface Env {
  readonly id: EnvId;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: Space;
  /** The bare environment under all wrappers. */
  readonly unwrapped: ClassicControlEnv;
  reset(options?: ResetOptions): ResetResult;
  step(action: Action): StepResult;
}

/** `utils.maybe_parse_reset_bounds`: the reset bounds from `options`, or the defaults. */
export function maybeParseResetBounds(options: ResetBounds | undefined, defaultLow: number, defaultHigh: number): [number, number] {
  if (options === undefined) return [defaultLow, defaultHigh];
  const low = options.low ?? defaultLow;
  const high = options.high ?? defaultHigh;
  if (typeof low !== 'number' || Number.isNaN(low) || typeof high !== 'number' || Number.isNaN(high)) {
    throw new TypeError(`Reset bounds must be numbers, got low=${String(low)}, high=${String(high)}`);
  }
  if (low > high) throw new RangeError(`Lower bound (${low}) must be lower than higher bound (${high}).`);
  return [low, high];
}

function describeAction(action: unknown): string {
  if (action instanceof Float32Array || Array.isArray(action)) return `[${Array.from(action as ArrayLike<unknown>, String).join(', ')}]`;
  return typeof action === 'object' && action !== null ? Object.prototype.toString.call(action) : String(action);
}

/**
 * Validates an action against the space and returns it as one number: the integer for Discrete, the float32 value of
 * the single element for a shape-(1,) Box. Box actions outside the bounds pass (the environments clip them where
 * Gymnasium does); NaN, the wrong type or the wrong shape throw, naming the space.
 */
export function actionToScalar(id: EnvId, space: Space, action: unknown): number {
  if (space.type === 'Discrete') {
    if (space.contains(action)) return action as number;
    throw new TypeError(`Invalid action ${describeAction(action)} for ${id}: action space ${space.toString()} takes an integer in [${space.start}, ${space.start + space.n})`);
  }
  if ((action instanceof Float32Array || Array.isArray(action)) && action.length === space.size) {
    const v = action[0] as unknown;
    if (typeof v === 'number' && !Number.isNaN(v)) return Math.fround(v);
  }
  throw new TypeError(`Invalid action ${describeAction(action)} for ${id}: action space ${space.toString()} takes a Float32Array or number[] of length ${space.size} without NaN`);
}

/**
 * Base of the five classic-control environments (the unwrapped env). Subclasses keep their state in fields and
 * implement the three hot-path methods used both by `reset`/`step` and, allocation-free, by the vector env.
 */
export abstract class ClassicControlEnv implements Env {
  abstract readonly id: EnvId;
  abstract readonly observationSpace: BoxSpace;
  abstract readonly actionSpace: Space;
  /** Gymnasium's `np_random`; created from fresh entropy on first unseeded reset. */
  npRandom: Pcg64Generator | null = null;
  /** Set by `stepScalar`: whether the step reached a terminal state. */
  terminated = false;
  /** Incremented whenever `state` is written from outside, so wrappers can tell the env was repositioned. */
  stateVersion = 0;
  /** False until the first reset or state write (Gymnasium's `self.state is None`). */
  hasState = false;

  get unwrapped(): ClassicControlEnv {
    return this;
  }

  /** The internal physics state in Gymnasium's order (a copy); writing it puts the env in that state. */
  get state(): number[] {
    return this.getState();
  }

  set state(value: readonly number[]) {
    const names = this.stateLayout;
    if (!Array.isArray(value) || value.length !== names.length || value.some((v) => typeof v !== 'number')) {
      throw new TypeError(`${this.id} state must be ${names.length} numbers [${names.join(', ')}]`);
    }
    this.setState(value);
    this.hasState = true;
    this.stateVersion++;
  }

  /** Names of the state components, in order. */
  abstract readonly stateLayout: readonly string[];
  protected abstract getState(): number[];
  protected abstract setState(value: readonly number[]): void;

  /** Draws the start state from `rng` exactly as Gymnasium's reset does (same draws, same order). */
  abstract resetState(rng: Pcg64Generator, options?: ResetBounds): void;
  /** One step with an already validated action (see `actionToScalar`); returns the reward, sets `terminated`. */
  abstract stepScalar(action: number): number;
  /** Writes the observation of the current state into `out[offset ..]`. */
  abstract writeObservation(out: Float32Array, offset: number): void;

  get obsDim(): number {
    return this.observationSpace.size;
  }

  /** Gymnasium's `Env.reset` (seeding as `super().reset(seed=seed)`) followed by the env's own reset. */
  reset(options: ResetOptions = {}): ResetResult {
    this.resetRng(options.seed);
    this.resetState(this.npRandom as Pcg64Generator, options.options);
    this.hasState = true;
    const obs = new Float32Array(this.obsDim);
    this.writeObservation(obs, 0);
    return [obs, {}];
  }

  protected throwNotReset(): never {
    throw new Error(`Call reset before using ${this.id}'s step method.`);
  }

  /** Reseeds when a seed is given; otherwise keeps the stream, creating one from fresh entropy if there is none. */
  resetRng(seed: number | undefined): void {
    if (seed !== undefined) {
      if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`Seed must be a non-negative integer, got ${String(seed)}`);
      this.npRandom = Pcg64Generator.fromSeed(seed);
    } else if (this.npRandom === null) {
      this.npRandom = createRng();
    }
  }

  /** The bare env's step: no time limit (Gymnasium's unwrapped envs never truncate). */
  step(action: Action): StepResult {
    const a = actionToScalar(this.id, this.actionSpace, action);
    if (!this.hasState) this.throwNotReset();
    const reward = this.stepScalar(a);
    const obs = new Float32Array(this.obsDim);
    this.writeObservation(obs, 0);
    return [obs, reward, this.terminated, false, {}];
  }
}
