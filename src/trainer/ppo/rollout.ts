/**
 * Rollout storage and collection (SB3 `RolloutBuffer` + `collect_rollouts`), kept apart from the loss.
 * Storage is flat typed arrays indexed `[step][env]` (PureJaxRL layout); inference is the pure-JS forward
 * (nn/inference.ts, on the weights read once per collection: the params do not change while it runs).
 */
import type { VectorEnvLike, VectorStepResult } from '../../core/envs/vector-env';
import type { VecNormalize } from '../../core/training/vec-normalize';
import type { Layout } from '../nn/actor-critic';
import { loadInference, type Inference } from '../nn/inference';
import type { Prng } from '../nn/prng';
import { stepActions } from './actions';
import type { PolicyDistribution, SampleOut } from './distributions';

/** A growable `[step][env]` rollout buffer. */
export class RolloutBuffer {
  nSteps = 0;
  capacity: number;
  observations: Float32Array;
  actions: Float32Array;
  logProbs: Float32Array;
  values: Float32Array;
  rewards: Float32Array;
  /** The environment's own reward of each step, before normalization and the truncation bootstrap. */
  envRewards: Float32Array;
  /** γ·V(final observation) added to `rewards` where the time limit ended an episode (0 elsewhere). */
  bootstraps: Float32Array;
  /** 1 where the time limit (not the MDP) ended the episode at this step. */
  timeLimitCuts: Float32Array;
  episodeStarts: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  /** V(s_T) of the observation after the last step, per env. */
  lastValues: Float32Array;
  /** 1 where the last step ended an episode, per env. */
  lastEpisodeStarts: Float32Array;

  constructor(
    readonly nEnvs: number,
    readonly obsDim: number,
    readonly actionDim: number,
    capacity: number,
  ) {
    this.capacity = capacity;
    const n = capacity * nEnvs;
    this.observations = new Float32Array(n * obsDim);
    this.actions = new Float32Array(n * actionDim);
    this.logProbs = new Float32Array(n);
    this.values = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.envRewards = new Float32Array(n);
    this.bootstraps = new Float32Array(n);
    this.timeLimitCuts = new Float32Array(n);
    this.episodeStarts = new Float32Array(n);
    this.advantages = new Float32Array(n);
    this.returns = new Float32Array(n);
    this.lastValues = new Float32Array(nEnvs);
    this.lastEpisodeStarts = new Float32Array(nEnvs);
  }

  /** Number of stored transitions (steps × envs). */
  get size(): number {
    return this.nSteps * this.nEnvs;
  }

  reset(): void {
    this.nSteps = 0;
  }

  /** Doubles the capacity, keeping the contents (episodes mode). */
  grow(): void {
    const grown = (a: Float32Array, per: number): Float32Array => {
      const b = new Float32Array(this.capacity * 2 * this.nEnvs * per);
      b.set(a);
      return b;
    };
    this.observations = grown(this.observations, this.obsDim);
    this.actions = grown(this.actions, this.actionDim);
    this.logProbs = grown(this.logProbs, 1);
    this.values = grown(this.values, 1);
    this.rewards = grown(this.rewards, 1);
    this.envRewards = grown(this.envRewards, 1);
    this.bootstraps = grown(this.bootstraps, 1);
    this.timeLimitCuts = grown(this.timeLimitCuts, 1);
    this.episodeStarts = grown(this.episodeStarts, 1);
    this.advantages = grown(this.advantages, 1);
    this.returns = grown(this.returns, 1);
    this.capacity *= 2;
  }
}

/** Mutable state the rollout carries across iterations. */
export interface RolloutState {
  /** Current (normalized) observations [nEnvs, obsDim]. */
  observations: Float32Array;
  /** 1 where the current observation starts an episode. */
  episodeStarts: Float32Array;
}

export interface RolloutContext {
  env: VectorEnvLike;
  layout: Layout;
  params: Float32Array;
  distribution: PolicyDistribution;
  normalize: VecNormalize | null;
  prng: Prng;
  gamma: number;
  /** Add γ·V(final observation) to the reward of a step the time limit (not the MDP) ended, as SB3 does. */
  bootstrapTruncated: boolean;
  /** gSDE noise resampling period in steps (-1 = once per rollout). */
  sdeSampleFreq: number;
  onEpisode: (episode: { return: number; length: number }) => void;
}

/**
 * Host arrays one step of the policy writes, allocated once per rollout, and the policy's weights as the rollout's
 * first step reads them: a scratch serves one collection, during which the params stay as they are.
 */
export interface StepScratch {
  sample: SampleOut;
  envActions: Float32Array;
  inference: Inference | null;
}

export function stepScratch(nEnvs: number, actionDim: number): StepScratch {
  return {
    sample: { actions: new Float32Array(nEnvs * actionDim), logProbs: new Float32Array(nEnvs) },
    envActions: new Float32Array(nEnvs * actionDim),
    inference: null,
  };
}

/**
 * One step of every env with the current policy (the body of SB3's `collect_rollouts` loop), stored at row `step`
 * of `buffer` (grown when full): gSDE noise resampled every `sdeSampleFreq` steps, forward, sample, env step with
 * Box actions clipped, finished episodes reported, VecNormalize, truncation bootstrap; then the carried observations
 * and episode starts move on. Returns the env's step result (valid until its next step).
 */
export function rolloutStep(ctx: RolloutContext, state: RolloutState, buffer: RolloutBuffer, step: number, scratch: StepScratch): VectorStepResult {
  const { env, layout, params, distribution, prng } = ctx;
  const nEnvs = env.numEnvs;
  const obsDim = env.obsDim;
  const actionDim = distribution.actionDim;
  const { sample, envActions } = scratch;
  if (step >= buffer.capacity) buffer.grow();
  if (ctx.sdeSampleFreq > 0 && step > 0 && step % ctx.sdeSampleFreq === 0) distribution.resetNoise(params, prng, nEnvs);

  // Policy: one forward over the N envs, sample, and (Box) clip to the bounds for stepping only.
  const inference = (scratch.inference ??= loadInference(layout, params));
  const forward = inference.forward(state.observations, nEnvs);
  distribution.sample(params, forward, nEnvs, false, prng, sample);
  const result = env.step(stepActions(layout.spec.action, sample.actions, envActions));
  for (const episode of result.finishedEpisodes) ctx.onEpisode({ return: episode.return, length: episode.length });

  // Normalization (VecNormalize): new observations update the statistics; rewards are scaled.
  const rewards = Float64Array.from(result.rewards);
  let nextObs = result.observations;
  let finalObs = result.finalObservations;
  if (ctx.normalize) {
    nextObs = ctx.normalize.normalizeObsBatch(result.observations, true);
    finalObs = ctx.normalize.normalizeObsBatch(result.finalObservations, false);
    ctx.normalize.normalizeRewardBatch(rewards, result.terminated, result.truncated);
  }

  // Truncation bootstrap (SB3): r += γ·V(final observation) when the time limit, not the MDP, ended the episode.
  const base = step * nEnvs;
  for (let e = 0; e < nEnvs; e++) {
    buffer.envRewards[base + e] = result.rewards[e];
    buffer.bootstraps[base + e] = 0;
    buffer.timeLimitCuts[base + e] = result.truncated[e] && !result.terminated[e] ? 1 : 0;
    if (ctx.bootstrapTruncated && buffer.timeLimitCuts[base + e]) {
      const finalValue = inference.value(finalObs.subarray(e * obsDim, (e + 1) * obsDim));
      buffer.bootstraps[base + e] = ctx.gamma * finalValue;
      rewards[e] += buffer.bootstraps[base + e];
    }
  }

  // Store the transition at [step][env].
  buffer.observations.set(state.observations, base * obsDim);
  buffer.actions.set(sample.actions, base * actionDim);
  for (let e = 0; e < nEnvs; e++) {
    buffer.logProbs[base + e] = sample.logProbs[e];
    buffer.values[base + e] = forward.values[e];
    buffer.rewards[base + e] = rewards[e];
    buffer.episodeStarts[base + e] = state.episodeStarts[e];
    state.episodeStarts[e] = result.terminated[e] || result.truncated[e] ? 1 : 0;
  }
  state.observations.set(nextObs);
  buffer.nSteps = step + 1;
  return result;
}

/**
 * Collects transitions into `buffer`: `nSteps` per env (mode 'steps'), or until every env has finished at least
 * one episode since the rollout began (mode 'episodes'). Returns the number of env steps taken.
 */
export function collectRollout(
  ctx: RolloutContext,
  state: RolloutState,
  buffer: RolloutBuffer,
  mode: { kind: 'steps'; nSteps: number } | { kind: 'episodes'; maxSteps: number },
): number {
  const { env, layout, params, distribution, prng } = ctx;
  const nEnvs = env.numEnvs;
  const scratch = stepScratch(nEnvs, distribution.actionDim);
  const finished = new Uint8Array(nEnvs);
  let finishedCount = 0;
  buffer.reset();
  distribution.resetNoise(params, prng, nEnvs);

  for (let step = 0; ; step++) {
    if (mode.kind === 'steps' && step >= mode.nSteps) break;
    if (mode.kind === 'episodes' && (finishedCount === nEnvs || step >= mode.maxSteps)) break;
    const result = rolloutStep(ctx, state, buffer, step, scratch);
    for (const episode of result.finishedEpisodes) {
      if (!finished[episode.env]) {
        finished[episode.env] = 1;
        finishedCount++;
      }
    }
  }

  // Bootstrap value of the observation after the last step.
  scratch.inference ??= loadInference(layout, params);
  buffer.lastValues.set(scratch.inference.forward(state.observations, nEnvs).values);
  buffer.lastEpisodeStarts.set(state.episodeStarts);
  return buffer.nSteps * nEnvs;
}
