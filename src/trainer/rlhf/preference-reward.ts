/**
 * PPO on a reward learned from preferences (Christiano et al. 2017, §2.2, RLHF in miniature), one rollout at a
 * time, between the rollout and the advantages:
 *
 * 1. Labels: while the budget lasts, `preferenceLabelsPerUpdate` pairs of segments are cut from the rollout (a random
 *    env and start; a segment stops where its episode ends) and rated by the synthetic rater on their true returns
 *    (Σ of the env's rewards; core/math/preferences `rateSegments`); they join the preference set.
 * 2. Reward model: `preferenceEpochs` passes of shuffled minibatches of 64 pairs, one Adam step each, on the mean
 *    Bradley–Terry loss.
 * 3. Held-out check: 64 fresh pairs from the rollout, never trained on and not counted as labels, compared with the
 *    true returns: the accuracy of the model's preference and the correlation of learned and true segment returns.
 * 4. Rewards: the rollout's rewards become r̂(s, a) divided by the running std of all r̂ so far (not centred: with
 *    episodes that end, the level of r̂ is what rewards living longer), plus the truncation bootstrap γ·V(final)
 *    the rollout added. The episode returns logged stay the environment's (they come from the env wrapper).
 *
 * Its own random stream (segment draws, the rater, minibatch order) leaves PPO's stream untouched.
 */
import { rateSegments } from '../../core/math/preferences';
import type { PpoConfig } from '../../core/training/config';
import type { ActionSpec } from '../nn/actor-critic';
import { createPrng, prngFromState, type Prng } from '../nn/prng';
import { PreferenceSet } from './preference-set';
import { createRewardModel, predictRewards, rewardModelStep, type RewardModel } from './reward-model';
import type { RolloutBuffer } from '../ppo/rollout';
import { adamFromBytes, adamToBytes, bytesToFloats, floatBytes } from '../ppo/checkpoint';

/** Pairs per reward-model minibatch. */
export const PREFERENCE_MINIBATCH_PAIRS = 64;
/** Fresh pairs per update for the held-out check. */
export const HELD_OUT_PAIRS = 64;
/** Tries to draw a segment that no time limit cuts (a cut is not the policy's doing, so it must not be rated). */
const SEGMENT_TRIES = 16;

export interface PreferenceReward {
  readonly model: RewardModel;
  set: PreferenceSet;
  prng: Prng;
  /** Labels asked of the rater so far. */
  labelsUsed: number;
  /** Running count, mean and sum of squared deviations (Welford) of every r̂ written to a rollout. */
  rewardStats: { count: number; mean: number; m2: number };
  readonly grad: Float32Array;
  readonly inputDim: number;
  readonly action: ActionSpec;
}

/** What one update of the learned reward reports. */
export interface PreferenceStats {
  labelsUsed: number;
  /** Mean Bradley–Terry loss over the last epoch's minibatches (NaN before the first label). */
  loss: number;
  /** Held-out accuracy over pairs with unequal true returns (NaN when every pair tied). */
  heldOutAccuracy: number;
  /** Pearson correlation of learned and true segment returns over the held-out segments (NaN without spread). */
  returnCorrelation: number;
  /** Running std of r̂ the rewards were divided by. */
  rewardScale: number;
}

function actionWidth(action: ActionSpec): number {
  return action.kind === 'discrete' ? action.n : action.dim;
}

export function createPreferenceReward(config: PpoConfig, obsDim: number, action: ActionSpec): PreferenceReward {
  const prng = createPrng((config.seed ^ 0x27d4eb2f) >>> 0);
  const inputDim = obsDim + actionWidth(action);
  const model = createRewardModel(inputDim, config.preferenceRewardLayers, prng);
  return {
    model, prng, inputDim, action,
    set: new PreferenceSet(inputDim, config.preferenceSegmentLength),
    labelsUsed: 0,
    rewardStats: { count: 0, mean: 0, m2: 0 },
    grad: new Float32Array(model.params.length),
  };
}

/** Writes the reward-model input row of transition `i` of `buffer` (observation, then one-hot or raw action) at `out[at…]`. */
function writeRow(pr: PreferenceReward, buffer: RolloutBuffer, i: number, out: Float32Array, at: number): void {
  const { obsDim, actionDim } = buffer;
  out.set(buffer.observations.subarray(i * obsDim, (i + 1) * obsDim), at);
  const a = at + obsDim;
  if (pr.action.kind === 'discrete') {
    out.fill(0, a, a + pr.action.n);
    out[a + buffer.actions[i * actionDim]] = 1;
  } else {
    out.set(buffer.actions.subarray(i * actionDim, (i + 1) * actionDim), a);
  }
}

interface Segment {
  rows: Float32Array;
  trueReturn: number;
}

/** Whether the episode of env `e` ends at step `k` of the rollout. */
function endsAt(buffer: RolloutBuffer, k: number, e: number): boolean {
  return k + 1 < buffer.nSteps ? buffer.episodeStarts[(k + 1) * buffer.nEnvs + e] === 1 : buffer.lastEpisodeStarts[e] === 1;
}

/** A segment of up to `length` steps of one env from a random start, stopping where its episode ends. */
function drawSegment(pr: PreferenceReward, buffer: RolloutBuffer, length: number): Segment {
  let steps: number[] = [];
  for (let attempt = 0; attempt < SEGMENT_TRIES; attempt++) {
    const e = pr.prng.integer(buffer.nEnvs);
    const start = pr.prng.integer(buffer.nSteps - length + 1);
    steps = [];
    let cut = false;
    for (let k = start; k < start + length; k++) {
      const i = k * buffer.nEnvs + e;
      steps.push(i);
      if (buffer.timeLimitCuts[i]) cut = true;
      if (endsAt(buffer, k, e)) break;
    }
    if (!cut) break;
  }
  const rows = new Float32Array(steps.length * pr.inputDim);
  let trueReturn = 0;
  steps.forEach((i, r) => {
    writeRow(pr, buffer, i, rows, r * pr.inputDim);
    trueReturn += buffer.envRewards[i];
  });
  return { rows, trueReturn };
}

function segmentSum(model: RewardModel, rows: Float32Array): number {
  const r = predictRewards(model, rows, rows.length / model.inputDim);
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i];
  return s;
}

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Steps 1–4 above on a collected rollout: new labels, reward-model training, held-out check, learned rewards. */
export function relabelRollout(pr: PreferenceReward, config: PpoConfig, buffer: RolloutBuffer): PreferenceStats {
  const length = config.preferenceSegmentLength;
  const rater = { temperature: config.preferenceRaterTemperature, errorRate: config.preferenceErrorRate };

  // ---- Labels: pairs of segments from this rollout, rated on their true returns ----
  const newLabels = Math.min(config.preferenceLabelsPerUpdate, config.preferenceLabelBudget - pr.labelsUsed);
  for (let k = 0; k < newLabels; k++) {
    const a = drawSegment(pr, buffer, length);
    const b = drawSegment(pr, buffer, length);
    pr.set.add(a.rows, b.rows, rateSegments(a.trueReturn, b.trueReturn, rater, pr.prng));
    pr.labelsUsed++;
  }

  // ---- Reward model: epochs of shuffled minibatches of the whole preference set ----
  let loss = NaN;
  const n = pr.set.size;
  if (n > 0) {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let epoch = 0; epoch < config.preferenceEpochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = pr.prng.integer(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      let sum = 0;
      let batches = 0;
      for (let from = 0; from < n; from += PREFERENCE_MINIBATCH_PAIRS) {
        sum += rewardModelStep(pr.model, pr.set.batch(order.subarray(from, Math.min(n, from + PREFERENCE_MINIBATCH_PAIRS))), config.preferenceLearningRate, pr.grad);
        batches++;
      }
      loss = sum / batches;
    }
  }

  // ---- Held-out check: fresh pairs, compared with the true returns ----
  let correct = 0;
  let decided = 0;
  const learned: number[] = [];
  const truth: number[] = [];
  for (let k = 0; k < HELD_OUT_PAIRS; k++) {
    const a = drawSegment(pr, buffer, length);
    const b = drawSegment(pr, buffer, length);
    const sa = segmentSum(pr.model, a.rows);
    const sb = segmentSum(pr.model, b.rows);
    learned.push(sa, sb);
    truth.push(a.trueReturn, b.trueReturn);
    if (a.trueReturn !== b.trueReturn) {
      decided++;
      if (sa - sb !== 0 && (sa > sb) === (a.trueReturn > b.trueReturn)) correct++;
    }
  }

  // ---- Rewards: r̂(s, a) / running std, plus the truncation bootstrap ----
  const rows = buffer.size;
  const inputs = new Float32Array(rows * pr.inputDim);
  for (let i = 0; i < rows; i++) writeRow(pr, buffer, i, inputs, i * pr.inputDim);
  const rHat = predictRewards(pr.model, inputs, rows);
  const stats = pr.rewardStats;
  for (let i = 0; i < rows; i++) {
    stats.count++;
    const delta = rHat[i] - stats.mean;
    stats.mean += delta / stats.count;
    stats.m2 += delta * (rHat[i] - stats.mean);
  }
  const scale = Math.sqrt(stats.m2 / stats.count) + 1e-8;
  for (let i = 0; i < rows; i++) buffer.rewards[i] = rHat[i] / scale + buffer.bootstraps[i];

  return {
    labelsUsed: pr.labelsUsed,
    loss,
    heldOutAccuracy: decided > 0 ? correct / decided : NaN,
    returnCorrelation: pearson(learned, truth),
    rewardScale: scale,
  };
}

/** The checkpoint form: model parameters and Adam state, preference set, stream, counters. */
export interface PreferenceRewardJson {
  params: string;
  adam: string;
  adamStep: number;
  set: ReturnType<PreferenceSet['toJSON']>;
  prngState: (number | null)[];
  labelsUsed: number;
  rewardStats: { count: number; mean: number; m2: number };
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

export function preferenceRewardToJson(pr: PreferenceReward): PreferenceRewardJson {
  return {
    params: toBase64(floatBytes(pr.model.params)),
    adam: toBase64(adamToBytes(pr.model.adam)),
    adamStep: pr.model.adam.t,
    set: pr.set.toJSON(),
    prngState: pr.prng.state().map((x) => (Number.isNaN(x) ? null : x)),
    labelsUsed: pr.labelsUsed,
    rewardStats: { ...pr.rewardStats },
  };
}

/** Restores `pr` (created from the same config) to the state of `json` exactly. */
export function restorePreferenceReward(pr: PreferenceReward, config: PpoConfig, json: PreferenceRewardJson): void {
  const params = bytesToFloats(fromBase64(json.params));
  if (params.length !== pr.model.params.length) throw new Error(`resume: the reward model has ${params.length} parameters, this config needs ${pr.model.params.length}`);
  pr.model.params.set(params);
  pr.model.adam = adamFromBytes(fromBase64(json.adam), json.adamStep);
  pr.set = PreferenceSet.fromJSON(pr.inputDim, config.preferenceSegmentLength, json.set);
  pr.prng = prngFromState(json.prngState as number[]);
  pr.labelsUsed = json.labelsUsed;
  pr.rewardStats = { ...json.rewardStats };
}
