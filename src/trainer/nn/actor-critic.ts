/**
 * The actor-critic MLP on one flat parameter buffer.
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
import type { Prng } from './prng';

export type ActionSpec =
  | { kind: 'discrete'; n: number }
  | { kind: 'box'; dim: number; low: Float32Array; high: Float32Array };

export interface ModelSpec {
  obsDim: number;
  action: ActionSpec;
  sharedLayers: number[];
  piLayers: number[];
  vfLayers: number[];
  activation: 'tanh' | 'relu';
  useSde: boolean;
}

/** One tensor's place in the flat buffer. */
export interface ParamSlot {
  name: string;
  rows: number;
  cols: number;
  offset: number;
  size: number;
}

export interface Linear {
  w: ParamSlot;
  b: ParamSlot;
}

export interface Layout {
  spec: ModelSpec;
  slots: ParamSlot[];
  size: number;
  trunk: Linear[];
  pi: Linear[];
  vf: Linear[];
  actionHead: Linear;
  valueHead: Linear;
  /** Gaussian log-std vector [1, dim] or gSDE log-std matrix [latentPi, dim]; absent for discrete. */
  logStd: ParamSlot | null;
  /** Width of the policy latent (input of the action head; the gSDE features). */
  latentPi: number;
  /** Width of the action head output: n logits or the mean's dim. */
  headDim: number;
}

export function buildLayout(spec: ModelSpec): Layout {
  const slots: ParamSlot[] = [];
  let offset = 0;
  const slot = (name: string, rows: number, cols: number): ParamSlot => {
    const s = { name, rows, cols, offset, size: rows * cols };
    offset += s.size;
    slots.push(s);
    return s;
  };
  const linear = (name: string, inDim: number, outDim: number): Linear => ({
    w: slot(`${name}.w`, inDim, outDim),
    b: slot(`${name}.b`, 1, outDim),
  });
  const stack = (name: string, inDim: number, sizes: number[]): { layers: Linear[]; out: number } => {
    const layers: Linear[] = [];
    let d = inDim;
    sizes.forEach((size, i) => {
      layers.push(linear(`${name}.${i}`, d, size));
      d = size;
    });
    return { layers, out: d };
  };
  const trunk = stack('trunk', spec.obsDim, spec.sharedLayers);
  const pi = stack('pi', trunk.out, spec.piLayers);
  const vf = stack('vf', trunk.out, spec.vfLayers);
  const headDim = spec.action.kind === 'discrete' ? spec.action.n : spec.action.dim;
  const actionHead = linear('action', pi.out, headDim);
  const valueHead = linear('value', vf.out, 1);
  let logStd: ParamSlot | null = null;
  if (spec.action.kind === 'box') logStd = spec.useSde ? slot('logStd', pi.out, headDim) : slot('logStd', 1, headDim);
  return {
    spec,
    slots,
    size: offset,
    trunk: trunk.layers,
    pi: pi.layers,
    vf: vf.layers,
    actionHead,
    valueHead,
    logStd,
    latentPi: pi.out,
    headDim,
  };
}

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
