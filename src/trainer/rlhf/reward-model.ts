/**
 * The learned reward r̂(s, a) of learning from preferences (Christiano et al. 2017): a small MLP — tanh hidden
 * layers, one linear output — over the observation and the action (one-hot for a discrete action), with its own
 * flat parameter buffer and Adam state, trained with the Bradley–Terry loss on segment sums (core/math/preferences).
 *
 * r̂ takes (s, a) as the paper's r̂(o, a) does. Plain JS rather than tfjs: the model is a few thousand parameters and
 * a minibatch is a few thousand rows, about 10⁷ multiply-adds per step — milliseconds in a loop over Float32Arrays,
 * where tfjs would spend its ~8 µs per op on dozens of ops per layer and the transfers at its edges.
 *
 * Layout of `params`: for each layer in order, W as [in][out] row-major, then b [out].
 */
import { preferenceLossGradient, preferenceLoss } from '../../core/math/preferences';
import { adamStep, createAdamState, type AdamState } from '../nn/adam';
import type { Prng } from '../nn/prng';

export interface RewardModel {
  /** Input width: observation dim + action encoding width. */
  readonly inputDim: number;
  /** Layer widths from input to the scalar output, e.g. [6, 32, 32, 1]. */
  readonly widths: readonly number[];
  readonly params: Float32Array;
  adam: AdamState;
}

/** Parameter count of an MLP with these widths. */
function parameterCount(widths: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < widths.length; l++) n += widths[l] * widths[l + 1] + widths[l + 1];
  return n;
}

/** A fresh model: weights uniform in ±√(6 / (in + out)) (Glorot), zero biases. */
export function createRewardModel(inputDim: number, hidden: readonly number[], prng: Prng): RewardModel {
  const widths = [inputDim, ...hidden, 1];
  const params = new Float32Array(parameterCount(widths));
  let o = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const limit = Math.sqrt(6 / (widths[l] + widths[l + 1]));
    for (let i = 0; i < widths[l] * widths[l + 1]; i++) params[o++] = (2 * prng.random() - 1) * limit;
    o += widths[l + 1];
  }
  return { inputDim, widths, params, adam: createAdamState(params.length) };
}

/** Activations of one forward pass, kept for the backward pass. */
interface ForwardTrace {
  rows: number;
  /** Layer inputs: activations[0] = the input rows, activations[l] = tanh output of hidden layer l. */
  activations: Float32Array[];
  output: Float32Array;
}

function forwardTrace(model: RewardModel, inputs: Float32Array, rows: number): ForwardTrace {
  const { widths, params } = model;
  const activations: Float32Array[] = [inputs];
  let x = inputs;
  let o = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const nIn = widths[l];
    const nOut = widths[l + 1];
    const last = l + 2 === widths.length;
    const y = new Float32Array(rows * nOut);
    const bias = o + nIn * nOut;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < nOut; j++) y[r * nOut + j] = params[bias + j];
      for (let i = 0; i < nIn; i++) {
        const xi = x[r * nIn + i];
        if (xi === 0) continue;
        const w = o + i * nOut;
        for (let j = 0; j < nOut; j++) y[r * nOut + j] += xi * params[w + j];
      }
      if (!last) for (let j = 0; j < nOut; j++) y[r * nOut + j] = Math.tanh(y[r * nOut + j]);
    }
    o = bias + nOut;
    if (!last) activations.push(y);
    x = y;
  }
  return { rows, activations, output: x };
}

/** r̂ of `rows` input rows ([rows][inputDim]). */
export function predictRewards(model: RewardModel, inputs: Float32Array, rows: number): Float32Array {
  return forwardTrace(model, inputs, rows).output;
}

/** Accumulates ∂L/∂θ into `grad` given ∂L/∂r̂ per row (`dOutput`). */
function backward(model: RewardModel, trace: ForwardTrace, dOutput: Float32Array, grad: Float32Array): void {
  const { widths, params } = model;
  const offsets: number[] = [];
  let o = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    offsets.push(o);
    o += widths[l] * widths[l + 1] + widths[l + 1];
  }
  let dy = dOutput;
  for (let l = widths.length - 2; l >= 0; l--) {
    const nIn = widths[l];
    const nOut = widths[l + 1];
    const x = trace.activations[l];
    const w = offsets[l];
    const bias = w + nIn * nOut;
    const dx = l > 0 ? new Float32Array(trace.rows * nIn) : null;
    for (let r = 0; r < trace.rows; r++) {
      for (let j = 0; j < nOut; j++) grad[bias + j] += dy[r * nOut + j];
      for (let i = 0; i < nIn; i++) {
        const xi = x[r * nIn + i];
        let s = 0;
        for (let j = 0; j < nOut; j++) {
          const d = dy[r * nOut + j];
          grad[w + i * nOut + j] += xi * d;
          s += params[w + i * nOut + j] * d;
        }
        // tanh'(z) = 1 − tanh(z)² of the previous hidden layer's output x.
        if (dx) dx[r * nIn + i] = s * (1 - xi * xi);
      }
    }
    if (dx) dy = dx;
  }
}

/**
 * Segments of a minibatch of preferences, as rows: `inputs` holds each segment's rows back to back
 * ([Σ lengths][inputDim]); pair k compares segment `first[k]` with `second[k]` and carries `labels[k]` (μ).
 */
export interface PreferenceBatch {
  inputs: Float32Array;
  /** Row offset and row count of each segment in `inputs`. */
  segmentStart: Int32Array;
  segmentLength: Int32Array;
  first: Int32Array;
  second: Int32Array;
  labels: Float32Array;
}

function segmentSums(batch: PreferenceBatch, rewards: Float32Array): Float64Array {
  const sums = new Float64Array(batch.segmentStart.length);
  for (let s = 0; s < sums.length; s++) {
    for (let r = 0; r < batch.segmentLength[s]; r++) sums[s] += rewards[batch.segmentStart[s] + r];
  }
  return sums;
}

/** Mean Bradley–Terry loss of the batch's pairs and its gradient ∂L/∂θ (written into `grad`, zeroed first). */
export function preferenceLossAndGradient(model: RewardModel, batch: PreferenceBatch, grad: Float32Array): number {
  const rows = batch.inputs.length / model.inputDim;
  const trace = forwardTrace(model, batch.inputs, rows);
  const sums = segmentSums(batch, trace.output);
  const dSums = new Float64Array(sums.length);
  const n = batch.labels.length;
  let loss = 0;
  for (let k = 0; k < n; k++) {
    const a = batch.first[k];
    const b = batch.second[k];
    loss += preferenceLoss(sums[a], sums[b], batch.labels[k]) / n;
    const g = preferenceLossGradient(sums[a], sums[b], batch.labels[k]);
    dSums[a] += g.dSum1 / n;
    dSums[b] += g.dSum2 / n;
  }
  // ∂Σr̂/∂r̂ₜ = 1 for every row of the segment.
  const dOutput = new Float32Array(rows);
  for (let s = 0; s < sums.length; s++) {
    for (let r = 0; r < batch.segmentLength[s]; r++) dOutput[batch.segmentStart[s] + r] = dSums[s];
  }
  grad.fill(0);
  backward(model, trace, dOutput, grad);
  return loss;
}

/** One Adam step (ε 1e-8, torch's default; no gradient clipping) on the batch's mean loss; returns that loss. */
export function rewardModelStep(model: RewardModel, batch: PreferenceBatch, learningRate: number, grad: Float32Array): number {
  const loss = preferenceLossAndGradient(model, batch, grad);
  adamStep(model.params, grad, model.adam, learningRate, null, 1e-8);
  return loss;
}
