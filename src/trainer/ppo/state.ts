/**
 * The training state (what SB3 keeps on its algorithm object and CleanRL in its script's globals): environments,
 * networks, optimizer, observation/reward normalization, rollout storage, the random stream and the counters.
 * `createTrainingState` makes it fresh from a config or, given a checkpoint, restores it exactly; `toCheckpoint` is
 * its inverse.
 */
import { makeVectorEnv, type VectorEnv } from '../../core/envs/vector-env';
import type { TrainConfig } from '../../core/training/config';
import { VecNormalize } from '../../core/training/vec-normalize';
import { modelSpecOf } from '../../core/training/network-layout';
import { buildLayout, initParams, type Layout, type ModelSpec } from '../nn/actor-critic';
import { createAdamState, type AdamState } from '../nn/adam';
import { createPrng, prngFromState, type Prng } from '../nn/prng';
import {
  adamFromBytes,
  adamToBytes,
  bytesToFloats,
  CHECKPOINT_FORMAT,
  floatBytes,
  modelToMeta,
  weightSpecs,
  type Checkpoint,
} from './checkpoint';
import { makeDistribution, type PolicyDistribution } from './distributions';
import { minibatchArrays, type MinibatchArrays } from './minibatch';
import { RolloutBuffer, type RolloutContext, type RolloutState } from './rollout';
import {
  createPreferenceReward,
  preferenceRewardToJson,
  restorePreferenceReward,
  type PreferenceReward,
  type PreferenceRewardJson,
} from '../rlhf/preference-reward';

/** Transitions a rollout buffer first holds per env in `episodes` mode (it grows as needed). */
const EPISODES_MODE_CAPACITY = 1024;

/** The state of a run of any algorithm; `C` narrows it to one algorithm's config. */
export interface TrainingState<C extends TrainConfig = TrainConfig> {
  readonly config: C;
  /** The training vector env and a separate single evaluation env. */
  readonly env: VectorEnv;
  readonly evalEnv: VectorEnv;
  readonly layout: Layout;
  readonly distribution: PolicyDistribution;
  /** All network parameters in one flat buffer, updated in place by the optimizer. */
  readonly params: Float32Array;
  /** ∂L/∂θ of the current minibatch, same layout as `params`. */
  readonly grad: Float32Array;
  adam: AdamState;
  normalize: VecNormalize | null;
  /** The training's random stream after init: action sampling, gSDE noise, minibatch shuffling. */
  prng: Prng;
  /**
   * The evaluations' own stream (sampled actions, gSDE noise of a stochastic evaluation): evaluating more or less
   * often never moves the training stream, so it never changes what a run learns.
   */
  evalPrng: Prng;
  /** The envs' current (normalized) observations and episode-start flags, carried across rollouts. */
  readonly rollout: RolloutState;
  readonly buffer: RolloutBuffer;
  /** Minibatch arrays reused by every update (PPO's minibatch in steps mode, TRPO's critic minibatch; empty otherwise). */
  readonly minibatch: MinibatchArrays;
  /** Environment steps so far, summed over envs. */
  stepsDone: number;
  /** Rollout/update iterations so far. */
  iteration: number;
  /** Epochs counted the way SB3 counts `_n_updates` (see METRIC_MEANINGS['train/n_updates']). */
  nUpdates: number;
  /** KL penalty coefficient for the next update (PPO's KL objectives; 0 for other algorithms). */
  beta: number;
  /**
   * GRPO's reference policy: a copy of the parameters (same layout) its KL penalty is measured against — the initial
   * policy, or the policy at the last refresh (refSyncInterval); null for the other algorithms.
   */
  referenceParams: Float32Array | null;
  /** PPO with `rewardSource: 'preferences'`: the reward model, its preference set and stream; null otherwise. */
  preferenceReward: PreferenceReward | null;
  /** The finished-episode window behind rollout/ep_return_mean (statsWindowSize). */
  readonly recentEpisodes: { returns: number[]; lengths: number[] };
}

/** The seed of the evaluations' stream: the run's seed moved to a range no training stream is seeded from in practice. */
function evalStreamSeed(seed: number): number {
  return (seed ^ 0x5bd1e995) >>> 0;
}

/** The network shape for an env's spaces and the config. */
export function modelSpecFor(config: TrainConfig, env: VectorEnv): ModelSpec {
  return modelSpecOf(config, env.obsDim, env.singleActionSpace);
}

/** A fresh training state for `config`, or the exact state a checkpoint of a run with this config was taken in. */
export function createTrainingState<C extends TrainConfig>(config: C, resume?: Checkpoint): TrainingState<C> {
  const env = makeVectorEnv(config.envId, config.nEnvs);
  const evalEnv = makeVectorEnv(config.envId, 1);
  const prng = createPrng(config.seed);
  const evalPrng = createPrng(evalStreamSeed(config.seed));
  const layout = buildLayout(modelSpecFor(config, env));
  // Orthogonal init, gains √2 (hidden) / 0.01 (policy head) / 1 (value head), zero biases (nn/actor-critic.ts).
  const params = initParams(layout, config.orthoInit, config.logStdInit, prng);
  const distribution = makeDistribution(layout, config.useSde, config.temperature);
  const normalize = config.normalizeObs || config.normalizeReward
    ? new VecNormalize({
        nEnvs: config.nEnvs, obsDim: env.obsDim, normObs: config.normalizeObs, normReward: config.normalizeReward,
        clipObs: config.normClipObs, clipReward: config.normClipReward, gamma: config.gamma,
      })
    : null;
  // Whole-episode batches (PPO's episodes mode, REINFORCE, GRPO) grow their buffer; fixed-length rollouts hold nSteps.
  const episodesMode = config.algorithm === 'reinforce' || config.algorithm === 'grpo' || (config.algorithm === 'ppo' && config.rolloutMode === 'episodes');
  const bufferSteps = config.algorithm === 'reinforce' || config.algorithm === 'grpo' || episodesMode ? EPISODES_MODE_CAPACITY : config.nSteps;
  // A2C and REINFORCE train on views of the whole buffer; PPO's and TRPO's critic minibatches are gathered rows.
  const minibatchRows = config.algorithm === 'ppo' && !episodesMode ? config.batchSize : config.algorithm === 'trpo' ? config.batchSize : 0;
  // Envs are seeded once (env i gets seed + i; the eval env its own stream); a resumed run restores their exact state.
  const firstObs = env.reset({ seed: config.seed });
  evalEnv.reset({ seed: config.seed + 1_000_003 });
  const state: TrainingState<C> = {
    config, env, evalEnv, layout, distribution, params,
    grad: new Float32Array(layout.size),
    adam: createAdamState(layout.size),
    normalize,
    prng,
    evalPrng,
    rollout: {
      observations: normalize && !resume ? normalize.normalizeObsBatch(firstObs, true) : Float32Array.from(firstObs),
      episodeStarts: new Float32Array(config.nEnvs).fill(1),
    },
    buffer: new RolloutBuffer(config.nEnvs, env.obsDim, distribution.actionDim, bufferSteps),
    minibatch: minibatchArrays(minibatchRows, env.obsDim, distribution.actionDim),
    stepsDone: 0,
    iteration: 0,
    nUpdates: 0,
    beta: config.algorithm === 'ppo' ? config.beta : 0,
    referenceParams: config.algorithm === 'grpo' ? Float32Array.from(params) : null,
    preferenceReward: config.algorithm === 'ppo' && config.rewardSource === 'preferences' ? createPreferenceReward(config, env.obsDim, layout.spec.action) : null,
    recentEpisodes: { returns: [], lengths: [] },
  };
  if (resume) restore(state, resume);
  return state;
}

function restore(state: TrainingState, checkpoint: Checkpoint): void {
  const meta = checkpoint.meta;
  if (meta.format !== CHECKPOINT_FORMAT) throw new Error(`resume: unknown checkpoint format ${String(meta.format)}`);
  const params = bytesToFloats(checkpoint.weights);
  if (params.length !== state.layout.size) throw new Error(`resume: checkpoint has ${params.length} parameters, this config needs ${state.layout.size}`);
  state.params.set(params);
  if (checkpoint.optimizer) state.adam = adamFromBytes(checkpoint.optimizer, meta.adamStep);
  if (meta.normalization) state.normalize = VecNormalize.fromJSON(meta.normalization);
  state.prng = prngFromState(meta.prngState as number[]);
  // A checkpoint written before evaluations had their own stream has none: they start a fresh one.
  if (meta.evalPrngState) state.evalPrng = prngFromState(meta.evalPrngState as number[]);
  state.env.restore(meta.envState);
  state.evalEnv.restore(meta.evalEnvState);
  state.rollout.observations = Float32Array.from(meta.rolloutObservations);
  state.rollout.episodeStarts = Float32Array.from(meta.rolloutEpisodeStarts);
  state.stepsDone = meta.stepsDone;
  state.iteration = meta.iteration;
  state.nUpdates = meta.nUpdates;
  state.beta = meta.beta;
  if (state.referenceParams) {
    const reference = meta.referenceParams;
    if (!Array.isArray(reference) || reference.length !== state.layout.size) {
      throw new Error(`resume: a GRPO checkpoint needs its reference policy's ${state.layout.size} parameters (meta.referenceParams)`);
    }
    state.referenceParams.set(reference);
  }
  if (state.preferenceReward && state.config.algorithm === 'ppo') {
    if (!meta.preferenceReward) throw new Error('resume: a checkpoint of a run on learned rewards needs its reward model and preferences (meta.preferenceReward)');
    restorePreferenceReward(state.preferenceReward, state.config, meta.preferenceReward as PreferenceRewardJson);
  }
  state.recentEpisodes.returns.push(...meta.recentReturns);
  state.recentEpisodes.lengths.push(...meta.recentLengths);
}

/** Everything `createTrainingState` needs to continue this run exactly, plus the backend it ran on. */
export function toCheckpoint(state: TrainingState, backend: string, calibration: Record<string, number> | undefined): Checkpoint {
  const { params, adam, normalize, layout } = state;
  return {
    step: state.stepsDone,
    weights: floatBytes(params),
    optimizer: adamToBytes(adam),
    meta: {
      format: CHECKPOINT_FORMAT,
      config: state.config,
      model: modelToMeta(layout.spec),
      weightSpecs: weightSpecs(layout),
      stepsDone: state.stepsDone,
      iteration: state.iteration,
      nUpdates: state.nUpdates,
      adamStep: adam.t,
      beta: state.beta,
      normalization: normalize ? normalize.toJSON() : null,
      prngState: state.prng.state().map((x) => (Number.isNaN(x) ? null : x)),
      evalPrngState: state.evalPrng.state().map((x) => (Number.isNaN(x) ? null : x)),
      backend,
      calibration: calibration ?? null,
      envState: state.env.snapshot(),
      evalEnvState: state.evalEnv.snapshot(),
      rolloutObservations: Array.from(state.rollout.observations),
      rolloutEpisodeStarts: Array.from(state.rollout.episodeStarts),
      recentReturns: [...state.recentEpisodes.returns],
      recentLengths: [...state.recentEpisodes.lengths],
      ...(state.referenceParams ? { referenceParams: Array.from(state.referenceParams) } : {}),
      ...(state.preferenceReward ? { preferenceReward: preferenceRewardToJson(state.preferenceReward) } : {}),
    },
  };
}

/**
 * The rollout's view of a created (or restored) state. Each finished episode enters the statistics window (the oldest leaves past
 * statsWindowSize), then goes to `onEpisode`.
 */
export function rolloutContext(state: TrainingState, onEpisode: (episode: { return: number; length: number }) => void): RolloutContext {
  const { returns, lengths } = state.recentEpisodes;
  return {
    env: state.env,
    layout: state.layout,
    params: state.params,
    distribution: state.distribution,
    normalize: state.normalize,
    prng: state.prng,
    gamma: state.config.gamma,
    // REINFORCE's and GRPO's returns are Monte-Carlo sums of the rewards received (no value function); the others
    // bootstrap a time-limit cut (SB3).
    bootstrapTruncated: state.config.algorithm !== 'reinforce' && state.config.algorithm !== 'grpo',
    sdeSampleFreq: state.config.sdeSampleFreq,
    onEpisode: (episode) => {
      returns.push(episode.return);
      lengths.push(episode.length);
      if (returns.length > state.config.statsWindowSize) {
        returns.shift();
        lengths.shift();
      }
      onEpisode(episode);
    },
  };
}
