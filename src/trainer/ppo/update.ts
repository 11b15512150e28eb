/**
 * The PPO update (SB3 `PPO.train`, CleanRL's "optimizing the policy and value network"): `nEpochs` passes over the
 * rollout in shuffled minibatches, one Adam step per minibatch on the PPO loss, target-KL early stopping, and after
 * the epochs the adaptive KL penalty's β rule (paper §4).
 */
import { normalizeAdvantages } from '../../core/math/returns';
import { mean } from '../../core/math/stats';
import { RatioRecorder, type DistributionMetrics } from '../../core/metrics/ratio-stats';
import { adamStep } from '../nn/adam';
import { usesExactKl, type LossCoefficients } from './losses';
import { batchKl, gather, gatherRows, minibatchArrays, minibatchGradient, oldStatsOf, permutation } from './minibatch';
import type { PpoConfig } from '../../core/training/config';
import type { TrainingState } from './state';

/** The scheduled coefficients of one update (core/training/schedules.ts `scheduledValues`). */
export interface UpdateSchedule {
  learningRate: number;
  clipRange: number;
  entCoef: number;
}

/** What one update did, with SB3/CleanRL's meanings (METRIC_MEANINGS). */
export interface UpdateStats {
  /** Means over the minibatches whose step was applied (NaN when none was). */
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  clipFraction: number;
  ratioMean: number;
  gradNorm: number;
  /** Largest ratio over the applied minibatches (0 when none was). */
  ratioMax: number;
  /** Total loss of the last applied minibatch (NaN when none was). */
  loss: number;
  /** k3 and k1 KL estimates, mean over the last epoch's minibatches (the one that stopped included). */
  approxKl: number;
  approxKlK1: number;
  /** Epochs run to the end (fewer than nEpochs after an early stop). */
  epochsDone: number;
  /** β this update's loss used. */
  beta: number;
  /** KL over the whole rollout after the update (kl-adaptive only; NaN otherwise). */
  klAfter: number;
  /** The ratios' per-epoch statistics (every epoch begun) and the last epoch's histogram (core/metrics/ratio-stats.ts). */
  distributions: DistributionMetrics;
}

/** The paper's β rule (§4): halve below klTarget / 1.5, double above 1.5 · klTarget. */
export function adaptBeta(beta: number, kl: number, klTarget: number): number {
  if (kl < klTarget / 1.5) return beta / 2;
  if (kl > klTarget * 1.5) return beta * 2;
  return beta;
}

/** Runs the update on the rollout in `state.buffer` (advantages computed), changing params, Adam, β and nUpdates. */
export function update(state: TrainingState<PpoConfig>, schedule: UpdateSchedule): UpdateStats {
  const { config, buffer, layout, distribution, params, grad } = state;
  const size = buffer.size;
  const episodesMode = config.rolloutMode === 'episodes';
  const batchSize = episodesMode ? size : config.batchSize;
  const mb = episodesMode ? minibatchArrays(size, buffer.obsDim, buffer.actionDim) : state.minibatch;
  const coefs: LossCoefficients = {
    objective: config.objective, clipRange: schedule.clipRange, clipRangeVf: config.clipRangeVf,
    entCoef: schedule.entCoef, vfCoef: config.vfCoef, beta: state.beta, klEstimator: config.klEstimator,
  };
  // The exact KL penalty needs π_old's whole distribution per row: recorded before the first step changes θ.
  const statsDim = distribution.oldStatsDim;
  const old = usesExactKl(coefs) ? oldStatsOf(layout, distribution, params, buffer) : null;
  const mbOld = old ? new Float64Array(batchSize * statsDim) : null;
  const sums = { policyLoss: 0, valueLoss: 0, entropy: 0, clipFraction: 0, ratioMean: 0, gradNorm: 0 };
  let ratioMax = 0;
  let minibatches = 0;
  let lastLoss = NaN;
  let epochKl: number[] = [];
  let epochKlK1: number[] = [];
  let epochsDone = 0;
  // The ratios of each epoch's minibatches, the stopped one included (as approx_kl), for the Learn view's statistics.
  const ratios = new RatioRecorder(size, schedule.clipRange);

  // ---- Epochs of shuffled minibatches ----
  for (let epoch = 0; epoch < config.nEpochs; epoch++) {
    epochKl = [];
    epochKlK1 = [];
    let stop = false;
    const order = permutation(size, state.prng);
    for (let start = 0; start + batchSize <= size; start += batchSize) {
      const rows = order.subarray(start, start + batchSize);
      gather(buffer, rows, mb);
      if (old && mbOld) gatherRows(old, statsDim, rows, mbOld);
      // Advantage normalization at the minibatch level (SB3/CleanRL default; the 37 details #7).
      if (config.normalizeAdvantage === 'per-minibatch') normalizeAdvantages(mb.advantages.subarray(0, batchSize), mb.advantages);
      const loss = minibatchGradient(layout, distribution, params, mb, batchSize, coefs, grad, mbOld);
      epochKl.push(loss.approxKl);
      epochKlK1.push(loss.approxKlK1);
      ratios.add(loss.ratio, batchSize);
      // Target-KL early stopping, SB3: checked before the step; the offending minibatch is not applied.
      if (config.targetKl !== null && loss.approxKl > 1.5 * config.targetKl) {
        stop = true;
        break;
      }
      sums.policyLoss += loss.policyLoss;
      sums.valueLoss += loss.valueLoss;
      sums.entropy += loss.entropy;
      sums.clipFraction += loss.clipFraction;
      sums.ratioMean += loss.ratioMean;
      ratioMax = Math.max(ratioMax, loss.ratioMax);
      lastLoss = loss.loss;
      // Global gradient-norm clipping and the Adam step, fused over the flat buffer.
      sums.gradNorm += adamStep(params, grad, state.adam, schedule.learningRate, config.maxGradNorm, config.adamEps);
      minibatches += 1;
    }
    ratios.endEpoch();
    // SB3 counts the epoch in n_updates before it acts on the early stop, so a stopped epoch counts too.
    state.nUpdates += 1;
    if (stop) break;
    epochsDone += 1;
  }

  // ---- Adaptive KL penalty (paper §4): the KL over the whole rollout (exact or k3, as the penalty's) sets β next ----
  const beta = state.beta;
  let klAfter = NaN;
  if (config.objective === 'kl-adaptive') {
    klAfter = batchKl(layout, distribution, params, buffer, old);
    state.beta = adaptBeta(beta, klAfter, config.klTarget);
  }

  const perMinibatch = (sum: number): number => (minibatches > 0 ? sum / minibatches : NaN);
  return {
    policyLoss: perMinibatch(sums.policyLoss),
    valueLoss: perMinibatch(sums.valueLoss),
    entropy: perMinibatch(sums.entropy),
    clipFraction: perMinibatch(sums.clipFraction),
    ratioMean: perMinibatch(sums.ratioMean),
    gradNorm: perMinibatch(sums.gradNorm),
    ratioMax,
    loss: lastLoss,
    approxKl: mean(epochKl),
    approxKlK1: mean(epochKlK1),
    epochsDone,
    beta,
    klAfter,
    distributions: ratios.metrics(),
  };
}
