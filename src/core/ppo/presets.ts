/**
 * Hyperparameter presets, shipped as data. Zoo entries are copied verbatim (SB3 key names) from
 * rl-baselines3-zoo hyperparams/ppo.yml @22e3ff2 and mapped through `fromSb3Keys`; the others are in Proxima's names.
 */
import { parsePpoConfig, type PpoConfig } from './config';
import { fromSb3Keys } from './sb3-keys';

export type PresetName = 'sb3-defaults' | 'zoo' | 'cleanrl' | 'seed-blog';

/** One preset: a description and either per-env records or one record for every env (`'*'`). */
export interface Preset {
  description: string;
  /** Records in SB3 keys (`sb3`) or Proxima keys (`proxima`), per env id or `'*'`. */
  keys: 'sb3' | 'proxima';
  envs: Record<string, Record<string, unknown>>;
}

/** Continuous-action envs among the classic-control set (CleanRL uses its continuous script for these). */
const CONTINUOUS = new Set(['MountainCarContinuous-v0', 'Pendulum-v1']);

export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.freeze({
  'sb3-defaults': {
    description: 'Stable-Baselines3 PPO constructor defaults (MlpPolicy 64-64 tanh, separate pi/vf).',
    keys: 'proxima',
    envs: { '*': {} },
  },
  zoo: {
    description: 'RL Baselines3 Zoo tuned PPO hyperparameters (hyperparams/ppo.yml).',
    keys: 'sb3',
    envs: {
      'CartPole-v1': {
        n_envs: 8, n_timesteps: 1e5, policy: 'MlpPolicy', n_steps: 32, batch_size: 256, gae_lambda: 0.8, gamma: 0.98,
        n_epochs: 20, ent_coef: 0.0, learning_rate: 'lin_0.001', clip_range: 'lin_0.2',
      },
      'Acrobot-v1': {
        normalize: true, n_envs: 16, n_timesteps: 1e6, policy: 'MlpPolicy', n_steps: 256, gae_lambda: 0.94,
        gamma: 0.99, n_epochs: 4, ent_coef: 0.0,
      },
      'MountainCar-v0': {
        normalize: true, n_envs: 16, n_timesteps: 1e6, policy: 'MlpPolicy', n_steps: 16, gae_lambda: 0.98,
        gamma: 0.99, n_epochs: 4, ent_coef: 0.0,
      },
      'MountainCarContinuous-v0': {
        normalize: true, n_envs: 1, n_timesteps: 20000, policy: 'MlpPolicy', batch_size: 256, n_steps: 8,
        gamma: 0.9999, learning_rate: 7.77e-5, ent_coef: 0.00429, clip_range: 0.1, n_epochs: 10, gae_lambda: 0.9,
        max_grad_norm: 5, vf_coef: 0.19, use_sde: true, policy_kwargs: 'dict(log_std_init=-3.29, ortho_init=False)',
      },
      'Pendulum-v1': {
        n_envs: 4, n_timesteps: 1e5, policy: 'MlpPolicy', n_steps: 1024, gae_lambda: 0.95, gamma: 0.9,
        n_epochs: 10, ent_coef: 0.0, learning_rate: 1e-3, clip_range: 0.2, use_sde: true, sde_sample_freq: 4,
      },
    },
  },
  cleanrl: {
    description: 'CleanRL ppo.py (discrete) / ppo_continuous_action.py (continuous) defaults.',
    keys: 'proxima',
    envs: {
      discrete: {
        totalTimesteps: 500_000, learningRate: 2.5e-4, learningRateSchedule: 'linear', nEnvs: 4, nSteps: 128,
        gamma: 0.99, gaeLambda: 0.95, batchSize: 128, nEpochs: 4, normalizeAdvantage: 'per-minibatch',
        clipRange: 0.2, clipRangeVf: 0.2, entCoef: 0.01, vfCoef: 0.5, maxGradNorm: 0.5, targetKl: null, seed: 1,
      },
      continuous: {
        totalTimesteps: 1_000_000, learningRate: 3e-4, learningRateSchedule: 'linear', nEnvs: 1, nSteps: 2048,
        gamma: 0.99, gaeLambda: 0.95, batchSize: 64, nEpochs: 10, normalizeAdvantage: 'per-minibatch',
        clipRange: 0.2, clipRangeVf: 0.2, entCoef: 0, vfCoef: 0.5, maxGradNorm: 0.5, targetKl: null, seed: 1,
        normalizeObs: true, normalizeReward: true,
      },
    },
  },
  'seed-blog': {
    description:
      'The seed blog post: one CartPole env, whole episodes as one batch, shared 3×128 ReLU trunk, 20 epochs, entropy 0.1.',
    keys: 'proxima',
    envs: {
      '*': {
        nEnvs: 1, rolloutMode: 'episodes', sharedLayers: [128, 128, 128], piLayers: [],
        vfLayers: [], activation: 'relu', learningRate: 1e-4, gamma: 0.99, gaeLambda: 0.95, objective: 'clip',
        clipRange: 0.2, nEpochs: 20, vfCoef: 0.5, entCoef: 0.1, normalizeAdvantage: 'per-batch',
        evalDeterministic: true, totalTimesteps: 100_000,
      },
    },
  },
});

/** The preset's record for one env, mapped to Proxima names (not yet defaulted). */
export function presetOverrides(name: PresetName, envId: string): Partial<PpoConfig> {
  const preset = PRESETS[name];
  if (!preset) throw new Error(`unknown preset ${JSON.stringify(name)} (known: ${Object.keys(PRESETS).join(', ')})`);
  let record: Record<string, unknown> | undefined;
  if (name === 'cleanrl') record = preset.envs[CONTINUOUS.has(envId) ? 'continuous' : 'discrete'];
  else record = preset.envs[envId] ?? preset.envs['*'];
  if (!record) {
    throw new Error(`preset ${name} has no entry for ${envId} (has: ${Object.keys(preset.envs).join(', ')})`);
  }
  const mapped = preset.keys === 'sb3' ? fromSb3Keys(record) : (record as Partial<PpoConfig>);
  return { ...mapped, envId: (mapped.envId as string | undefined) ?? envId };
}

/** A complete, validated config: SB3 defaults, then the preset's entry for `envId`, then `overrides`. */
export function resolvePreset(name: PresetName, envId: string, overrides: Partial<PpoConfig> = {}): PpoConfig {
  return parsePpoConfig({ ...presetOverrides(name, envId), ...overrides });
}
