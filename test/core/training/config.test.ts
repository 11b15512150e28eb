import { describe, expect, it } from 'vitest';
import {
  A2C_DEFAULTS,
  ALGORITHM_FIELDS,
  ALGORITHMS,
  algorithmsWithField,
  configFieldNames,
  configWarnings,
  derivedSizes,
  GRPO_DEFAULTS,
  parsePpoConfig,
  parseTrainConfig,
  PPO_DEFAULTS,
  REINFORCE_DEFAULTS,
  safeParseTrainConfig,
  TRPO_DEFAULTS,
} from '../../../src/core/training/config';
import { presetFor, PRESETS, resolvePreset, TUNED_PRESET } from '../../../src/core/training/presets';
import { fromSb3Keys, parsePythonLiteral } from '../../../src/core/training/sb3-keys';
import { scheduleValue } from '../../../src/core/training/schedules';

describe('parsePpoConfig', () => {
  it('fills SB3 defaults', () => {
    const c = parsePpoConfig({});
    // A config without klEstimator is read as one stored before the field existed (k3); new configs say 'exact'.
    expect(c).toEqual({ ...PPO_DEFAULTS, klEstimator: 'k3' });
    expect(c.nSteps).toBe(2048);
    expect(c.batchSize).toBe(64);
    expect(c.learningRate).toBe(3e-4);
    expect(c.maxGradNorm).toBe(0.5);
    expect(c.adamEps).toBe(1e-5);
    expect(c.clipRangeVf).toBeNull();
    expect(c.normalizeAdvantage).toBe('per-minibatch');
  });

  it('explains a batch size that does not divide the buffer', () => {
    expect(() => parsePpoConfig({ batchSize: 300, nSteps: 128, nEnvs: 2 })).toThrow('batchSize 300 does not divide nSteps × nEnvs = 256');
  });

  it('names unknown and mistyped fields', () => {
    expect(() => parsePpoConfig({ n_steps: 5 })).toThrow(/unknown field\(s\) n_steps/);
    expect(() => parsePpoConfig({ gamma: 1.5 })).toThrow(/gamma/);
    expect(() => parsePpoConfig({ objective: 'trpo' })).toThrow(/objective/);
    expect(() => parsePpoConfig({ adamEps: 0 })).toThrow(/adamEps/);
    expect(() => parsePpoConfig({ entCoefSchedule: 'exponential', entCoef: 0.1, entCoefEnd: 0 })).toThrow(/entCoefEnd/);
  });

  it('bounds values that cannot be meant, with readable messages', () => {
    expect(() => parsePpoConfig({ totalTimesteps: 1e15 })).toThrow('totalTimesteps: at most 1,000,000,000 steps per run');
    expect(() => parsePpoConfig({ nEnvs: 100_000 })).toThrow('nEnvs: at most 1,024 parallel environments');
    expect(() => parsePpoConfig({ nEnvs: 1024, nSteps: 20_000, batchSize: 1024 })).toThrow('nSteps × nEnvs = 20,480,000 transitions per rollout; at most 10,000,000');
    expect(() => parsePpoConfig({ piLayers: [64, 100_000] })).toThrow('piLayers.1: at most 4,096 units per layer');
    expect(() => parsePpoConfig({ vfLayers: new Array(17).fill(8) })).toThrow('vfLayers: at most 16 layers');
    expect(() => parsePpoConfig({ finalEvalEpisodes: 1e6 })).toThrow('finalEvalEpisodes: at most 10,000 episodes');
    // The bounds themselves are accepted.
    expect(parsePpoConfig({ totalTimesteps: 1e9, nEnvs: 1024, nSteps: 8192, batchSize: 1024, piLayers: new Array(16).fill(4096) }).nEnvs).toBe(1024);
  });

  it('warns about a budget smaller than one rollout', () => {
    expect(configWarnings(parsePpoConfig({ totalTimesteps: 1000 }))).toEqual([
      'totalTimesteps 1000 is less than one rollout (nSteps × nEnvs = 2048): the run does a single update on 2048 steps',
    ]);
    expect(configWarnings(parsePpoConfig({ totalTimesteps: 2048 }))).toEqual([]);
  });

  it('lists every field and derives sizes', () => {
    expect(configFieldNames).toContain('totalTimesteps');
    expect(configFieldNames).toContain('objective');
    // Every field of every algorithm, each once.
    expect(configFieldNames).toContain('cgDamping');
    expect(configFieldNames).toContain('episodesPerBatch');
    expect(new Set(configFieldNames).size).toBe(configFieldNames.length);
    expect(Object.keys(PPO_DEFAULTS).every((k) => (configFieldNames as readonly string[]).includes(k))).toBe(true);
    expect(derivedSizes(parsePpoConfig({ nSteps: 32, nEnvs: 8, batchSize: 64, totalTimesteps: 1000 }))).toEqual({ bufferSize: 256, nMinibatches: 4, nIterations: 4, checkpointEvery: 50, evalEvery: 256, evalSecondsLimit: 0.5 });
    // Checkpoints by default every 5% of the budget; an explicit frequency wins, 0 keeps only the final one.
    expect(derivedSizes(parsePpoConfig({ totalTimesteps: 1_000_000 })).checkpointEvery).toBe(50_000);
    expect(derivedSizes(parsePpoConfig({ checkpointFreq: 4096 })).checkpointEvery).toBe(4096);
    expect(derivedSizes(parsePpoConfig({ checkpointFreq: 0 })).checkpointEvery).toBe(0);
  });
});

describe('fromSb3Keys', () => {
  it('maps zoo keys, lin_ schedules and normalize', () => {
    const c = fromSb3Keys({ n_steps: 32, n_envs: 8, learning_rate: 'lin_0.001', clip_range: 'lin_0.2', ent_coef: 0.0, normalize: true, n_timesteps: 1e5, policy: 'MlpPolicy' });
    expect(c).toMatchObject({ nSteps: 32, nEnvs: 8, learningRate: 0.001, learningRateSchedule: 'linear', learningRateEnd: 0, clipRange: 0.2, clipRangeSchedule: 'linear', entCoef: 0, normalizeObs: true, normalizeReward: true, totalTimesteps: 100000 });
  });

  it('parses policy_kwargs strings and dicts', () => {
    expect(fromSb3Keys({ policy_kwargs: 'dict(log_std_init=-3.29, ortho_init=False)' })).toMatchObject({ logStdInit: -3.29, orthoInit: false });
    expect(fromSb3Keys({ policy_kwargs: 'dict(activation_fn=nn.ReLU, net_arch=dict(pi=[256, 256], vf=[128]))' })).toMatchObject({ activation: 'relu', piLayers: [256, 256], vfLayers: [128] });
    expect(fromSb3Keys({ policy_kwargs: { net_arch: [32, 32] } })).toMatchObject({ piLayers: [32, 32], vfLayers: [32, 32] });
    expect(fromSb3Keys({ policy_kwargs: 'dict(optimizer_kwargs=dict(eps=1e-8))' })).toEqual({ adamEps: 1e-8 });
    expect(() => fromSb3Keys({ policy_kwargs: 'dict(optimizer_kwargs=dict(betas=(0.9, 0.99)))' })).toThrow('optimizer_kwargs.betas');
    expect(parsePythonLiteral("{'norm_obs': True, 'gamma': 0.9}")).toEqual({ norm_obs: true, gamma: 0.9 });
    expect(fromSb3Keys({ normalize: "{'norm_obs': True, 'norm_reward': False}" })).toMatchObject({ normalizeObs: true, normalizeReward: false });
  });

  it('takes the whole buffer when batch_size exceeds it (as SB3 does)', () => {
    expect(fromSb3Keys({ n_steps: 8, n_envs: 1, batch_size: 256 }).batchSize).toBe(8);
  });

  it('rejects unknown keys by name', () => {
    expect(() => fromSb3Keys({ n_stepz: 3 })).toThrow('n_stepz');
    expect(() => fromSb3Keys({ policy_kwargs: 'dict(features_extractor_class=Foo)' })).toThrow('features_extractor_class');
  });
});

describe('presets', () => {
  it('resolve the five zoo entries to valid configs with the tuned values', () => {
    const cartpole = resolvePreset('zoo', 'CartPole-v1');
    expect(cartpole).toMatchObject({ nEnvs: 8, nSteps: 32, batchSize: 256, nEpochs: 20, gamma: 0.98, gaeLambda: 0.8, learningRate: 0.001, learningRateSchedule: 'linear', clipRangeSchedule: 'linear', totalTimesteps: 100000 });
    expect(resolvePreset('zoo', 'Acrobot-v1')).toMatchObject({ normalizeObs: true, normalizeReward: true, nEnvs: 16, nSteps: 256, batchSize: 64, nEpochs: 4, gaeLambda: 0.94, totalTimesteps: 1e6 });
    expect(resolvePreset('zoo', 'MountainCar-v0')).toMatchObject({ nEnvs: 16, nSteps: 16, gaeLambda: 0.98, totalTimesteps: 1e6 });
    expect(resolvePreset('zoo', 'MountainCarContinuous-v0')).toMatchObject({ useSde: true, sdeSampleFreq: -1, logStdInit: -3.29, orthoInit: false, batchSize: 8, vfCoef: 0.19, maxGradNorm: 5, gamma: 0.9999, totalTimesteps: 20000 });
    expect(resolvePreset('zoo', 'Pendulum-v1')).toMatchObject({ useSde: true, sdeSampleFreq: 4, nEnvs: 4, nSteps: 1024, gamma: 0.9, learningRate: 1e-3, learningRateSchedule: 'constant' });
  });

  it('has SB3 defaults, CleanRL and the seed-blog preset', () => {
    expect(resolvePreset('sb3-defaults', 'Pendulum-v1')).toEqual({ ...PPO_DEFAULTS, envId: 'Pendulum-v1' });
    expect(resolvePreset('cleanrl', 'CartPole-v1')).toMatchObject({ nEnvs: 4, nSteps: 128, batchSize: 128, nEpochs: 4, entCoef: 0.01, clipRangeVf: 0.2, learningRate: 2.5e-4, learningRateSchedule: 'linear' });
    expect(resolvePreset('cleanrl', 'Pendulum-v1')).toMatchObject({ nEnvs: 1, nSteps: 2048, normalizeObs: true, normalizeReward: true });
    expect(resolvePreset('seed-blog', 'CartPole-v1')).toMatchObject({ nEnvs: 1, rolloutMode: 'episodes', sharedLayers: [128, 128, 128], piLayers: [], vfLayers: [], activation: 'relu', learningRate: 1e-4, nEpochs: 20, entCoef: 0.1, vfCoef: 0.5, normalizeAdvantage: 'per-batch', evalDeterministic: true });
    expect(Object.keys(PRESETS).sort()).toEqual(['cleanrl', 'sb3-defaults', 'seed-blog', 'zoo']);
  });

  it('throws for a missing entry', () => {
    expect(() => resolvePreset('zoo', 'LunarLander-v3')).toThrow(/no entry for LunarLander-v3/);
  });
});

describe('scheduleValue', () => {
  it('is constant, linear to the end value, or geometric', () => {
    expect(scheduleValue('constant', 0.2, 0, 0.3)).toBe(0.2);
    expect(scheduleValue('linear', 0.2, 0, 1)).toBeCloseTo(0.2);
    expect(scheduleValue('linear', 0.2, 0, 0.25)).toBeCloseTo(0.05);
    expect(scheduleValue('exponential', 0.1, 0.001, 1)).toBeCloseTo(0.1);
    expect(scheduleValue('exponential', 0.1, 0.001, 0.5)).toBeCloseTo(0.01);
    expect(scheduleValue('exponential', 0.1, 0.001, 0)).toBeCloseTo(0.001);
  });
});

describe('the algorithm union', () => {
  it('reads a config without an algorithm as PPO (every run stored before the ancestors)', () => {
    const { algorithm: _algorithm, ...stored } = PPO_DEFAULTS;
    expect(parseTrainConfig(stored)).toEqual(PPO_DEFAULTS);
    expect(parseTrainConfig(stored).algorithm).toBe('ppo');
  });

  it('fills each algorithm with its reference defaults', () => {
    expect(parseTrainConfig({ algorithm: 'a2c' })).toEqual(A2C_DEFAULTS);
    expect(A2C_DEFAULTS).toMatchObject({ learningRate: 7e-4, nSteps: 5, gaeLambda: 1, vfCoef: 0.5, maxGradNorm: 0.5, useRmsProp: true, rmsPropAlpha: 0.99, rmsPropEps: 1e-5, normalizeAdvantage: 'off' });
    expect(parseTrainConfig({ algorithm: 'trpo' })).toEqual(TRPO_DEFAULTS);
    expect(TRPO_DEFAULTS).toMatchObject({ learningRate: 1e-3, nSteps: 2048, batchSize: 128, cgMaxSteps: 15, cgDamping: 0.1, lineSearchShrinkingFactor: 0.8, lineSearchMaxIter: 10, nCriticUpdates: 10, gaeLambda: 0.95, targetKl: 0.01, normalizeAdvantage: 'per-batch', subSamplingFactor: 1 });
    expect(parseTrainConfig({ algorithm: 'reinforce' })).toEqual(REINFORCE_DEFAULTS);
    expect(ALGORITHM_FIELDS.trpo).not.toContain('entCoef');
    expect(ALGORITHM_FIELDS.reinforce).not.toContain('nSteps');
  });

  it('names both algorithms when a field belongs to another, and says what to use instead', () => {
    expect(() => parseTrainConfig({ algorithm: 'a2c', cgDamping: 0.1 })).toThrow('cgDamping: belongs to TRPO; this config\'s algorithm is A2C');
    expect(() => parseTrainConfig({ algorithm: 'trpo', nEpochs: 10 })).toThrow(/nEpochs: belongs to PPO\/GRPO; this config's algorithm is TRPO \(TRPO takes one natural-gradient step per rollout; the critic's passes are nCriticUpdates\)/);
    expect(() => parseTrainConfig({ algorithm: 'reinforce', nSteps: 128 })).toThrow(/set episodesPerBatch/);
    expect(() => parseTrainConfig({ algorithm: 'ppo', useRmsProp: true })).toThrow('useRmsProp: belongs to A2C; this config\'s algorithm is PPO (PPO uses Adam (adamEps))');
    expect(() => parseTrainConfig({ algorithm: 'dqn' })).toThrow('algorithm: expected one of ppo, a2c, trpo, reinforce, grpo (got "dqn")');
    expect(() => parseTrainConfig({ algorithm: 'a2c', nStepz: 3 })).toThrow('unknown field(s) nStepz');
    expect(() => parseTrainConfig({ algorithm: 'trpo', lineSearchShrinkingFactor: 1 })).toThrow(/lineSearchShrinkingFactor/);
    expect(() => parseTrainConfig({ algorithm: 'trpo', targetKl: null })).toThrow(/targetKl/);
    expect(() => parseTrainConfig({ algorithm: 'a2c', nSteps: 1, nEnvs: 1, normalizeAdvantage: 'per-batch' })).toThrow('nSteps: advantage normalization needs nSteps × nEnvs > 1');
    const parsed = safeParseTrainConfig({ algorithm: 'a2c', gamma: 2, batchSize: 3 });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path.join('.'))).toEqual(['batchSize']);
  });

  it('lists which algorithms have a field', () => {
    expect(algorithmsWithField('nSteps')).toEqual(['ppo', 'a2c', 'trpo']);
    expect(algorithmsWithField('gamma')).toEqual(['ppo', 'a2c', 'trpo', 'reinforce', 'grpo']);
    expect(algorithmsWithField('vfLayers')).toEqual(['ppo', 'a2c', 'trpo', 'reinforce']);
    expect(algorithmsWithField('groupSize')).toEqual(['grpo']);
    expect(algorithmsWithField('cgDamping')).toEqual(['trpo']);
  });

  it('derives sizes per algorithm', () => {
    expect(derivedSizes(parseTrainConfig({ algorithm: 'a2c', nSteps: 5, nEnvs: 8, totalTimesteps: 400 }))).toMatchObject({ bufferSize: 40, nMinibatches: 1, nIterations: 10 });
    expect(derivedSizes(parseTrainConfig({ algorithm: 'trpo', nSteps: 512, nEnvs: 2, batchSize: 512, totalTimesteps: 1e5 }))).toMatchObject({ bufferSize: 1024, nMinibatches: 2, nIterations: 98 });
    expect(derivedSizes(parseTrainConfig({ algorithm: 'reinforce', totalTimesteps: 1000 }))).toMatchObject({ bufferSize: 0, checkpointEvery: 50 });
  });
});

describe('klEstimator: stored runs read as they ran, new runs use the exact KL', () => {
  it('reads a stored config without the field as k3, the estimate its run was trained with', () => {
    const { klEstimator: _added, ...stored } = resolvePreset('zoo', 'CartPole-v1', { objective: 'kl-adaptive' });
    expect(parseTrainConfig(stored)).toMatchObject({ objective: 'kl-adaptive', klEstimator: 'k3' });
    // Only a missing field: a stored value is kept either way.
    expect(parseTrainConfig({ ...stored, klEstimator: 'exact' })).toMatchObject({ klEstimator: 'exact' });
  });

  it('gives every new config (presets, sweeps, the CLI) the exact KL of the paper', () => {
    expect(PPO_DEFAULTS.klEstimator).toBe('exact');
    expect(resolvePreset('zoo', 'CartPole-v1', { objective: 'kl-fixed' }).klEstimator).toBe('exact');
    expect(resolvePreset('sb3-defaults', 'Pendulum-v1').klEstimator).toBe('exact');
    expect(resolvePreset('zoo', 'CartPole-v1', { klEstimator: 'k3' }).klEstimator).toBe('k3');
    expect(() => parseTrainConfig({ algorithm: 'grpo', klEstimator: 'exact' })).toThrow(/klEstimator: belongs to PPO; this config's algorithm is GRPO \(GRPO's KL to the reference policy is DeepSeekMath's k3 estimate\)/);
  });
});

describe('GRPO configs', () => {
  it('fill GRPO\'s defaults: DeepSeekMath\'s ε and β, the initial policy as reference, no value network', () => {
    expect(parseTrainConfig({ algorithm: 'grpo' })).toEqual(GRPO_DEFAULTS);
    expect(GRPO_DEFAULTS).toMatchObject({ groupSize: 8, groupsPerUpdate: 4, groupAdvantage: 'outcome', clipRange: 0.2, beta: 0.04, refSyncInterval: 0, gamma: 1, nEpochs: 4, nMinibatches: 4 });
    expect(ALGORITHM_FIELDS.grpo).not.toContain('vfLayers');
    expect(ALGORITHM_FIELDS.grpo).not.toContain('vfCoef');
    expect(derivedSizes(GRPO_DEFAULTS)).toMatchObject({ bufferSize: 0, nMinibatches: 4, nIterations: 0 });
  });

  it('refuse what GRPO does not have, saying what it uses instead', () => {
    expect(() => parseTrainConfig({ algorithm: 'grpo', vfCoef: 0.5 })).toThrow('vfCoef: belongs to PPO/A2C/REINFORCE; this config\'s algorithm is GRPO (GRPO has no value network: the group\'s mean return is its baseline)');
    expect(() => parseTrainConfig({ algorithm: 'grpo', batchSize: 64 })).toThrow(/batchSize: .*set nMinibatches/);
    expect(() => parseTrainConfig({ algorithm: 'grpo', nSteps: 128 })).toThrow(/set groupSize and groupsPerUpdate/);
    expect(() => parseTrainConfig({ algorithm: 'ppo', groupSize: 8 })).toThrow(/groupSize: belongs to GRPO; this config's algorithm is PPO/);
  });

  it('check groups, envs and reward scaling', () => {
    expect(() => parseTrainConfig({ algorithm: 'grpo', groupSize: 1 })).toThrow('groupSize: a group needs at least 2 episodes to compare');
    expect(() => parseTrainConfig({ algorithm: 'grpo', groupSize: 4, groupsPerUpdate: 2, nEnvs: 9 })).toThrow(/nEnvs: 9 environments for 8 episodes per update/);
    expect(() => parseTrainConfig({ algorithm: 'grpo', groupSize: 200, groupsPerUpdate: 200 })).toThrow(/groupsPerUpdate: groupSize × groupsPerUpdate = 40,000 episodes per update; at most 10,000/);
    expect(() => parseTrainConfig({ algorithm: 'grpo', normalizeReward: true })).toThrow(/normalizeReward: GRPO compares the returns of a group's episodes/);
    expect(parseTrainConfig({ algorithm: 'grpo', normalizeObs: true, groupAdvantage: 'reward-to-go', nEnvs: 32 })).toMatchObject({ normalizeObs: true, nEnvs: 32 });
    expect(() => parseTrainConfig({ algorithm: 'grpo', groupAdvantage: 'gae' })).toThrow(/groupAdvantage/);
  });

  it('resolve the tuned preset (reward-to-go) per environment', () => {
    expect(resolvePreset('tuned', 'CartPole-v1', {}, 'grpo')).toMatchObject({ algorithm: 'grpo', groupAdvantage: 'reward-to-go', totalTimesteps: 100_000 });
    expect(resolvePreset('tuned', 'Acrobot-v1', {}, 'grpo')).toMatchObject({ groupAdvantage: 'reward-to-go', totalTimesteps: 200_000 });
    expect(resolvePreset('zoo', 'CartPole-v1', {}, 'grpo')).toEqual(resolvePreset('tuned', 'CartPole-v1', {}, 'grpo'));
  });
});

describe('A2C and TRPO zoo entries', () => {
  it('map their algorithm-specific keys', () => {
    expect(fromSb3Keys({ use_rms_prop: 'True', rms_prop_eps: 1e-5, normalize_advantage: false }, 'a2c')).toEqual({ useRmsProp: true, rmsPropEps: 1e-5, normalizeAdvantage: 'off' });
    expect(fromSb3Keys({ normalize_advantage: true }, 'trpo')).toEqual({ normalizeAdvantage: 'per-batch' });
    expect(fromSb3Keys({ cg_max_steps: 25, cg_damping: 0.1, line_search_shrinking_factor: 0.8, line_search_max_iter: 10, n_critic_updates: 20, sub_sampling_factor: 1 }, 'trpo')).toEqual({
      cgMaxSteps: 25, cgDamping: 0.1, lineSearchShrinkingFactor: 0.8, lineSearchMaxIter: 10, nCriticUpdates: 20, subSamplingFactor: 1,
    });
    // TRPO keeps a batch larger than the rollout (the critic's minibatch is then the whole rollout, as SB3's get()).
    expect(fromSb3Keys({ n_steps: 8, n_envs: 1, batch_size: 256 }, 'trpo').batchSize).toBe(256);
  });

  it('resolve to valid configs with the tuned values', () => {
    expect(resolvePreset('zoo', 'CartPole-v1', {}, 'a2c')).toMatchObject({ algorithm: 'a2c', nEnvs: 8, totalTimesteps: 5e5, nSteps: 5, useRmsProp: true });
    expect(resolvePreset('zoo', 'Pendulum-v1', {}, 'a2c')).toMatchObject({
      normalizeObs: true, normalizeReward: true, nEnvs: 8, nSteps: 8, gaeLambda: 0.9, vfCoef: 0.4, gamma: 0.9, useRmsProp: true,
      normalizeAdvantage: 'off', learningRate: 7e-4, learningRateSchedule: 'linear', useSde: true, logStdInit: -2, orthoInit: false, totalTimesteps: 1e6,
    });
    expect(resolvePreset('zoo', 'MountainCarContinuous-v0', {}, 'a2c')).toMatchObject({ nEnvs: 4, nSteps: 100, useSde: true, sdeSampleFreq: 16, logStdInit: 0, orthoInit: false });
    expect(resolvePreset('zoo', 'CartPole-v1', {}, 'trpo')).toMatchObject({ algorithm: 'trpo', nEnvs: 2, nSteps: 512, batchSize: 512, cgDamping: 1e-3, gaeLambda: 0.98, nCriticUpdates: 20, totalTimesteps: 1e5 });
    expect(resolvePreset('zoo', 'Pendulum-v1', {}, 'trpo')).toMatchObject({ nEnvs: 2, nSteps: 1024, gamma: 0.9, nCriticUpdates: 15, useSde: true, sdeSampleFreq: 4 });
    expect(resolvePreset('zoo', 'MountainCar-v0', {}, 'trpo')).toMatchObject({ normalizeObs: true, nSteps: 1024, nCriticUpdates: 20 });
    for (const env of ['CartPole-v1', 'Acrobot-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Pendulum-v1']) {
      for (const algorithm of ALGORITHMS) expect(resolvePreset(TUNED_PRESET[algorithm], env, {}, algorithm).algorithm).toBe(algorithm);
    }
  });

  it('find each algorithm\'s version of a preset name, or say which it has', () => {
    expect(presetFor('reinforce', 'zoo')).toBe('tuned');
    expect(presetFor('ppo', 'defaults')).toBe('sb3-defaults');
    expect(presetFor('a2c', 'cleanrl')).toBeNull();
    expect(() => resolvePreset('cleanrl', 'CartPole-v1', {}, 'a2c')).toThrow('a2c has no preset "cleanrl" (it has: sb3-defaults, zoo)');
    expect(resolvePreset('sb3-defaults', 'CartPole-v1', {}, 'trpo')).toEqual({ ...TRPO_DEFAULTS, envId: 'CartPole-v1' });
    expect(() => resolvePreset('zoo', 'CartPole-v1', { algorithm: 'a2c' }, 'trpo')).toThrow(/differs from the preset's algorithm/);
  });
});
