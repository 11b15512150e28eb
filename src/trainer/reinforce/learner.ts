/**
 * REINFORCE (Williams 1992), the Monte-Carlo policy gradient, optionally with a learned state-value baseline
 * (Sutton & Barto 2018, §13.3 and §13.4 "REINFORCE with Baseline"; Spinning Up's VPG for the batched form), one
 * iteration at a time: a batch of whole episodes (collect.ts) → schedules → Monte-Carlo returns G (reward-to-go or
 * whole-episode, core/math/returns.ts `monteCarloReturns`) → optional standardization of G over the batch →
 * weights A = G − V(s) (baseline) or G → one Adam step on
 *   loss = −mean_t(A_t·log π(a_t|s_t)) − entCoef·mean_t H + vfCoef·mean_t (G_t − V(s_t))²   (the value term only
 *   with the baseline)
 * over every step of the batch (the A2C loss with Monte-Carlo weights: a2c/loss.ts) → metrics.
 */
import { explainedVariance, monteCarloReturns, normalizeAdvantages } from '../../core/math/returns';
import { mean } from '../../core/math/stats';
import { METRIC } from '../../core/metrics/keys';
import type { ReinforceConfig } from '../../core/training/config';
import { scheduledEntCoef, scheduledLearningRate } from '../../core/training/schedules';
import { a2cLoss, type A2cLossOutput } from '../a2c/loss';
import type { Learner } from '../learner';
import { adamStep } from '../nn/adam';
import { commonMetrics, type IterationTiming } from '../ppo/metrics';
import { gather, minibatchArrays, networkGradient } from '../ppo/minibatch';
import type { TrainingState } from '../ppo/state';
import { collectEpisodes, type EpisodeBatch } from './collect';

/** Longest batch per env in steps, a guard against episodes that never end (every registered env has a time limit). */
const MAX_BATCH_STEPS = 100_000;
/** Cap on the rows the backend is proven and timed on. */
const GRADIENT_ROWS_CAP = 1024;

/** What one update did (the loss figures of the batch before the step, and the weights' statistics). */
export interface ReinforceUpdateStats extends A2cLossOutput {
  gradNorm: number;
  /** Mean of G over the batch before standardization. */
  returnMean: number;
  /** Population variance of the policy-gradient weights A_t. */
  returnVariance: number;
  /** mean((V(s_t) − G_t)²) with the rollout's values (baseline only; NaN without). */
  baselineError: number;
  explainedVariance: number;
}

export function reinforceLearner(state: TrainingState<ReinforceConfig>): Learner {
  const { config, buffer } = state;
  let batch: EpisodeBatch = { episodes: [], envSteps: 0, discardedSteps: 0 };
  return {
    // Rows of a batch when its episodes run to the time limit (late training), capped: a representative size.
    gradientRows: Math.min(config.episodesPerBatch * state.env.maxEpisodeSteps, GRADIENT_ROWS_CAP),
    // ---- Rollout: episodesPerBatch whole episodes with the current policy ----
    collect: (rollout) => {
      batch = collectEpisodes(rollout, state.rollout, buffer, config.episodesPerBatch, MAX_BATCH_STEPS);
      return batch.envSteps;
    },
    update: () => {
      if (batch.episodes.length === 0) throw new Error(`reinforce: no episode finished within ${MAX_BATCH_STEPS} steps per env`);
      // ---- Schedules: progress_remaining after the batch, before training (SB3's convention) ----
      const learningRate = scheduledLearningRate(config, state.stepsDone);
      const entCoef = scheduledEntCoef(config, state.stepsDone);
      const stats = reinforceUpdate(state, batch, learningRate, entCoef);
      // ---- Metrics ----
      return { metrics: (timing) => reinforceMetrics(state, batch, stats, learningRate, entCoef, timing) };
    },
  };
}

/** Returns, weights and one Adam step on the batch in `state.buffer`; changes params, Adam and nUpdates. */
export function reinforceUpdate(state: TrainingState<ReinforceConfig>, batch: EpisodeBatch, learningRate: number, entCoef: number): ReinforceUpdateStats {
  const { config, buffer, layout, distribution, params, grad } = state;

  // ---- Monte-Carlo returns over the whole buffer, then the rows of the batch's episodes ----
  monteCarloReturns({ nSteps: buffer.nSteps, nEnvs: buffer.nEnvs }, buffer.rewards, buffer.episodeStarts, config.gamma, config.rewardToGo, buffer.returns);
  const rows: number[] = [];
  for (const { env, start, length } of batch.episodes) for (let t = start; t < start + length; t++) rows.push(t * buffer.nEnvs + env);
  const size = rows.length;
  const mb = minibatchArrays(size, buffer.obsDim, buffer.actionDim);
  gather(buffer, rows, mb);
  const { returns, valuesOld: values, advantages: weights } = mb;
  const returnMean = mean(returns);

  // ---- Standardized returns, (G − mean)/(std + 1e-8) over the batch, before the baseline ----
  if (config.normalizeReturns) normalizeAdvantages(returns, returns);

  // ---- Weights: A_t = G_t − V(s_t) with the baseline (V from the rollout, the same parameters), else G_t ----
  for (let i = 0; i < size; i++) weights[i] = config.useBaseline ? returns[i] - values[i] : returns[i];
  const weightMean = mean(weights);
  let returnVariance = 0;
  for (let i = 0; i < size; i++) returnVariance += (weights[i] - weightMean) ** 2;
  returnVariance /= size;
  let baselineError = NaN;
  if (config.useBaseline) {
    baselineError = 0;
    for (let i = 0; i < size; i++) baselineError += (values[i] - returns[i]) ** 2;
    baselineError /= size;
  }

  // ---- Loss and gradient over every step of the batch; the value term (fitting V to G) only with the baseline ----
  const coefs = { entCoef, vfCoef: config.useBaseline ? config.vfCoef : 0 };
  const targets = { advantages: weights, returns };
  const loss = networkGradient(layout, distribution, params, mb.observations, mb.actions, size, (outputs) => a2cLoss(outputs, targets, coefs), grad);

  // ---- One Adam step (clip_grad_norm_ to maxGradNorm first, when set) ----
  const gradNorm = adamStep(params, grad, state.adam, learningRate, config.maxGradNorm, config.adamEps);
  state.nUpdates += 1;
  return {
    ...loss,
    gradNorm,
    returnMean,
    returnVariance,
    baselineError,
    explainedVariance: config.useBaseline ? explainedVariance(values, returns) : NaN,
  };
}

/**
 * The metric record after a REINFORCE update. Without a baseline there is no value loss, baseline error or
 * explained variance, and those keys are left out (a NaN loss would read as divergence, DIVERGENCE_METRICS).
 */
export function reinforceMetrics(
  state: TrainingState<ReinforceConfig>,
  batch: EpisodeBatch,
  stats: ReinforceUpdateStats,
  learningRate: number,
  entCoef: number,
  timing: IterationTiming,
): Record<string, number> {
  const metrics: Record<string, number> = {
    ...commonMetrics(state, learningRate, timing),
    [METRIC.policyLoss]: stats.policyLoss,
    [METRIC.entropy]: stats.entropy,
    [METRIC.entropyLoss]: -stats.entropy,
    [METRIC.loss]: stats.loss,
    [METRIC.returnMean]: stats.returnMean,
    [METRIC.returnVariance]: stats.returnVariance,
    [METRIC.gradNorm]: stats.gradNorm,
    [METRIC.entCoef]: entCoef,
    [METRIC.episodesPerUpdate]: batch.episodes.length,
    [METRIC.discardedSteps]: batch.discardedSteps,
  };
  if (state.config.useBaseline) {
    metrics[METRIC.valueLoss] = stats.valueLoss;
    metrics[METRIC.baselineError] = stats.baselineError;
    metrics[METRIC.explainedVariance] = stats.explainedVariance;
  }
  return metrics;
}
