/**
 * The actor-critic loss of A2C (SB3 `A2C.train`, stable_baselines3/a2c/a2c.py), minimized:
 *   loss = policy_loss + entCoef·entropy_loss + vfCoef·value_loss
 *   policy_loss = −mean(A·log π(a|s)),  value_loss = mean((R − V(s))²) (F.mse_loss, no ½),  entropy_loss = −mean(H)
 * The policy objective is written once per sample (`policyGradientLoss`, with its gradient); the value loss and the
 * entropy bonus are PPO's (ppo/losses.ts `valueLoss`, `entropyBonus`, without value clipping). REINFORCE's loss is
 * the same with Monte-Carlo weights in place of A and, without a baseline, vfCoef 0 (reinforce/learner.ts).
 */
import { entropyBonus, valueLoss } from '../ppo/losses';
import type { NetworkOutputs, OutputGradients } from '../ppo/minibatch';

/**
 * −A·log π(a|s): the policy-gradient loss of one sample (Williams 1992; Mnih et al. 2016, A3C's actor term), whose
 * gradient in θ is −A·∇ log π.
 */
export function policyGradientLoss(logProb: number, advantage: number): number {
  return -advantage * logProb;
}

/** ∂/∂log π of `policyGradientLoss`: −A. */
export function policyGradientLossGrad(advantage: number): number {
  return -advantage;
}

/** Coefficients of one update (entCoef from its schedule). */
export interface A2cCoefficients {
  entCoef: number;
  vfCoef: number;
}

/** Per-row weights and targets of the batch: advantages A (or REINFORCE's weights) and value targets R. */
export interface A2cTargets {
  advantages: ArrayLike<number>;
  returns: ArrayLike<number>;
}

/** The batch's losses (SB3's logged values) and the gradients of the total loss w.r.t. the network outputs. */
export interface A2cLossOutput extends OutputGradients {
  policyLoss: number;
  valueLoss: number;
  /** Mean entropy H (entropy_loss is its negative). */
  entropy: number;
  loss: number;
}

export function a2cLoss(outputs: NetworkOutputs, targets: A2cTargets, coefs: A2cCoefficients): A2cLossOutput {
  const { batch, logProb } = outputs;
  const dLogProb = new Float64Array(batch);
  const dEntropy = new Float64Array(batch);
  const dValues = new Float32Array(batch);
  let policyLoss = 0;
  for (let b = 0; b < batch; b++) {
    policyLoss += policyGradientLoss(logProb[b], targets.advantages[b]);
    dLogProb[b] = policyGradientLossGrad(targets.advantages[b]) / batch;
  }
  policyLoss /= batch;
  const value = valueLoss(outputs.values, targets.returns, batch, coefs.vfCoef, dValues);
  const entropy = entropyBonus(outputs.entropy, batch, coefs.entCoef, dEntropy);
  return {
    policyLoss,
    valueLoss: value,
    entropy,
    loss: policyLoss - coefs.entCoef * entropy + coefs.vfCoef * value,
    dLogProb,
    dEntropy,
    dValues,
  };
}
