/**
 * Gymnasium's classic-control environments, ported bit-faithfully. `makeEnv(id)` is `gymnasium.make(id)`: the bare
 * env under TimeLimit (truncation) and OrderEnforcing (reset before step; no step after the episode ended).
 */
import type { Env } from './env';
import { type EnvKwargs, getEnvSpec } from './registry';
import { OrderEnforcing, TimeLimit } from './time-limit';

export type { Action, Env, EnvId, Info, ResetBounds, ResetOptions, ResetResult, StepResult } from './env';
export { ClassicControlEnv, actionToScalar } from './env';
export { BoxSpace, DiscreteSpace, type Dtype, type Space } from './spaces';
export { ENV_IDS, ENV_SPECS, envRegistry, getEnvSpec, isEnvId, type EnvKwargs, type EnvSpec } from './registry';
export { OrderEnforcing, TimeLimit, Wrapper } from './time-limit';
export { AcrobotEnv } from './acrobot';
export { CartPoleEnv } from './cartpole';
export { ContinuousMountainCarEnv } from './continuous-mountain-car';
export { MountainCarEnv } from './mountain-car';
export { PendulumEnv, angleNormalize } from './pendulum';
export type { Numerics } from './numeric/index';

export interface MakeEnvOptions extends EnvKwargs {
  /** Overrides the registered time limit. */
  maxEpisodeSteps?: number;
}

/** `gymnasium.make(id, **kwargs)`; throws for an unknown id, listing the known ones. */
export function makeEnv(id: string, options: MakeEnvOptions = {}): Env {
  const spec = getEnvSpec(id);
  const { maxEpisodeSteps, ...kwargs } = options;
  return new OrderEnforcing(new TimeLimit(spec.create(kwargs), maxEpisodeSteps ?? spec.maxEpisodeSteps));
}
export { VectorEnv, makeVectorEnv, type FinishedEpisode, type VectorEnvOptions, type VectorStepResult } from './vector-env';
export * from './wrappers/index';
