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

/**
 * What a loss on the network outputs hands back to the backward pass: ∂L/∂log π [B], ∂L/∂H [B], ∂L/∂V [B], and
 * ∂L/∂KL [B] of the exact KL to the old distributions when `networkGradient` was given them.
 */
export interface OutputGradients {
  dLogProb: Float64Array;
  dEntropy: Float64Array;
  dValues: Float32Array;
  dKl?: Float64Array | null;
}

/** The network outputs a loss sees for B rows: log π(a|s) and H of the stored actions, and V(s). */
export interface NetworkOutputs {
  batch: number;
  logProb: Float64Array;
  entropy: Float64Array;
  values: Float32Array;
  /** Exact KL[π_old(·|s) ‖ π(·|s)] per row, when `networkGradient` was given the old distributions. */
  klExact?: Float64Array;
}

/**
 * The gradient ∂L/∂θ into `grad` of a loss on the network outputs for `batch` rows of `observations` and
 * `actions`: tfjs forward of the networks, the distribution's log-probs and entropies, the loss and its output
 * gradients on the host (`loss`), the distribution's chain rule, tfjs backward of the networks. Returns what `loss`
 * returned. Every algorithm's gradient step goes through here (PPO's minibatches, A2C's rollout, REINFORCE's batch).
 * Given the rows' old distributions (`old` [B, distribution.oldStatsDim], from `oldStats`), the outputs also hold the
 * exact KL[π_old‖π] of each row and the loss's ∂L/∂KL goes back through the distribution too.
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
  old: Float64Array | null = null,
): L {
  const pass = networkForward(layout, params, observations, batch);
  try {
    const input = { head: pass.head, latentPi: pass.latentPi, batch };
    const logProb = new Float64Array(batch);
    const entropy = new Float64Array(batch);
    distribution.evaluate(params, input, actions, logProb, entropy);
    let klExact: Float64Array | undefined;
    if (old) {
      klExact = new Float64Array(batch);
      distribution.klFromOld(params, input, old, klExact);
    }
    const out = loss({ batch, logProb, entropy, values: pass.values, klExact });
    grad.fill(0);
    const dHead = new Float32Array(batch * layout.headDim);
    distribution.backward(params, input, actions, out.dLogProb, out.dEntropy, dHead, grad);
    if (old && out.dKl) distribution.klFromOldBackward(params, input, old, out.dKl, dHead, grad);
    pass.backward(dHead, out.dValues, grad);
    return out;
  } finally {
    pass.dispose();
  }
}

/**
 * Loss statistics and the gradient ∂L/∂θ of one PPO minibatch (`networkGradient` with `ppoLoss`); `old` are the rows'
 * old distributions for the exact KL penalty (`oldStatsOf`, gathered with `gatherRows`), null for the k3 one.
 */
export function minibatchGradient(
  layout: Layout,
  distribution: PolicyDistribution,
  params: Float32Array,
  mb: MinibatchArrays,
  batch: number,
  coefs: LossCoefficients,
  grad: Float32Array,
  old: Float64Array | null = null,
): LossOutput {
  return networkGradient(layout, distribution, params, mb.observations, mb.actions, batch, ({ logProb, entropy, values, klExact }) =>
    ppoLoss({ batch, logProb, logProbOld: mb.logProbOld, advantages: mb.advantages, entropy, values, valuesOld: mb.valuesOld, returns: mb.returns, klExact }, coefs), grad, old);
}

/**
 * The distributions of the rollout's rows at `params` [size, distribution.oldStatsDim] (pure-JS forward): called
 * before an update's first step, they are π_old, the policy that collected the rollout.
 */
export function oldStatsOf(layout: Layout, distribution: PolicyDistribution, params: Float32Array, buffer: RolloutBuffer): Float64Array {
  const size = buffer.size;
  const forward = forwardJs(layout, params, buffer.observations.subarray(0, size * buffer.obsDim), size);
  const out = new Float64Array(size * distribution.oldStatsDim);
  distribution.oldStats(params, { head: forward.head, latentPi: forward.latentPi, batch: size }, out);
  return out;
}

/** Copies rows `indices` of `source` (rows of `width` numbers) into `out`. */
export function gatherRows(source: Float64Array, width: number, indices: ArrayLike<number>, out: Float64Array): void {
  for (let k = 0; k < indices.length; k++) out.set(source.subarray(indices[k] * width, (indices[k] + 1) * width), k * width);
}

/**
 * KL(π_old‖π_new) over the whole rollout after an update, for the adaptive-β rule: the k3 estimate on the stored
 * actions, or given the rollout's old distributions (`oldStatsOf`) the exact KL, the paper's d = Ê[KL[π_old, π]].
 */
export function batchKl(layout: Layout, distribution: PolicyDistribution, params: Float32Array, buffer: RolloutBuffer, old: Float64Array | null = null): number {
  const size = buffer.size;
  const forward = forwardJs(layout, params, buffer.observations.subarray(0, size * buffer.obsDim), size);
  const input = { head: forward.head, latentPi: forward.latentPi, batch: size };
  if (old) {
    const kl = new Float64Array(size);
    distribution.klFromOld(params, input, old, kl);
    let sum = 0;
    for (let i = 0; i < size; i++) sum += kl[i];
    return sum / size;
  }
  const logProb = new Float64Array(size);
  distribution.evaluate(params, input, buffer.actions, logProb, new Float64Array(size));
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

