/**
 * PPO's losses, minimized (objectives are negated). Each policy objective is written once, as a plain function of
 * one sample's ratio r = π(a|s)/π_old(a|s) = exp(log π − log π_old), its advantage A and the coefficients. Beside it
 * may sit a fast hand-derived ∂loss/∂log π; test/trainer/autodiff.test.ts checks every one against tfjs automatic
 * differentiation. An objective without one is differentiated numerically (`dLogProbOf`). `ppoLoss` averages the
 * objective, the value loss and the entropy bonus over a minibatch and returns their gradients w.r.t. log π, the
 * entropy and V: the host side of the update (the networks' backward pass in tfjs takes it from there). The value
 * loss and the entropy bonus (`valueLoss`, `entropyBonus`) are shared with A2C's and REINFORCE's loss (a2c/loss.ts).
 */
import { clippedObjective, clippedObjectiveGrad } from '../../core/math/clipped-objective';
import type { PpoConfig } from '../../core/training/config';

/** Coefficients for one update, read from the schedules. */
export interface LossCoefficients {
  objective: PpoConfig['objective'];
  clipRange: number;
  clipRangeVf: number | null;
  entCoef: number;
  vfCoef: number;
  beta: number;
  /**
   * The KL of the penalty objectives: `exact` — KL[π_old‖π] of the whole distributions (`LossInput.klExact`);
   * `k3` (when absent too) — the per-sample estimate (r − 1) − log r.
   */
  klEstimator?: PpoConfig['klEstimator'];
}

/** Per-sample inputs of one minibatch of size B. */
export interface LossInput {
  batch: number;
  logProb: Float64Array;
  logProbOld: ArrayLike<number>;
  advantages: ArrayLike<number>;
  entropy: Float64Array;
  values: ArrayLike<number>;
  valuesOld: ArrayLike<number>;
  returns: ArrayLike<number>;
  /** Exact KL[π_old(·|s) ‖ π(·|s)] per row (distribution `klFromOld`); needed by a penalty objective with `exact`. */
  klExact?: Float64Array;
}

/** Minibatch statistics (SB3/CleanRL meanings) and the gradients of the total loss. */
export interface LossOutput {
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  /** k3: mean((r − 1) − log r). */
  approxKl: number;
  /** k1: mean(−log r). */
  approxKlK1: number;
  clipFraction: number;
  ratioMean: number;
  ratioMax: number;
  loss: number;
  /** Each sample's ratio r = π/π_old [B] (the Learn view's statistics, core/metrics/ratio-stats.ts). */
  ratio: Float64Array;
  dLogProb: Float64Array;
  dEntropy: Float64Array;
  dValues: Float32Array;
  /** ∂L/∂klExact per row with the exact penalty (β/B); null otherwise. */
  dKl: Float64Array | null;
  /** Mean exact KL[π_old‖π] over the minibatch with the exact penalty; NaN otherwise. */
  klExact: number;
}

/** −r·A: the unclipped surrogate (the paper's "no clipping or penalty", eq. 6 negated). */
export function surrogate(ratio: number, advantage: number): number {
  return -ratio * advantage;
}

/**
 * −min(r·A, clip(r, 1−ε, 1+ε)·A): the negated clipped surrogate L^CLIP (paper eq. 7) for one sample. L^CLIP itself
 * is written once, in core (`clippedObjective`), where the Learn view draws it too; the trainer minimizes its negation.
 */
export function clippedSurrogate(ratio: number, advantage: number, clipRange: number): number {
  return -clippedObjective(ratio, advantage, clipRange);
}

/** ∂/∂r of `clippedSurrogate`: −A where the unclipped term is the minimum, 0 (never −0) where clipping is active. */
export function clippedSurrogateGrad(ratio: number, advantage: number, clipRange: number): number {
  return 0 - clippedObjectiveGrad(ratio, advantage, clipRange);
}

/** KL(π_old‖π) estimate for one sample (k3, Schulman 2020): (r − 1) − log r ≥ 0. */
export function klK3(ratio: number, logRatio = Math.log(ratio)): number {
  return ratio - 1 - logRatio;
}

/** A policy objective as a per-sample loss, optionally with its fast gradient. */
export interface PolicyObjective {
  /** The sample's loss; `logRatio` = log r when the caller has it (it saves a log and keeps k3 exact). */
  loss(ratio: number, advantage: number, coefs: LossCoefficients, logRatio?: number): number;
  /** Hand-derived ∂loss/∂log π (= r·∂loss/∂r), for speed; optional. */
  dLogProb?(ratio: number, advantage: number, coefs: LossCoefficients): number;
}

/** `base` + β·KL (paper §4): ∂/∂log π of β·(r − 1 − log r) is β·(r − 1). */
export function withKlPenalty(base: PolicyObjective): PolicyObjective {
  const baseGrad = base.dLogProb;
  return {
    loss: (r, a, c, logRatio = Math.log(r)) => base.loss(r, a, c, logRatio) + c.beta * klK3(r, logRatio),
    dLogProb: baseGrad && ((r, a, c) => baseGrad(r, a, c) + c.beta * (r - 1)),
  };
}

const unclipped: PolicyObjective = {
  loss: (r, a) => surrogate(r, a),
  dLogProb: (r, a) => -a * r,
};

const clip: PolicyObjective = {
  loss: (r, a, c) => clippedSurrogate(r, a, c.clipRange),
  dLogProb: (r, a, c) => clippedSurrogateGrad(r, a, c.clipRange) * r,
};

/** The objectives by config name (PpoConfig.objective), the KL terms as the per-sample k3 estimate. */
export const OBJECTIVES: Readonly<Record<PpoConfig['objective'], PolicyObjective>> = Object.freeze({
  clip,
  none: unclipped,
  'kl-fixed': withKlPenalty(unclipped),
  'kl-adaptive': withKlPenalty(unclipped),
  'clip+kl': withKlPenalty(clip),
});

/** The objectives whose loss has a β·KL term. */
export const KL_OBJECTIVES: ReadonlySet<PpoConfig['objective']> = new Set(['kl-adaptive', 'kl-fixed', 'clip+kl']);

/**
 * The per-sample part of each objective when its KL term is the exact KL of the distributions (added by `ppoLoss`
 * per row, not per sample): the surrogate alone.
 */
const SURROGATES: Readonly<Record<PpoConfig['objective'], PolicyObjective>> = Object.freeze({
  clip,
  none: unclipped,
  'kl-fixed': unclipped,
  'kl-adaptive': unclipped,
  'clip+kl': clip,
});

/** Whether the loss of `coefs` takes its KL term from the exact KL of the distributions. */
export function usesExactKl(coefs: Pick<LossCoefficients, 'objective' | 'klEstimator'>): boolean {
  return KL_OBJECTIVES.has(coefs.objective) && coefs.klEstimator === 'exact';
}

/** Step in log r of the numerical derivative: central differences there are accurate to ~1e-9 away from kinks. */
const LOG_RATIO_STEP = 1e-6;

/** ∂loss/∂log π of one sample: the objective's own gradient, or a central difference in log r without one. */
export function dLogProbOf(objective: PolicyObjective, logRatio: number, ratio: number, advantage: number, coefs: LossCoefficients): number {
  if (objective.dLogProb) return objective.dLogProb(ratio, advantage, coefs);
  const at = (x: number): number => objective.loss(Math.exp(x), advantage, coefs, x);
  return (at(logRatio + LOG_RATIO_STEP) - at(logRatio - LOG_RATIO_STEP)) / (2 * LOG_RATIO_STEP);
}

/**
 * Value prediction used by the loss: V, or with `clipRangeVf` (SB3) V_old + clip(V − V_old, ±clipRangeVf).
 * Returns [prediction, ∂prediction/∂V].
 */
export function clippedValue(value: number, valueOld: number, clipRangeVf: number | null): [number, number] {
  if (clipRangeVf === null) return [value, 1];
  const delta = value - valueOld;
  if (delta > clipRangeVf) return [valueOld + clipRangeVf, 0];
  if (delta < -clipRangeVf) return [valueOld - clipRangeVf, 0];
  return [value, 1];
}

/**
 * The value loss mean((R − V̂)²) of a batch (SB3 `F.mse_loss(returns, values)`: no ½ factor), with V̂ = V or, given
 * `clipRangeVf`, V clipped around `valuesOld` (`clippedValue`). Writes ∂(vfCoef·loss)/∂V into `dValues` [B];
 * returns the loss. Every algorithm with a critic in its loss (PPO, A2C, REINFORCE's baseline) uses this one.
 */
export function valueLoss(
  values: ArrayLike<number>,
  returns: ArrayLike<number>,
  batch: number,
  vfCoef: number,
  dValues: Float32Array,
  valuesOld: ArrayLike<number> | null = null,
  clipRangeVf: number | null = null,
): number {
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    // (R − V̂)², ∂/∂V = 2(V̂ − R)·∂V̂/∂V.
    const [prediction, dPrediction] = valuesOld ? clippedValue(values[b], valuesOld[b], clipRangeVf) : [values[b], 1];
    const error = prediction - returns[b];
    loss += error * error;
    dValues[b] = (vfCoef * 2 * error * dPrediction) / batch;
  }
  return loss / batch;
}

/**
 * The entropy bonus: the loss holds entCoef·entropy_loss = −entCoef·mean(H) (SB3 `entropy_loss = -th.mean(entropy)`).
 * Writes ∂(−entCoef·mean H)/∂H into `dEntropy` [B]; returns mean H.
 */
export function entropyBonus(entropy: ArrayLike<number>, batch: number, entCoef: number, dEntropy: Float64Array): number {
  let sum = 0;
  for (let b = 0; b < batch; b++) {
    sum += entropy[b];
    dEntropy[b] = -entCoef / batch;
  }
  return sum / batch;
}

/**
 * Total loss = policyLoss + entCoef·(−mean H) + vfCoef·mean((R − V̂)²) (SB3: MSE without the ½ factor), where
 * policyLoss is the mean of the objective's per-sample loss (`objective` defaults to the configured one):
 *   clip: −min(rA, clip(r)A) · none: −rA · kl-fixed / kl-adaptive: −rA + β·KL · clip+kl: −min(rA, clip(r)A) + β·KL,
 * KL being the sample's k3 estimate, or with `klEstimator: 'exact'` the row's exact KL[π_old‖π] (`input.klExact`),
 * whose gradient goes back through the distribution (`dKl`, the distribution's `klFromOldBackward`).
 */
export function ppoLoss(input: LossInput, coefs: LossCoefficients, objective?: PolicyObjective): LossOutput {
  const { batch } = input;
  const exact = usesExactKl(coefs);
  objective ??= exact ? SURROGATES[coefs.objective] : OBJECTIVES[coefs.objective];
  const dLogProb = new Float64Array(batch);
  const dEntropy = new Float64Array(batch);
  const dValues = new Float32Array(batch);
  const ratios = new Float64Array(batch);
  let policyLoss = 0;
  let approxKl = 0;
  let approxKlK1 = 0;
  let clipped = 0;
  let ratioSum = 0;
  let ratioMax = 0;
  for (let b = 0; b < batch; b++) {
    const logRatio = input.logProb[b] - input.logProbOld[b];
    const ratio = Math.exp(logRatio);
    ratios[b] = ratio;
    const advantage = input.advantages[b];

    // Policy objective and ∂/∂log π.
    policyLoss += objective.loss(ratio, advantage, coefs, logRatio);
    dLogProb[b] = dLogProbOf(objective, logRatio, ratio, advantage, coefs) / batch;

    approxKl += klK3(ratio, logRatio);
    approxKlK1 += -logRatio;
    if (Math.abs(ratio - 1) > coefs.clipRange) clipped += 1;
    ratioSum += ratio;
    ratioMax = Math.max(ratioMax, ratio);
  }
  policyLoss /= batch;
  // The exact penalty β·mean KL[π_old‖π], with ∂/∂KL_b = β/B.
  let klExact = NaN;
  let dKl: Float64Array | null = null;
  if (exact) {
    if (!input.klExact) throw new Error('ppoLoss: the exact KL penalty needs each row\'s KL (input.klExact)');
    dKl = new Float64Array(batch);
    klExact = 0;
    for (let b = 0; b < batch; b++) {
      klExact += input.klExact[b];
      dKl[b] = coefs.beta / batch;
    }
    klExact /= batch;
    policyLoss += coefs.beta * klExact;
  }
  // Value loss (optionally clipped around the rollout's values) and the entropy bonus.
  const value = valueLoss(input.values, input.returns, batch, coefs.vfCoef, dValues, input.valuesOld, coefs.clipRangeVf);
  const entropy = entropyBonus(input.entropy, batch, coefs.entCoef, dEntropy);
  return {
    policyLoss,
    valueLoss: value,
    entropy,
    approxKl: approxKl / batch,
    approxKlK1: approxKlK1 / batch,
    clipFraction: clipped / batch,
    ratioMean: ratioSum / batch,
    ratioMax,
    loss: policyLoss - coefs.entCoef * entropy + coefs.vfCoef * value,
    ratio: ratios,
    dLogProb,
    dEntropy,
    dValues,
    dKl,
    klExact,
  };
}
