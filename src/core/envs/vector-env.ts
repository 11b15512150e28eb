/**
 * A synchronous vector env over N copies of one classic-control env (Gymnasium's SyncVectorEnv), writing
 * structure-of-arrays buffers that are allocated once and reused by every call.
 *
 * ## Autoreset: SAME-STEP (Gymnasium 1.x `AutoresetMode.SAME_STEP`, the gym<=0.29 / Stable-Baselines3 style)
 * When sub-env i terminates or is truncated on a `step`, that same call resets it (unseeded: its RNG stream
 * continues) and returns the new episode's first observation in `observations` row i. The observation the episode
 * really ended in is in `finalObservations` row i (valid only in rows where `terminated[i] | truncated[i]`), so the
 * trainer can bootstrap a truncated episode from V(final observation). Every step returned is a real transition:
 * there is no NEXT_STEP dummy step to mask. We chose SAME_STEP deliberately for that reason: the rollout buffer
 * needs no mask, and `episodeStarts` for step t+1 is simply `terminated | truncated` of step t.
 *
 * ## Layout
 * `observations` and `finalObservations` are row-major [numEnvs × obsDim]; `rewards`, `terminated`, `truncated`
 * are [numEnvs]. Actions: numEnvs integers for Discrete, numEnvs × actDim floats for Box, passed to the envs
 * unclipped (clipping is the policy's or ClipAction's job; the envs clip where Gymnasium's do).
 *
 * ## Episodes
 * `finishedEpisodes` lists the episodes that ended in this call with their undiscounted return and length
 * (Gymnasium's RecordEpisodeStatistics `r` and `l`); the array is cleared and refilled on every step.
 */
import { type ClassicControlEnv, actionToScalar } from './env';
import { type EnvKwargs, type EnvSpec, getEnvSpec } from './registry';
import type { Pcg64Generator, Pcg64State } from '../rng/index';
import type { BoxSpace, Space } from './spaces';

export interface FinishedEpisode {
  /** Index of the sub-env. */
  env: number;
  /** Sum of the episode's rewards. */
  return: number;
  /** Number of steps in the episode. */
  length: number;
}

export interface VectorStepResult {
  /** [numEnvs × obsDim]; the reset observation in rows whose episode ended this step. */
  observations: Float32Array;
  /** [numEnvs] */
  rewards: Float64Array;
  /** [numEnvs] 1 where the episode reached a terminal state (no bootstrap). */
  terminated: Uint8Array;
  /** [numEnvs] 1 where the time limit cut the episode (bootstrap from finalObservations). */
  truncated: Uint8Array;
  /** [numEnvs × obsDim] the last observation of episodes that ended this step; stale elsewhere. */
  finalObservations: Float32Array;
  /** Episodes that ended this step. */
  finishedEpisodes: FinishedEpisode[];
}

export interface VectorEnvOptions extends EnvKwargs {
  /** Overrides the registered time limit. */
  maxEpisodeSteps?: number;
}

/** A vector env's exact position: each sub-env's physics state and RNG stream, and the time-limit counters. */
export interface VectorEnvSnapshot {
  states: number[][];
  rngs: (Pcg64State | null)[];
  elapsedSteps: number[];
  episodeReturns: number[];
}

/** What the trainer's rollout and evaluation need from a vector env (declared once; `VectorEnv` implements it). */
export interface VectorEnvLike {
  readonly numEnvs: number;
  readonly obsDim: number;
  reset(options?: { seed?: number }): Float32Array;
  step(actions: ArrayLike<number>): VectorStepResult;
}

export class VectorEnv implements VectorEnvLike {
  readonly autoresetMode = 'SameStep' as const;
  readonly spec: EnvSpec;
  readonly envs: ClassicControlEnv[];
  readonly singleObservationSpace: BoxSpace;
  readonly singleActionSpace: Space;
  readonly obsDim: number;
  /** Elements per action: 1 for Discrete, the Box size otherwise. */
  readonly actDim: number;
  readonly maxEpisodeSteps: number;
  private readonly result: VectorStepResult;
  private readonly elapsedSteps: Int32Array;
  private readonly episodeReturns: Float64Array;
  private hasReset = false;
  private readonly actionBuffer: Float32Array;

  constructor(
    id: string,
    readonly numEnvs: number,
    options: VectorEnvOptions = {},
  ) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new RangeError(`numEnvs must be a positive integer, got ${numEnvs}`);
    this.spec = getEnvSpec(id);
    const { maxEpisodeSteps, ...kwargs } = options;
    this.maxEpisodeSteps = maxEpisodeSteps ?? this.spec.maxEpisodeSteps;
    this.envs = Array.from({ length: numEnvs }, () => this.spec.create(kwargs));
    this.singleObservationSpace = this.envs[0].observationSpace;
    this.singleActionSpace = this.envs[0].actionSpace;
    this.obsDim = this.singleObservationSpace.size;
    this.actDim = this.singleActionSpace.type === 'Discrete' ? 1 : this.singleActionSpace.size;
    this.actionBuffer = new Float32Array(this.actDim);
    this.result = {
      observations: new Float32Array(numEnvs * this.obsDim),
      rewards: new Float64Array(numEnvs),
      terminated: new Uint8Array(numEnvs),
      truncated: new Uint8Array(numEnvs),
      finalObservations: new Float32Array(numEnvs * this.obsDim),
      finishedEpisodes: [],
    };
    this.elapsedSteps = new Int32Array(numEnvs);
    this.episodeReturns = new Float64Array(numEnvs);
  }

  /**
   * Resets every sub-env; with a seed, sub-env i is seeded `seed + i` (as Gymnasium's vector reset). Returns the
   * observations buffer (the same array `step` fills).
   */
  reset(options: { seed?: number } = {}): Float32Array {
    const { seed } = options;
    const obs = this.result.observations;
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i];
      env.resetRng(seed === undefined ? undefined : seed + i);
      env.resetState(env.npRandom!, undefined);
      env.hasState = true;
      env.writeObservation(obs, i * this.obsDim);
      this.elapsedSteps[i] = 0;
      this.episodeReturns[i] = 0;
    }
    this.result.rewards.fill(0);
    this.result.terminated.fill(0);
    this.result.truncated.fill(0);
    this.result.finishedEpisodes.length = 0;
    this.hasReset = true;
    return obs;
  }

  /**
   * Resets sub-env `index` alone, seeded `seed` (`env.reset(seed=seed)` on that env: the same seed gives the same start
   * state bit for bit), and writes its first observation into row `index` of the observations buffer. Returns that
   * row (a view, valid until the next `step` or reset). The other sub-envs are left where they are.
   */
  resetEnv(index: number, seed: number): Float32Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.numEnvs) throw new RangeError(`sub-env index ${index} is out of 0..${this.numEnvs - 1}`);
    const env = this.envs[index];
    const obs = this.result.observations;
    env.resetRng(seed);
    env.resetState(env.npRandom!, undefined);
    env.hasState = true;
    env.writeObservation(obs, index * this.obsDim);
    this.elapsedSteps[index] = 0;
    this.episodeReturns[index] = 0;
    return obs.subarray(index * this.obsDim, (index + 1) * this.obsDim);
  }

  /** Steps every sub-env once, with same-step autoreset (see the file comment). */
  step(actions: ArrayLike<number>): VectorStepResult {
    if (!this.hasReset) throw new Error(`Cannot call step() on the ${this.spec.id} vector env before reset()`);
    const { numEnvs, obsDim, actDim, maxEpisodeSteps } = this;
    if (actions.length !== numEnvs * actDim) {
      throw new TypeError(`Expected ${numEnvs * actDim} actions (${numEnvs} envs × ${actDim}) for action space ${this.singleActionSpace.toString()}, got ${actions.length}`);
    }
    const { observations, rewards, terminated, truncated, finalObservations, finishedEpisodes } = this.result;
    const discrete = this.singleActionSpace.type === 'Discrete';
    finishedEpisodes.length = 0;
    for (let i = 0; i < numEnvs; i++) {
      const env = this.envs[i];
      let a: number;
      if (discrete) {
        a = actions[i];
        if (!this.singleActionSpace.contains(a)) a = actionToScalar(env.id, this.singleActionSpace, a);
      } else {
        for (let j = 0; j < actDim; j++) this.actionBuffer[j] = actions[i * actDim + j];
        a = this.actionBuffer[0];
        if (a !== a) a = actionToScalar(env.id, this.singleActionSpace, this.actionBuffer);
      }
      const reward = env.stepScalar(a);
      const term = env.terminated;
      const elapsed = ++this.elapsedSteps[i];
      const trunc = elapsed >= maxEpisodeSteps;
      const episodeReturn = (this.episodeReturns[i] += reward);
      rewards[i] = reward;
      terminated[i] = term ? 1 : 0;
      truncated[i] = trunc ? 1 : 0;
      const offset = i * obsDim;
      if (term || trunc) {
        env.writeObservation(finalObservations, offset);
        finishedEpisodes.push({ env: i, return: episodeReturn, length: elapsed });
        env.resetRng(undefined);
        env.resetState(env.npRandom!, undefined);
        this.elapsedSteps[i] = 0;
        this.episodeReturns[i] = 0;
      }
      env.writeObservation(observations, offset);
    }
    return this.result;
  }

  /** Where every sub-env is, so a resumed run continues the same episodes with the same random draws. */
  snapshot(): VectorEnvSnapshot {
    return {
      states: this.envs.map((e) => e.state),
      rngs: this.envs.map((e) => e.npRandom?.getState() ?? null),
      elapsedSteps: Array.from(this.elapsedSteps),
      episodeReturns: Array.from(this.episodeReturns),
    };
  }

  /** Puts every sub-env back where `snapshot()` found it (a vector env of the same id and size). */
  restore(snapshot: VectorEnvSnapshot): void {
    if (snapshot.states.length !== this.numEnvs) {
      throw new Error(`env snapshot has ${snapshot.states.length} envs, this vector env has ${this.numEnvs}`);
    }
    this.envs.forEach((e, i) => {
      e.state = snapshot.states[i] as number[];
      const rng = snapshot.rngs[i];
      if (rng) {
        e.resetRng(0);
        (e.npRandom as Pcg64Generator).setState(rng);
      }
    });
    this.elapsedSteps.set(snapshot.elapsedSteps);
    this.episodeReturns.set(snapshot.episodeReturns);
    this.hasReset = true;
  }
}

/** `gymnasium.make_vec(id, numEnvs, vectorization_mode="sync")` with SAME_STEP autoreset. */
export function makeVectorEnv(id: string, numEnvs: number, options: VectorEnvOptions = {}): VectorEnv {
  return new VectorEnv(id, numEnvs, options);
}
