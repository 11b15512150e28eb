/**
 * The actor-critic's forward pass for rollout and evaluation inference, fast and in plain JS: the same numbers as
 * `forwardJs` (nn/actor-critic.ts, the readable reference), bit for bit, at a few times its speed.
 *
 * Why not tfjs: a rollout step runs the two 64-64 MLPs on nEnvs observations, a few tens of thousands of multiply-adds,
 * while each tfjs op costs 7–9 µs of dispatch. Why not `forwardJs` as it is: it allocates per layer and re-reads the
 * float32 weights row by row into a float64 accumulator array. Here the weights are read once per collection
 * (`loadInference`, after the optimiser step and before the rollout), transposed into float64 (exact: every float32 is
 * a float64), and each output unit is a dot product held in a scalar register, four rows at a time.
 *
 * Same arithmetic as `forwardJs`, so the same bits: per output unit the sum starts at the bias and adds x_k·w_k for
 * k = 0, 1, … in float64 (the float32 × float32 products are exact in float64), the activation is V8's Math.tanh or
 * max(0, ·) of that sum, and every layer's output is rounded to float32 before the next layer reads it.
 */
import type { Layout, Linear } from '../../core/training/network-layout';
import type { ForwardJs } from './actor-critic';

const TANH = 0;
const RELU = 1;
const LINEAR = 2;
type ActivationCode = typeof TANH | typeof RELU | typeof LINEAR;

/** One layer with its weights transposed: `wT[c * inDim + k]` = W[k, c], all in float64. */
interface LoadedLayer {
  inDim: number;
  outDim: number;
  wT: Float64Array;
  bias: Float64Array;
}

/** Forward passes on the weights `loadInference` read; results stay valid until the next call of the same method. */
export interface Inference {
  /** Policy latent, action head and values of `batch` observations `obs` [batch, obsDim] (as `forwardJs`). */
  forward(obs: Float32Array, batch: number): ForwardJs;
  /** V(s) of one observation [obsDim] (trunk and value MLP only; the truncation bootstrap's final observation). */
  value(obs: Float32Array): number;
}

function loadLayer(params: Float32Array, layer: Linear): LoadedLayer {
  const { w, b } = layer;
  const inDim = w.rows;
  const outDim = w.cols;
  const wT = new Float64Array(inDim * outDim);
  for (let k = 0; k < inDim; k++) {
    for (let c = 0; c < outDim; c++) wT[c * inDim + k] = params[w.offset + k * outDim + c];
  }
  return { inDim, outDim, wT, bias: Float64Array.from(params.subarray(b.offset, b.offset + b.size)) };
}

/**
 * The activation as `forwardJs` applies it (max(0, s) written so that −0 and NaN come out the same), rounded to
 * float32 as `forwardJs`'s Float32Array output rounds it.
 */
function activate(s: number, act: ActivationCode): number {
  return Math.fround(act === TANH ? Math.tanh(s) : act === RELU ? (s > 0 ? s : 0) : s);
}

/**
 * y = act(x·W + b) for `batch` rows of x [batch, inDim] into y [batch, outDim], float32 values held in float64 arrays
 * (V8 reads those faster). Four rows share each weight read; each (row, unit) sum runs in the reference order.
 */
function dense(layer: LoadedLayer, x: Float64Array, batch: number, y: Float64Array, act: ActivationCode): void {
  const { inDim, outDim, wT, bias } = layer;
  let r = 0;
  for (; r + 4 <= batch; r += 4) {
    const x0 = r * inDim;
    const x1 = x0 + inDim;
    const x2 = x1 + inDim;
    const x3 = x2 + inDim;
    for (let c = 0; c < outDim; c++) {
      const bc = bias[c];
      let s0 = bc;
      let s1 = bc;
      let s2 = bc;
      let s3 = bc;
      const wc = c * inDim;
      for (let k = 0; k < inDim; k++) {
        const wk = wT[wc + k];
        s0 += x[x0 + k] * wk;
        s1 += x[x1 + k] * wk;
        s2 += x[x2 + k] * wk;
        s3 += x[x3 + k] * wk;
      }
      y[r * outDim + c] = activate(s0, act);
      y[(r + 1) * outDim + c] = activate(s1, act);
      y[(r + 2) * outDim + c] = activate(s2, act);
      y[(r + 3) * outDim + c] = activate(s3, act);
    }
  }
  for (; r < batch; r++) {
    const x0 = r * inDim;
    for (let c = 0; c < outDim; c++) {
      let s = bias[c];
      const wc = c * inDim;
      for (let k = 0; k < inDim; k++) s += x[x0 + k] * wT[wc + k];
      y[r * outDim + c] = activate(s, act);
    }
  }
}

/** Buffers of the given widths for a batch size: reallocated when the batch size changes, reused otherwise. */
class BatchBuffers<T extends Float32Array | Float64Array> {
  private batch = -1;
  private buffers: T[] = [];

  constructor(
    private readonly widths: number[],
    private readonly make: (size: number) => T,
  ) {}

  for(batch: number): T[] {
    if (batch !== this.batch) {
      this.buffers = this.widths.map((width) => this.make(batch * width));
      this.batch = batch;
    }
    return this.buffers;
  }
}

const float64 = (size: number): Float64Array => new Float64Array(size);
const float32 = (size: number): Float32Array => new Float32Array(size);

/**
 * Reads the current weights from `params` (the layout's flat buffer) for forward passes. Read again after every
 * change of `params`: the returned passes do not see later optimiser steps.
 */
export function loadInference(layout: Layout, params: Float32Array): Inference {
  const act: ActivationCode = layout.spec.activation === 'tanh' ? TANH : RELU;
  const load = (layers: Linear[]): LoadedLayer[] => layers.map((layer) => loadLayer(params, layer));
  const trunk = load(layout.trunk);
  const pi = load(layout.pi);
  const vf = load(layout.vf);
  const actionHead = loadLayer(params, layout.actionHead);
  const valueHead = loadLayer(params, layout.valueHead);
  const widths = (layers: LoadedLayer[]): number[] => layers.map((l) => l.outDim);
  const obsDim = layout.spec.obsDim;
  // Hidden outputs (float64 arrays of float32 values), per pass: `forward` and `value` keep theirs apart.
  const hidden = (): BatchBuffers<Float64Array>[] => [
    new BatchBuffers([obsDim, ...widths(trunk)], float64),
    new BatchBuffers([...widths(pi), actionHead.outDim], float64),
    new BatchBuffers([...widths(vf), 1], float64),
  ];
  const [forwardTrunk, forwardPi, forwardVf] = hidden();
  const [valueTrunk, , valueVf] = hidden();
  const results = new BatchBuffers([layout.latentPi, layout.headDim, 1], float32);

  /** `layers` then `head` (if any) on x [batch, ·] into `buffers`; returns [last hidden output, head output]. */
  const run = (layers: LoadedLayer[], head: LoadedLayer | null, x: Float64Array, batch: number, out: Float64Array[]): [Float64Array, Float64Array] => {
    let h = x;
    layers.forEach((layer, i) => {
      dense(layer, h, batch, out[i], act);
      h = out[i];
    });
    if (!head) return [h, h];
    const y = out[layers.length];
    dense(head, h, batch, y, LINEAR);
    return [h, y];
  };
  /** The trunk's output for `obs`: the observations widened to float64 (exact), then the trunk's layers. */
  const runTrunk = (obs: Float32Array, batch: number, buffers: BatchBuffers<Float64Array>): Float64Array => {
    const [input, ...out] = buffers.for(batch);
    input.set(obs.subarray(0, batch * obsDim));
    return run(trunk, null, input, batch, out)[0];
  };

  return {
    forward(obs, batch) {
      const h = runTrunk(obs, batch, forwardTrunk);
      const [latent, head] = run(pi, actionHead, h, batch, forwardPi.for(batch));
      const [, values] = run(vf, valueHead, h, batch, forwardVf.for(batch));
      const [latentOut, headOut, valuesOut] = results.for(batch);
      latentOut.set(latent);
      headOut.set(head);
      valuesOut.set(values);
      return { latentPi: latentOut, head: headOut, values: valuesOut };
    },
    value(obs) {
      const h = runTrunk(obs, 1, valueTrunk);
      return run(vf, valueHead, h, 1, valueVf.for(1))[1][0];
    },
  };
}
