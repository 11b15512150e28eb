/**
 * Hyperparameter presets per algorithm, shipped as data. Zoo entries are copied verbatim (SB3 key names) from
 * rl-baselines3-zoo hyperparams/{ppo,a2c,trpo}.yml @22e3ff2 and mapped through `fromSb3Keys`; the others are in
 * Proxima's names.
 */
import { ALGORITHMS, newConfigFields, parseTrainConfig, type Algorithm, type ConfigOf } from './config';
import { fromSb3Keys } from './sb3-keys';

export type PresetName = 'sb3-defaults' | 'zoo' | 'cleanrl' | 'seed-blog' | 'defaults' | 'tuned';

/** One preset: a description and either per-env records or one record for every env (`'*'`). */
export interface Preset {
  description: string;
  /** Records in SB3 keys (`sb3`) or Proxima keys (`proxima`), per env id or `'*'`. */
  keys: 'sb3' | 'proxima';
  envs: Record<string, Record<string, unknown>>;
}

/** What the preset menus call each preset. */
const PRESET_LABELS: Readonly<Record<PresetName, string>> = Object.freeze({
  zoo: 'RL Zoo (tuned)',
  'sb3-defaults': 'SB3 defaults',
  cleanrl: 'CleanRL defaults',
  'seed-blog': 'Seed blog',
  defaults: 'Proxima defaults',
  tuned: 'Proxima tuned',
});

/** Labels that differ for one algorithm: TRPO's reference defaults are sb3-contrib's. */
export const PRESET_LABELS_BY_ALGORITHM: Readonly<Partial<Record<Algorithm, Partial<Record<PresetName, string>>>>> = Object.freeze({
  trpo: { 'sb3-defaults': 'sb3-contrib defaults' },
});

/** The label of `algorithm`'s preset `name` (the name itself for a preset without one). */
export function presetLabel(algorithm: Algorithm, name: string): string {
  return PRESET_LABELS_BY_ALGORITHM[algorithm]?.[name as PresetName] ?? PRESET_LABELS[name as PresetName] ?? name;
}

/** Continuous-action envs among the classic-control set (CleanRL uses its continuous script for these). */
const CONTINUOUS = new Set(['MountainCarContinuous-v0', 'Pendulum-v1']);

/** PPO's presets. */
const PPO_PRESETS: Readonly<Partial<Record<PresetName, Preset>>> = Object.freeze({
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


/** A2C's presets: SB3's constructor defaults and RL Zoo's hyperparams/a2c.yml. */
const A2C_PRESETS: Readonly<Partial<Record<PresetName, Preset>>> = Object.freeze({
  'sb3-defaults': {
    description: 'Stable-Baselines3 A2C constructor defaults (n_steps 5, RMSprop lr 7e-4, λ 1, 64-64 tanh).',
    keys: 'proxima',
    envs: { '*': {} },
  },
  zoo: {
    description: 'RL Baselines3 Zoo tuned A2C hyperparameters (hyperparams/a2c.yml).',
    keys: 'sb3',
    envs: {
      'CartPole-v1': { n_envs: 8, n_timesteps: 5e5, policy: 'MlpPolicy', ent_coef: 0.0 },
      'Acrobot-v1': { normalize: true, n_envs: 16, n_timesteps: 5e5, policy: 'MlpPolicy', ent_coef: 0.0 },
      'MountainCar-v0': { normalize: true, n_envs: 16, n_timesteps: 1e6, policy: 'MlpPolicy', ent_coef: 0.0 },
      'MountainCarContinuous-v0': {
        normalize: true, n_envs: 4, n_steps: 100, n_timesteps: 1e5, policy: 'MlpPolicy', ent_coef: 0.0, use_sde: true,
        sde_sample_freq: 16, policy_kwargs: 'dict(log_std_init=0.0, ortho_init=False)',
      },
      'Pendulum-v1': {
        normalize: true, n_envs: 8, n_timesteps: 1e6, policy: 'MlpPolicy', ent_coef: 0.0, max_grad_norm: 0.5, n_steps: 8,
        gae_lambda: 0.9, vf_coef: 0.4, gamma: 0.9, use_rms_prop: true, normalize_advantage: false,
        learning_rate: 'lin_7e-4', use_sde: true, policy_kwargs: 'dict(log_std_init=-2, ortho_init=False)',
      },
    },
  },
});

/** TRPO's presets: sb3-contrib's constructor defaults and RL Zoo's hyperparams/trpo.yml. */
const TRPO_PRESETS: Readonly<Partial<Record<PresetName, Preset>>> = Object.freeze({
  'sb3-defaults': {
    description: 'sb3-contrib TRPO constructor defaults (n_steps 2048, target KL 0.01, CG 15 steps, damping 0.1, 10 critic passes).',
    keys: 'proxima',
    envs: { '*': {} },
  },
  zoo: {
    description: 'RL Baselines3 Zoo tuned TRPO hyperparameters (hyperparams/trpo.yml).',
    keys: 'sb3',
    envs: {
      'CartPole-v1': {
        n_envs: 2, n_timesteps: 1e5, policy: 'MlpPolicy', n_steps: 512, batch_size: 512, cg_damping: 1e-3,
        gae_lambda: 0.98, gamma: 0.99, learning_rate: 1e-3, n_critic_updates: 20,
      },
      'Acrobot-v1': { normalize: true, n_envs: 2, n_timesteps: 1e5, policy: 'MlpPolicy', n_steps: 1024 },
      'MountainCar-v0': { normalize: true, n_envs: 2, n_timesteps: 1e5, policy: 'MlpPolicy', n_steps: 1024, n_critic_updates: 20 },
      'MountainCarContinuous-v0': {
        normalize: true, n_envs: 2, n_timesteps: 50000, policy: 'MlpPolicy', use_sde: true, sde_sample_freq: 4,
      },
      'Pendulum-v1': {
        n_envs: 2, n_timesteps: 1e5, policy: 'MlpPolicy', n_steps: 1024, gamma: 0.9, n_critic_updates: 15, use_sde: true,
        sde_sample_freq: 4,
      },
    },
  },
});

/**
 * REINFORCE's presets. No reference library ships REINFORCE, so both are Proxima's own, documented here:
 * `defaults` is REINFORCE_DEFAULTS; `tuned` is what Proxima's learning benchmark uses (see the README's table).
 */
const REINFORCE_PRESETS: Readonly<Partial<Record<PresetName, Preset>>> = Object.freeze({
  defaults: {
    description: 'Proxima REINFORCE defaults: reward-to-go, learned baseline, Adam 1e-3, 8 episodes per batch on one env.',
    keys: 'proxima',
    envs: { '*': {} },
  },
  // Tuned on CartPole-v1 (wasm, final deterministic 20-episode evaluation). At 1e5 steps, seeds 0–2, against this
  // entry with normalizeReturns false (351 mean): lr 3e-3 483, lr 5e-4 482, 4 episodes per batch 472, 16 per batch
  // 467, 1 env 498, 8 envs 299, 8 envs × 16 episodes 500, normalizeReturns 499, normalizeReturns + lr 3e-3 500,
  // entCoef 0.01 420, no baseline 465, whole-episode returns 269. At 5e5 steps, seeds 0–4: normalizeReturns false
  // 500/500/500/500/492, this entry 500/500/500/498/498 (already 475–500 at 1e5 on every seed).
  tuned: {
    description: 'Proxima REINFORCE with baseline and standardized reward-to-go returns, tuned on CartPole-v1 (the only reference target): 5e5 steps, 4 envs, 8 episodes per batch, Adam 1e-3.',
    keys: 'proxima',
    envs: {
      '*': {
        totalTimesteps: 500_000, nEnvs: 4, episodesPerBatch: 8, learningRate: 1e-3, gamma: 0.99, rewardToGo: true,
        useBaseline: true, normalizeReturns: true, vfCoef: 0.5,
      },
      'Pendulum-v1': { totalTimesteps: 1_000_000, nEnvs: 4, episodesPerBatch: 8, gamma: 0.9, normalizeObs: false },
      'MountainCarContinuous-v0': { totalTimesteps: 1_000_000, nEnvs: 4, episodesPerBatch: 4, normalizeObs: true, normalizeReward: true },
      'MountainCar-v0': { totalTimesteps: 1_000_000, nEnvs: 4, episodesPerBatch: 4, normalizeObs: true },
      'Acrobot-v1': { totalTimesteps: 500_000, nEnvs: 4, episodesPerBatch: 8, normalizeObs: true },
    },
  },
});

/**
 * GRPO's presets. No reference library runs GRPO on control tasks, so both are Proxima's own: `defaults` is
 * GRPO_DEFAULTS; `tuned` is what Proxima's learning benchmark uses (see the README's table), tuned on CartPole-v1 and
 * Acrobot-v1.
 */
const GRPO_PRESETS: Readonly<Partial<Record<PresetName, Preset>>> = Object.freeze({
  defaults: {
    description: 'Proxima GRPO defaults: groups of 8 episodes × 4 start states, outcome advantages, ε 0.2, β 0.04 to the initial policy, 4 epochs of 4 minibatches, Adam 3e-4.',
    keys: 'proxima',
    envs: { '*': {} },
  },
  // Tuned on CartPole-v1 (auto backend, final deterministic 20-episode evaluation, 1e5 steps). Seeds 0–4: outcome
  // advantages 490/488/500/493/446 (first ≥ 475 at 42k/21k/32k/41k/32k steps), reward-to-go 500 on every seed (at
  // 30k/23k/23k/44k/34k). Against reward-to-go on seeds 0–2 (first ≥ 475 at 30k/23k/23k, all 500): lr 1e-3
  // 500/466/500 (55k/68k/41k), β 0 500 ×3 (54k/32k/23k), reference refreshed every 10 updates 500 ×3 (61k/23k/23k),
  // 16 episodes × 2 starts 500/490/500 (34k/24k/24k), 8 epochs 500 ×3 (56k/25k/40k): none better. Acrobot-v1 at 2e5
  // (seeds 0–1, no observation normalization): reward-to-go −82/−81, outcome −82/−82.
  tuned: {
    description: 'Proxima GRPO tuned on CartPole-v1 and Acrobot-v1: reward-to-go group advantages, groups of 8 episodes × 4 start states, ε 0.2, β 0.04 to the initial policy, 4 epochs of 4 minibatches, Adam 3e-4; 1e5 steps (Acrobot 2e5).',
    keys: 'proxima',
    envs: {
      '*': { totalTimesteps: 100_000, groupAdvantage: 'reward-to-go' },
      'Acrobot-v1': { totalTimesteps: 200_000 },
    },
  },
});

/** Every algorithm's presets. */
export const ALGORITHM_PRESETS: Readonly<Record<Algorithm, Readonly<Partial<Record<PresetName, Preset>>>>> = Object.freeze({
  ppo: PPO_PRESETS,
  a2c: A2C_PRESETS,
  trpo: TRPO_PRESETS,
  reinforce: REINFORCE_PRESETS,
  grpo: GRPO_PRESETS,
});

/** PPO's presets (the names every release before the ancestors had). */
export const PRESETS = PPO_PRESETS;

/** The preset each algorithm trains with when none is named: the RL Zoo entry where one exists, else its own tuned one. */
export const TUNED_PRESET: Readonly<Record<Algorithm, PresetName>> = Object.freeze({ ppo: 'zoo', a2c: 'zoo', trpo: 'zoo', reinforce: 'tuned', grpo: 'tuned' });

/**
 * Environments on which the untuned reference defaults do not learn within their own budget, so a sweep there
 * should start from the tuned (RL Zoo) preset. Measured on 2026-12-02 with PPO `sb3-defaults` (1e5 steps, seed 0,
 * wasm, final 10-episode deterministic evaluation): Pendulum-v1 −1107 (zoo: −207), MountainCar-v0 −200 (never
 * reaches the flag; zoo −113), MountainCarContinuous-v0 ≈ 0 (zoo 71); CartPole-v1 (500) and Acrobot-v1 (−81.6
 * against a threshold of −100) learn with the defaults.
 */
export const UNTUNED_DOES_NOT_LEARN: ReadonlySet<string> = new Set(['Pendulum-v1', 'MountainCar-v0', 'MountainCarContinuous-v0']);

/** Preset names that mean the same for every algorithm: the tuned one, and the reference defaults. */
const EQUIVALENT: Partial<Record<string, PresetName>> = { zoo: 'tuned', tuned: 'zoo', 'sb3-defaults': 'defaults', defaults: 'sb3-defaults' };

/** Every preset name some algorithm has. */
export const PRESET_NAMES: readonly PresetName[] = Object.freeze([...new Set(ALGORITHMS.flatMap((a) => Object.keys(ALGORITHM_PRESETS[a])))] as PresetName[]);

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * The preset `algorithm` uses for `name`: the preset itself, or the algorithm's equivalent of a tuned/defaults name
 * (`zoo` for REINFORCE is its `tuned`; `defaults` for PPO is `sb3-defaults`), or null when it has nothing like it.
 */
export function presetFor(algorithm: Algorithm, name: string): PresetName | null {
  const presets = ALGORITHM_PRESETS[algorithm];
  if (Object.hasOwn(presets, name)) return name as PresetName;
  const other = EQUIVALENT[name];
  return other && Object.hasOwn(presets, other) ? other : null;
}

/**
 * The preset's record for one env and algorithm, mapped to Proxima names (not yet defaulted), for a new config: it
 * states the fields whose absence in a stored config means something else (`newConfigFields`).
 */
export function presetOverrides(name: PresetName | string, envId: string, algorithm: Algorithm = 'ppo'): Record<string, unknown> {
  const resolved = presetFor(algorithm, name);
  if (resolved === null) {
    throw new Error(`${algorithm} has no preset ${JSON.stringify(name)} (it has: ${Object.keys(ALGORITHM_PRESETS[algorithm]).join(', ')})`);
  }
  const preset = ALGORITHM_PRESETS[algorithm][resolved] as Preset;
  let record: Record<string, unknown> | undefined;
  if (algorithm === 'ppo' && resolved === 'cleanrl') record = preset.envs[CONTINUOUS.has(envId) ? 'continuous' : 'discrete'];
  else record = preset.envs[envId] ? { ...(preset.envs['*'] ?? {}), ...preset.envs[envId] } : preset.envs['*'];
  if (!record) {
    throw new Error(`${algorithm} preset ${resolved} has no entry for ${envId} (has: ${Object.keys(preset.envs).join(', ')})`);
  }
  const mapped = preset.keys === 'sb3' ? fromSb3Keys(record, algorithm) : { ...record };
  return { ...newConfigFields(algorithm), ...mapped, algorithm, envId: (mapped.envId as string | undefined) ?? envId };
}

/** A complete, validated config: the algorithm's defaults, then the preset's entry for `envId`, then `overrides`. */
export function resolvePreset<A extends Algorithm = 'ppo'>(
  name: PresetName | string,
  envId: string,
  overrides: Record<string, unknown> = {},
  algorithm: A = 'ppo' as A,
): ConfigOf<A> {
  if (overrides.algorithm !== undefined && overrides.algorithm !== algorithm) {
    throw new Error(`overrides.algorithm ${JSON.stringify(overrides.algorithm)} differs from the preset's algorithm ${algorithm}`);
  }
  return parseTrainConfig({ ...presetOverrides(name, envId, algorithm), ...overrides }) as ConfigOf<A>;
}
