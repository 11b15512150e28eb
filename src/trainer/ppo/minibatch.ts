/**
 * One minibatch of the update: the shuffling permutation, gathering rows from the rollout buffer, the gradient of a
 * loss on the network outputs (tfjs network pass + host losses + tfjs backward; shared by every algorithm) and PPO's
 * minibatch gradient on it, and the KL over the whole rollout after an update.
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

/** What a loss on the network outputs hands back to the backward pass: ∂L/∂log π [B], ∂L/∂H [B], ∂L/∂V [B]. */
export interface OutputGradients {
  dLogProb: Float64Array;
  dEntropy: Float64Array;
  dValues: Float32Array;
}

/** The network outputs a loss sees for B rows: log π(a|s) and H of the stored actions, and V(s). */
export interface NetworkOutputs {
  batch: number;
  logProb: Float64Array;
  entropy: Float64Array;
  values: Float32Array;
}

/**
 * The gradient ∂L/∂θ into `grad` of a loss on the network outputs for `batch` rows of `observations` and
 * `actions`: tfjs forward of the networks, the distribution's log-probs and entropies, the loss and its output
 * gradients on the host (`loss`), the distribution's chain rule, tfjs backward of the networks. Returns what `loss`
 * returned. Every algorithm's gradient step goes through here (PPO's minibatches, A2C's rollout, REINFORCE's batch).
 */
export function networkGradient<L extends OutputGradients>(
  layout: Layout,
  distribution: PolicyDistribution,
  params: Float32Array,
  observations: Float32Array,
  actions: Float32Array,
  batch: number,
  loss: (outputs: NetworkOutputs) => L,
  grad: Float32Array,
): L {
  const pass = networkForward(layout, params, observations, batch);
  try {
    const input = { head: pass.head, latentPi: pass.latentPi, batch };
    const logProb = new Float64Array(batch);
    const entropy = new Float64Array(batch);
    distribution.evaluate(params, input, actions, logProb, entropy);
    const out = loss({ batch, logProb, entropy, values: pass.values });
    grad.fill(0);
    const dHead = new Float32Array(batch * layout.headDim);
    distribution.backward(params, input, actions, out.dLogProb, out.dEntropy, dHead, grad);
    pass.backward(dHead, out.dValues, grad);
    return out;
  } finally {
    pass.dispose();
  }
}

/** Loss statistics and the gradient ∂L/∂θ of one PPO minibatch (`networkGradient` with `ppoLoss`). */
export function minibatchGradient(
  layout: Layout,
  distribution: PolicyDistribution,
  params: Float32Array,
  mb: MinibatchArrays,
  batch: number,
  coefs: LossCoefficients,
  grad: Float32Array,
): LossOutput {
  return networkGradient(layout, distribution, params, mb.observations, mb.actions, batch, ({ logProb, entropy, values }) =>
    ppoLoss({ batch, logProb, logProbOld: mb.logProbOld, advantages: mb.advantages, entropy, values, valuesOld: mb.valuesOld, returns: mb.returns }, coefs), grad);
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

