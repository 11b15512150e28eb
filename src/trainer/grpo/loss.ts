/**
 * GRPO's loss (Shao et al. 2024, DeepSeekMath eq. 3), minimized, per step of a minibatch:
 *   −min(r·Â, clip(r, 1 − ε, 1 + ε)·Â) + β·D_KL[π‖π_ref] − entCoef·H,   r = π(a|s)/π_old(a|s)
 * with the KL to the reference policy estimated by the unbiased k3 estimator of DeepSeekMath eq. 4 (Schulman 2020),
 *   D_KL[π‖π_ref] ≈ ρ − log ρ − 1,   ρ = π_ref(a|s)/π(a|s)   (≥ 0, on the actions sampled from π_old),
 * which TRL's GRPOTrainer writes as `exp(ref_logp − logp) − (ref_logp − logp) − 1`. Averaged over the minibatch's
 * steps (every step weighs the same, as PPO's and TRL's token-level losses; DeepSeekMath's eq. 3 averages each output
 * over its tokens first, which would weigh a short episode's steps more). Its hand-derived gradient w.r.t. log π
 * goes back through the distribution and the network like PPO's (ppo/minibatch.ts `networkGradient`); the critic
 * gets none.
 */
import { clippedSurrogate, clippedSurrogateGrad, entropyBonus, klK3 } from '../ppo/losses';
import type { NetworkOutputs, OutputGradients } from '../ppo/minibatch';

export interface GrpoCoefficients {
  clipRange: number;
  beta: number;
  entCoef: number;
}

/** The minibatch's stored quantities the loss compares the network's outputs with, [B] each. */
export interface GrpoTargets {
  logProbOld: ArrayLike<number>;
  /** log π_ref(a|s) of the stored actions. */
  logProbRef: ArrayLike<number>;
  advantages: ArrayLike<number>;
}

export interface GrpoLossOutput extends OutputGradients {
  /** Mean clipped surrogate term −min(rÂ, clip(r)Â). */
  policyLoss: number;
  /** Mean k3 estimate of KL(π‖π_ref) (before β). */
  referenceKl: number;
  entropy: number;
  /** k3 estimate of KL(π_old‖π): mean((r − 1) − log r), as PPO's approx_kl. */
  approxKl: number;
  clipFraction: number;
  ratioMean: number;
  ratioMax: number;
  /** policyLoss + β·referenceKl − entCoef·entropy. */
  loss: number;
  /** Each step's ratio r = π/π_old [B] (the Learn view's statistics, core/metrics/ratio-stats.ts). */
  ratio: Float64Array;
}

/** The k3 estimate of KL(π‖π_ref) for one step from log π and log π_ref: ρ − log ρ − 1 with ρ = π_ref/π. */
export function referenceKl(logProb: number, logProbRef: number): number {
  const logRho = logProbRef - logProb;
  return klK3(Math.exp(logRho), logRho);
}

/** ∂/∂log π of `referenceKl`: ρ = π_ref/π falls as log π rises (∂ρ/∂log π = −ρ), so the derivative is 1 − ρ. */
export function referenceKlGrad(logProb: number, logProbRef: number): number {
  return 1 - Math.exp(logProbRef - logProb);
}

/** One step's loss before the entropy term: −min(rÂ, clip(r)Â) + β·(ρ − log ρ − 1). */
export function grpoStepLoss(logProb: number, logProbOld: number, logProbRef: number, advantage: number, coefs: GrpoCoefficients): number {
  return clippedSurrogate(Math.exp(logProb - logProbOld), advantage, coefs.clipRange) + coefs.beta * referenceKl(logProb, logProbRef);
}

/** ∂grpoStepLoss/∂log π: r·∂(clipped)/∂r (0 where the clip is active) + β·(1 − ρ). */
export function grpoStepLossGrad(logProb: number, logProbOld: number, logProbRef: number, advantage: number, coefs: GrpoCoefficients): number {
  const ratio = Math.exp(logProb - logProbOld);
  return clippedSurrogateGrad(ratio, advantage, coefs.clipRange) * ratio + coefs.beta * referenceKlGrad(logProb, logProbRef);
}

/** The loss of a minibatch on the network's outputs, with ∂L/∂log π, ∂L/∂H and (zero) ∂L/∂V per row. */
export function grpoLoss(outputs: NetworkOutputs, targets: GrpoTargets, coefs: GrpoCoefficients): GrpoLossOutput {
  const { batch, logProb } = outputs;
  const dLogProb = new Float64Array(batch);
  const dEntropy = new Float64Array(batch);
  const ratios = new Float64Array(batch);
  let policyLoss = 0;
  let kl = 0;
  let approxKl = 0;
  let clipped = 0;
  let ratioSum = 0;
  let ratioMax = 0;
  for (let b = 0; b < batch; b++) {
    const logRatio = logProb[b] - targets.logProbOld[b];
    const ratio = Math.exp(logRatio);
    ratios[b] = ratio;
    const advantage = targets.advantages[b];
    policyLoss += clippedSurrogate(ratio, advantage, coefs.clipRange);
    kl += referenceKl(logProb[b], targets.logProbRef[b]);
    dLogProb[b] = grpoStepLossGrad(logProb[b], targets.logProbOld[b], targets.logProbRef[b], advantage, coefs) / batch;
    approxKl += klK3(ratio, logRatio);
    if (Math.abs(ratio - 1) > coefs.clipRange) clipped += 1;
    ratioSum += ratio;
    ratioMax = Math.max(ratioMax, ratio);
  }
  policyLoss /= batch;
  kl /= batch;
  const entropy = entropyBonus(outputs.entropy, batch, coefs.entCoef, dEntropy);
  return {
    policyLoss,
    referenceKl: kl,
    entropy,
    approxKl: approxKl / batch,
    clipFraction: clipped / batch,
    ratioMean: ratioSum / batch,
    ratioMax,
    loss: policyLoss + coefs.beta * kl - coefs.entCoef * entropy,
    ratio: ratios,
    dLogProb,
    dEntropy,
    dValues: new Float32Array(batch),
  };
}
