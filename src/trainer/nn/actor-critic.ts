/**
 * The actor-critic MLP on one flat parameter buffer (its layout: src/core/training/network-layout.ts).
 *
 * Layout (SB3 ActorCriticPolicy): obs → shared trunk (optional) → policy MLP → action head (logits or Gaussian mean)
 *                                                              → value MLP  → value head (1)
 * plus the policy's log-std parameters: a vector [actionDim] for the diagonal Gaussian, a matrix
 * [latentPi, actionDim] for gSDE. Weights are stored `[in, out]` (y = x·W + b), row-major, all in one Float32Array,
 * so the optimizer, checkpoints and the tfjs forward all see a single buffer.
 *
 * Two forwards with the same numbers: `forwardJs` here, on Float32Arrays (rollout inference, no tfjs dispatch), and
 * the tfjs forward/backward of nn/backprop.ts for the update.
 */
import type { Layout, Linear } from '../../core/training/network-layout';
import type { Prng } from './prng';

export { buildLayout, type ActionSpec, type Layout, type Linear, type ModelSpec, type ParamSlot } from '../../core/training/network-layout';

/**
 * An orthogonal [rows, cols] matrix scaled by `gain` (torch.nn.init.orthogonal_: QR of a Gaussian matrix with the
 * signs of R's diagonal folded into Q), written row-major into `out` at `offset`.
 */
export function orthogonalInit(rows: number, cols: number, gain: number, prng: Prng, out: Float32Array, offset: number): void {
  // Work on a tall matrix (m ≥ n) with orthonormal columns, transposed at the end if rows < cols.
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const q = new Float64Array(m * n); // column-major: column j at j*m
  for (let i = 0; i < m * n; i++) q[i] = prng.normal();
  for (let j = 0; j < n; j++) {
    // Modified Gram–Schmidt; r_jj's sign is +, which equals torch's sign correction of Householder QR.
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[k * m + i] * q[j * m + i];
      for (let i = 0; i < m; i++) q[j * m + i] -= dot * q[k * m + i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[j * m + i] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[j * m + i] /= norm;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows ≥ cols: element (r, c) = q[:, c][r]; else the transpose.
      const v = rows >= cols ? q[c * m + r] : q[r * m + c];
      out[offset + r * cols + c] = gain * v;
    }
  }
}

/**
 * Initial parameters. Orthogonal init (SB3 / the 37 details #2): hidden layers gain √2, action head 0.01, value head
 * 1, biases 0. Without it, torch's nn.Linear default: U(±1/√in) for weights and biases. Log-std = logStdInit.
 */
export function initParams(layout: Layout, orthoInit: boolean, logStdInit: number, prng: Prng): Float32Array {
  const params = new Float32Array(layout.size);
  const init = (layer: Linear, gain: number): void => {
    const { w, b } = layer;
    if (orthoInit) {
      orthogonalInit(w.rows, w.cols, gain, prng, params, w.offset);
      // biases stay 0
    } else {
      const bound = 1 / Math.sqrt(w.rows);
      for (let i = 0; i < w.size; i++) params[w.offset + i] = (2 * prng.random() - 1) * bound;
      for (let i = 0; i < b.size; i++) params[b.offset + i] = (2 * prng.random() - 1) * bound;
    }
  };
  for (const layer of [...layout.trunk, ...layout.pi, ...layout.vf]) init(layer, Math.SQRT2);
  init(layout.actionHead, 0.01);
  init(layout.valueHead, 1);
  if (layout.logStd) params.fill(logStdInit, layout.logStd.offset, layout.logStd.offset + layout.logStd.size);
  return params;
}

/** Outputs of a forward pass on a batch of B observations. */
export interface ForwardJs {
  /** Policy latent [B, latentPi] (the gSDE features). */
  latentPi: Float32Array;
  /** Action head [B, headDim]: logits or Gaussian means. */
  head: Float32Array;
  /** Values [B]. */
  values: Float32Array;
}

function linearJs(params: Float32Array, layer: Linear, x: Float32Array, batch: number, act: 'tanh' | 'relu' | 'linear'): Float32Array {
  const { w, b } = layer;
  const inDim = w.rows;
  const outDim = w.cols;
  const y = new Float32Array(batch * outDim);
  const acc = new Float64Array(outDim);
  for (let r = 0; r < batch; r++) {
    // Row-times-matrix with the inner loop over contiguous weights (row k of W).
    for (let c = 0; c < outDim; c++) acc[c] = params[b.offset + c];
    for (let k = 0; k < inDim; k++) {
      const xk = x[r * inDim + k];
      const base = w.offset + k * outDim;
      for (let c = 0; c < outDim; c++) acc[c] += xk * params[base + c];
    }
    for (let c = 0; c < outDim; c++) {
      const s = acc[c];
      y[r * outDim + c] = act === 'tanh' ? Math.tanh(s) : act === 'relu' ? (s > 0 ? s : 0) : s;
    }
  }
  return y;
}

/** Forward pass in plain JS on a batch `obs` [B, obsDim] (rollout and evaluation inference). */
export function forwardJs(layout: Layout, params: Float32Array, obs: Float32Array, batch: number): ForwardJs {
  const act = layout.spec.activation;
  let h = obs;
  for (const layer of layout.trunk) h = linearJs(params, layer, h, batch, act);
  let p = h;
  for (const layer of layout.pi) p = linearJs(params, layer, p, batch, act);
  let v = h;
  for (const layer of layout.vf) v = linearJs(params, layer, v, batch, act);
  return {
    latentPi: p,
    head: linearJs(params, layout.actionHead, p, batch, 'linear'),
    values: linearJs(params, layout.valueHead, v, batch, 'linear'),
  };
}

/** A tanh unit with |h| above this is saturated: tanh′ = 1 − h² < 0.002, so it passes almost no change of its input on. */
export const TANH_SATURATION = 0.999;

/**
 * Whether the value network is saturated at one observation `obs` [obsDim]: some hidden layer on its path (shared
 * trunk, then value MLP) has every unit saturated — tanh |h| > TANH_SATURATION, ReLU h = 0 — so that layer's output,
 * and with it V(s), stays the same for the observations around this one. This is how a tanh critic collapses on large
 * unnormalized returns (Pendulum at γ = 0.99: −1000…0): the quickest way to reach such values is to drive every unit
 * of a layer to ±1 and grow the head's weights, after which the gradient through the layer is ≈ 0 and V(s) stays one
 * number. A network without hidden layers is never saturated.
 */
export function valueSaturated(layout: Layout, params: Float32Array, obs: Float32Array): boolean {
  const act = layout.spec.activation;
  const saturated = (h: Float32Array): boolean =>
    h.every((x) => (act === 'tanh' ? Math.abs(x) > TANH_SATURATION : x <= 0));
  let h = obs;
  for (const layer of [...layout.trunk, ...layout.vf]) {
    h = linearJs(params, layer, h, 1, act);
    if (saturated(h)) return true;
  }
  return false;
}
