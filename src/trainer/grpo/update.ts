/**
 * GRPO's update on a collected batch of groups (collect.ts): group advantages (core/math/group-advantages.ts) →
 * the reference policy's log-probabilities of the batch's actions → `nEpochs` passes of `nMinibatches` shuffled
 * minibatches, one Adam step each on the clipped ratio + β·KL(π‖π_ref) loss (loss.ts) → the reference refresh.
 */
import { groupAdvantages, type GroupStats } from '../../core/math/group-advantages';
import { mean } from '../../core/math/stats';
import { RatioRecorder, type DistributionMetrics } from '../../core/metrics/ratio-stats';
import type { GrpoConfig } from '../../core/training/config';
import { adamStep } from '../nn/adam';
import { forwardJs } from '../nn/actor-critic';
import { gather, minibatchArrays, networkGradient, permutation } from '../ppo/minibatch';
import type { RolloutBuffer } from '../ppo/rollout';
import type { TrainingState } from '../ppo/state';
import type { GroupBatch } from './collect';
import { grpoLoss, referenceKl, type GrpoCoefficients } from './loss';

/** What one update did (means over the applied minibatches unless said otherwise). */
export interface GrpoUpdateStats {
  policyLoss: number;
  entropy: number;
  clipFraction: number;
  ratioMean: number;
  ratioMax: number;
  gradNorm: number;
  /** Total loss of the last minibatch. */
  loss: number;
  /** k3 KL(π_old‖π), mean over the last epoch's minibatches (PPO's approx_kl). */
  approxKl: number;
  /** k3 KL(π_old‖π_ref) over the batch's steps, with the policy that collected them (before the update). */
  referenceKl: number;
  /** Mean over the batch's episodes of their returns from the start Rᵢ (the groups are the same size). */
  groupReturnMean: number;
  /** Mean over the groups of the sample std of their returns. */
  groupReturnStd: number;
  /** Fraction of groups whose episodes all scored the same (zero advantages: no signal). */
  zeroSpreadFraction: number;
  /** Steps trained on. */
  steps: number;
  /** Whether the reference policy was replaced by the updated one after this update. */
  referenceSynced: boolean;
  /** The ratios' per-epoch statistics and the last epoch's histogram (core/metrics/ratio-stats.ts). */
  distributions: DistributionMetrics;
}

/**
 * Writes each trained step's group advantage into `buffer.advantages` and returns the buffer rows of the batch's
 * steps (group by group, member by member, step by step) with each group's return statistics.
 */
export function batchAdvantages(buffer: RolloutBuffer, batch: GroupBatch, gamma: number, mode: GrpoConfig['groupAdvantage']): { rows: Int32Array; stats: GroupStats[] } {
  const nEnvs = buffer.nEnvs;
  const rows: number[] = [];
  const stats: GroupStats[] = [];
  for (const group of batch.groups) {
    const rewards = group.map(({ env, start, length }) => Float64Array.from({ length }, (_, t) => buffer.rewards[(start + t) * nEnvs + env]));
    const result = groupAdvantages(rewards, gamma, mode);
    stats.push(result.stats);
    group.forEach(({ env, start, length }, i) => {
      for (let t = 0; t < length; t++) {
        const row = (start + t) * nEnvs + env;
        buffer.advantages[row] = result.advantages[i][t];
        rows.push(row);
      }
    });
  }
  return { rows: Int32Array.from(rows), stats };
}

/** log π_ref(a|s) of the stored actions at `rows` of the buffer, with the reference parameters. */
export function referenceLogProbs(state: TrainingState<GrpoConfig>, rows: Int32Array): Float64Array {
  const { buffer, layout, distribution } = state;
  const reference = state.referenceParams as Float32Array;
  const mb = minibatchArrays(rows.length, buffer.obsDim, buffer.actionDim);
  gather(buffer, rows, mb);
  const forward = forwardJs(layout, reference, mb.observations, rows.length);
  const logProb = new Float64Array(rows.length);
  distribution.evaluate(reference, { head: forward.head, latentPi: forward.latentPi, batch: rows.length }, mb.actions, logProb, new Float64Array(rows.length));
  return logProb;
}

/**
 * Runs the update on a collected batch (changing params, Adam, nUpdates and, on a refresh, the reference policy).
 * The refresh follows the update's number from 1 (`state.iteration`): after updates refSyncInterval, 2·refSyncInterval, …
 */
export function grpoUpdate(state: TrainingState<GrpoConfig>, batch: GroupBatch, learningRate: number, entCoef: number): GrpoUpdateStats {
  const { config, buffer, layout, distribution, params, grad } = state;

  // ---- Group advantages: each group's returns normalized within the group (outcome or per time step) ----
  const { rows, stats } = batchAdvantages(buffer, batch, config.gamma, config.groupAdvantage);
  const size = rows.length;

  // ---- The reference policy's log-probabilities of the batch's actions (fixed during the update) ----
  const logProbRef = referenceLogProbs(state, rows);
  let referenceKlBefore = 0;
  for (let k = 0; k < size; k++) referenceKlBefore += referenceKl(buffer.logProbs[rows[k]], logProbRef[k]);
  referenceKlBefore /= size;

  // ---- Epochs of shuffled minibatches: nMinibatches nearly equal parts of the batch's steps ----
  const coefs: GrpoCoefficients = { clipRange: config.clipRange, beta: config.beta, entCoef };
  const largest = Math.ceil(size / config.nMinibatches);
  const mb = minibatchArrays(largest, buffer.obsDim, buffer.actionDim);
  const mbRows = new Int32Array(largest);
  const mbRef = new Float64Array(largest);
  const sums = { policyLoss: 0, entropy: 0, clipFraction: 0, ratioMean: 0, gradNorm: 0 };
  let ratioMax = 0;
  let minibatches = 0;
  let lastLoss = NaN;
  let epochKl: number[] = [];
  const ratios = new RatioRecorder(size, config.clipRange);
  for (let epoch = 0; epoch < config.nEpochs; epoch++) {
    epochKl = [];
    const order = permutation(size, state.prng);
    for (let m = 0; m < config.nMinibatches; m++) {
      const from = Math.floor((m * size) / config.nMinibatches);
      const to = Math.floor(((m + 1) * size) / config.nMinibatches);
      const count = to - from;
      if (count === 0) continue;
      for (let k = 0; k < count; k++) {
        mbRows[k] = rows[order[from + k]];
        mbRef[k] = logProbRef[order[from + k]];
      }
      gather(buffer, mbRows.subarray(0, count), mb);
      const targets = { logProbOld: mb.logProbOld, logProbRef: mbRef, advantages: mb.advantages };
      const loss = networkGradient(layout, distribution, params, mb.observations, mb.actions, count, (outputs) => grpoLoss(outputs, targets, coefs), grad);
      epochKl.push(loss.approxKl);
      ratios.add(loss.ratio, count);
      sums.policyLoss += loss.policyLoss;
      sums.entropy += loss.entropy;
      sums.clipFraction += loss.clipFraction;
      sums.ratioMean += loss.ratioMean;
      ratioMax = Math.max(ratioMax, loss.ratioMax);
      lastLoss = loss.loss;
      // Global gradient-norm clipping and the Adam step, fused over the flat buffer.
      sums.gradNorm += adamStep(params, grad, state.adam, learningRate, config.maxGradNorm, config.adamEps);
      minibatches += 1;
    }
    ratios.endEpoch();
    // Epochs counted as SB3 counts n_updates (PPO's convention).
    state.nUpdates += 1;
  }

  // ---- Reference refresh: every refSyncInterval updates the reference becomes the updated policy ----
  const referenceSynced = config.refSyncInterval > 0 && state.iteration % config.refSyncInterval === 0;
  if (referenceSynced) (state.referenceParams as Float32Array).set(params);

  return {
    policyLoss: sums.policyLoss / minibatches,
    entropy: sums.entropy / minibatches,
    clipFraction: sums.clipFraction / minibatches,
    ratioMean: sums.ratioMean / minibatches,
    ratioMax,
    gradNorm: sums.gradNorm / minibatches,
    loss: lastLoss,
    approxKl: mean(epochKl),
    referenceKl: referenceKlBefore,
    groupReturnMean: mean(stats.map((s) => s.mean)),
    groupReturnStd: mean(stats.map((s) => s.std)),
    zeroSpreadFraction: stats.filter((s) => s.zeroSpread).length / stats.length,
    steps: size,
    referenceSynced,
    distributions: ratios.metrics(),
  };
}
