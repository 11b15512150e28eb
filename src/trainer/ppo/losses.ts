/**
 * PPO losses on one minibatch, per sample, with their gradients w.r.t. log π, the entropy and V — the host side of
 * the update (the network's backward pass in tfjs takes it from there). Minimized, so objectives are negated.
 * r = π(a|s)/π_old(a|s) = exp(log π − log π_old).
 */
import type { PpoConfig } from '../../core/ppo/config';

/** Coefficients for one update, read from the schedules. */
export interface LossCoefficients {
  objective: PpoConfig['objective'];
  clipRange: number;
  clipRangeVf: number | null;
  entCoef: number;
  vfCoef: number;
  beta: number;
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
  dLogProb: Float64Array;
  dEntropy: Float64Array;
  dValues: Float32Array;
}

/** −min(r·A, clip(r, 1−ε, 1+ε)·A): the negated clipped surrogate L^CLIP (paper eq. 7) for one sample. */
export function clippedSurrogate(ratio: number, advantage: number, clipRange: number): number {
  const clipped = Math.min(Math.max(ratio, 1 - clipRange), 1 + clipRange);
  return -Math.min(ratio * advantage, clipped * advantage);
}

/** ∂/∂r of `clippedSurrogate`: −A where the unclipped term is the minimum, 0 where clipping is active. */
export function clippedSurrogateGrad(ratio: number, advantage: number, clipRange: number): number {
  const clipped = Math.min(Math.max(ratio, 1 - clipRange), 1 + clipRange);
  return ratio * advantage <= clipped * advantage ? -advantage : 0;
}

/** KL(π_old‖π) estimate for one sample (k3, Schulman 2020): (r − 1) − log r ≥ 0. */
export function klK3(ratio: number, logRatio: number): number {
  return ratio - 1 - logRatio;
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
 * Total loss = policyLoss + entCoef·(−mean H) + vfCoef·mean((R − V̂)²) (SB3: MSE without the ½ factor), where
 * policyLoss = mean over samples of
 *   clip: −min(rA, clip(r)A) · none: −rA · kl-fixed / kl-adaptive: −rA + β·KL · clip+kl: −min(rA, clip(r)A) + β·KL.
 */
export function ppoLoss(input: LossInput, coefs: LossCoefficients): LossOutput {
  const { batch } = input;
  const dLogProb = new Float64Array(batch);
  const dEntropy = new Float64Array(batch);
  const dValues = new Float32Array(batch);
  const clipObjective = coefs.objective === 'clip' || coefs.objective === 'clip+kl';
  const klPenalty = coefs.objective === 'kl-fixed' || coefs.objective === 'kl-adaptive' || coefs.objective === 'clip+kl';
  let policyLoss = 0;
  let valueLoss = 0;
  let entropy = 0;
  let approxKl = 0;
  let approxKlK1 = 0;
  let clipped = 0;
  let ratioSum = 0;
  let ratioMax = 0;
  for (let b = 0; b < batch; b++) {
    const logRatio = input.logProb[b] - input.logProbOld[b];
    const ratio = Math.exp(logRatio);
    const advantage = input.advantages[b];
    const kl = klK3(ratio, logRatio);

    // Policy surrogate and ∂/∂log π = ∂/∂r · r.
    let surrogate: number;
    let dRatio: number;
    if (clipObjective) {
      surrogate = clippedSurrogate(ratio, advantage, coefs.clipRange);
      dRatio = clippedSurrogateGrad(ratio, advantage, coefs.clipRange);
    } else {
      surrogate = -ratio * advantage;
      dRatio = -advantage;
    }
    let dLp = dRatio * ratio;
    if (klPenalty) {
      surrogate += coefs.beta * kl;
      dLp += coefs.beta * (ratio - 1); // ∂/∂log π of (r − 1 − log r)
    }
    policyLoss += surrogate;
    dLogProb[b] = dLp / batch;

    // Value loss (R − V̂)², ∂/∂V = 2(V̂ − R)·∂V̂/∂V.
    const [prediction, dPrediction] = clippedValue(input.values[b], input.valuesOld[b], coefs.clipRangeVf);
    const error = prediction - input.returns[b];
    valueLoss += error * error;
    dValues[b] = (coefs.vfCoef * 2 * error * dPrediction) / batch;

    // Entropy bonus: the loss has −entCoef·mean(H).
    entropy += input.entropy[b];
    dEntropy[b] = -coefs.entCoef / batch;

    approxKl += kl;
    approxKlK1 += -logRatio;
    if (Math.abs(ratio - 1) > coefs.clipRange) clipped += 1;
    ratioSum += ratio;
    ratioMax = Math.max(ratioMax, ratio);
  }
  policyLoss /= batch;
  valueLoss /= batch;
  entropy /= batch;
  return {
    policyLoss,
    valueLoss,
    entropy,
    approxKl: approxKl / batch,
    approxKlK1: approxKlK1 / batch,
    clipFraction: clipped / batch,
    ratioMean: ratioSum / batch,
    ratioMax,
    loss: policyLoss - coefs.entCoef * entropy + coefs.vfCoef * valueLoss,
    dLogProb,
    dEntropy,
    dValues,
  };
}
