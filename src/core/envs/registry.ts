/**
 * The registry of Gymnasium's classic-control environments (gymnasium/envs/__init__.py): id, time limit, reward
 * threshold, spaces, and the factory of the bare env.
 */
import { AcrobotEnv } from './acrobot';
import { CartPoleEnv } from './cartpole';
import { ContinuousMountainCarEnv } from './continuous-mountain-car';
import type { ClassicControlEnv, EnvId } from './env';
import type { Numerics } from './numeric/index';
import { MountainCarEnv } from './mountain-car';
import { PendulumEnv } from './pendulum';
import type { BoxSpace, Space } from './spaces';

/** Constructor options of the bare envs (Gymnasium's `make` kwargs). */
export interface EnvKwargs {
  /** CartPole-v1: `sutton_barto_reward`. */
  suttonBartoReward?: boolean;
  /** Pendulum-v1: gravity `g` (default 10.0). */
  g?: number;
  /** MountainCar-v0 and MountainCarContinuous-v0: `goal_velocity` (default 0). */
  goalVelocity?: number;
  /**
   * How sin/cos are evaluated: 'glibc' (default) reproduces numpy/glibc to the bit, so Gymnasium trajectories replay
   * exactly; 'native' uses Math.sin/Math.cos, faster, within 1e-12 per step but drifting in the last bits over long
   * chaotic replays. See numeric/index.ts.
   */
  numerics?: Numerics;
}

export interface EnvSpec {
  id: EnvId;
  /** Episodes are truncated after this many steps (TimeLimit). */
  maxEpisodeSteps: number;
  /** Mean return over 100 episodes at which the task counts as solved; null where Gymnasium has none. */
  rewardThreshold: number | null;
  observationSpace: BoxSpace;
  actionSpace: Space;
  /** Gymnasium's entry point, for reference. */
  entryPoint: string;
  /** Creates the bare (unwrapped) environment. */
  create(kwargs?: EnvKwargs): ClassicControlEnv;
}

type SpecInput = Omit<EnvSpec, 'observationSpace' | 'actionSpace'>;

function spec(input: SpecInput): EnvSpec {
  const probe = input.create();
  return { ...input, observationSpace: probe.observationSpace, actionSpace: probe.actionSpace };
}

export const ENV_SPECS: Readonly<Record<EnvId, EnvSpec>> = {
  'CartPole-v1': spec({
    id: 'CartPole-v1',
    maxEpisodeSteps: 500,
    rewardThreshold: 475.0,
    entryPoint: 'gymnasium.envs.classic_control.cartpole:CartPoleEnv',
    create: (kwargs) => new CartPoleEnv(kwargs),
  }),
  'Acrobot-v1': spec({
    id: 'Acrobot-v1',
    maxEpisodeSteps: 500,
    rewardThreshold: -100.0,
    entryPoint: 'gymnasium.envs.classic_control.acrobot:AcrobotEnv',
    create: (kwargs) => new AcrobotEnv(kwargs),
  }),
  'MountainCar-v0': spec({
    id: 'MountainCar-v0',
    maxEpisodeSteps: 200,
    rewardThreshold: -110.0,
    entryPoint: 'gymnasium.envs.classic_control.mountain_car:MountainCarEnv',
    create: (kwargs) => new MountainCarEnv(kwargs),
  }),
  'MountainCarContinuous-v0': spec({
    id: 'MountainCarContinuous-v0',
    maxEpisodeSteps: 999,
    rewardThreshold: 90.0,
    entryPoint: 'gymnasium.envs.classic_control.continuous_mountain_car:Continuous_MountainCarEnv',
    create: (kwargs) => new ContinuousMountainCarEnv(kwargs),
  }),
  'Pendulum-v1': spec({
    id: 'Pendulum-v1',
    maxEpisodeSteps: 200,
    rewardThreshold: null,
    entryPoint: 'gymnasium.envs.classic_control.pendulum:PendulumEnv',
    create: (kwargs) => new PendulumEnv(kwargs),
  }),
};

/** The known ids, in registration order. */
export const ENV_IDS = Object.keys(ENV_SPECS) as EnvId[];

/** Same object as ENV_SPECS, under the other name callers use. */
export const envRegistry = ENV_SPECS;

export function isEnvId(id: string): id is EnvId {
  return Object.prototype.hasOwnProperty.call(ENV_SPECS, id);
}

/** The spec of `id`, or an error listing the known ids. */
export function getEnvSpec(id: string): EnvSpec {
  if (!isEnvId(id)) throw new Error(`Unknown environment id ${JSON.stringify(id)}; known ids: ${ENV_IDS.join(', ')}`);
  return ENV_SPECS[id];
}
