/**
 * One minibatch of the update: the shuffling permutation, gathering rows from the rollout buffer, the minibatch
 * gradient (tfjs network pass + host losses + tfjs backward), and the KL over the whole rollout after an update.
 */
import { forwardJs, type Layout } from '../nn/actor-critic';
import { networkForward } from '../nn/backprop';
import type { Prng } from '../nn/prng';
import type { PolicyDistribution } from './distributions';
import { klK3, ppoLoss, type LossCoefficients, type LossOutput } from './losses';
import type { RolloutBuffer } from './rollout';

/** Reusable host arrays for one minibatch. */
export interface MinibatchArrays {
  observations: Float32Array;
  actions: Float32Array;
  logProbOld: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  valuesOld: Float32Array;
}

export function minibatchArrays(size: number, obsDim: number, actionDim: number): MinibatchArrays {
  return {
    observations: new Float32Array(size * obsDim),
    actions: new Float32Array(size * actionDim),
    logProbOld: new Float32Array(size),
    advantages: new Float32Array(size),
    returns: new Float32Array(size),
    valuesOld: new Float32Array(size),
  };
}

/** Copies rows `indices` of the rollout buffer into `mb`. */
export function gather(buffer: RolloutBuffer, indices: ArrayLike<number>, mb: MinibatchArrays): void {
  const d = buffer.obsDim;
  const a = buffer.actionDim;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    mb.observations.set(buffer.observations.subarray(i * d, (i + 1) * d), k * d);
    mb.actions.set(buffer.actions.subarray(i * a, (i + 1) * a), k * a);
    mb.logProbOld[k] = buffer.logProbs[i];
    mb.advantages[k] = buffer.advantages[i];
    mb.returns[k] = buffer.returns[i];
    mb.valuesOld[k] = buffer.values[i];
  }
}

/**
 * Loss statistics and the gradient ∂L/∂θ of one minibatch: tfjs forward of the networks, losses and their
 * gradients w.r.t. the network outputs on the host, tfjs backward of the networks.
 */
export function minibatchGradient(
  layout: Layout,
  distribution: PolicyDistribution,
  params: Float32Array,
  mb: MinibatchArrays,
  batch: number,
  coefs: LossCoefficients,
  grad: Float32Array,
): LossOutput {
  const pass = networkForward(layout, params, mb.observations, batch);
  try {
    const input = { head: pass.head, latentPi: pass.latentPi, batch };
    const logProb = new Float64Array(batch);
    const entropy = new Float64Array(batch);
    distribution.evaluate(params, input, mb.actions, logProb, entropy);
    const loss = ppoLoss(
      { batch, logProb, logProbOld: mb.logProbOld, advantages: mb.advantages, entropy, values: pass.values, valuesOld: mb.valuesOld, returns: mb.returns },
      coefs,
    );
    grad.fill(0);
    const dHead = new Float32Array(batch * layout.headDim);
    distribution.backward(params, input, mb.actions, loss.dLogProb, loss.dEntropy, dHead, grad);
    pass.backward(dHead, loss.dValues, grad);
    return loss;
  } finally {
    pass.dispose();
  }
}

/** KL(π_old‖π_new) over the whole rollout after an update (k3), for the adaptive-β rule. */
export function batchKl(layout: Layout, distribution: PolicyDistribution, params: Float32Array, buffer: RolloutBuffer): number {
  const size = buffer.size;
  const forward = forwardJs(layout, params, buffer.observations.subarray(0, size * buffer.obsDim), size);
  const logProb = new Float64Array(size);
  distribution.evaluate(params, { head: forward.head, latentPi: forward.latentPi, batch: size }, buffer.actions, logProb, new Float64Array(size));
  let kl = 0;
  for (let i = 0; i < size; i++) {
    const logRatio = logProb[i] - buffer.logProbs[i];
    kl += klK3(Math.exp(logRatio), logRatio);
  }
  return kl / size;
}

/** Fisher–Yates permutation of 0..n-1 (np.random.permutation). */
export function permutation(n: number, prng: Prng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = prng.integer(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

