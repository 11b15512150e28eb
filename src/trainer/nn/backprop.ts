/**
 * The actor-critic's forward and backward passes in tfjs, for the update. Backpropagation is written out
 * (y = act(x·W + b): ∂W = xᵀ·δ, ∂b = 1ᵀ·δ, ∂x = δ·Wᵀ, δ = ∂y ⊙ act'(z)) instead of using tfjs's tape: untaped
 * kernels are cheaper, tfjs-core's gradient registry is not needed, and the kernel count per pass stays small,
 * which is what costs on these small networks (tfjs pays a fixed overhead per kernel).
 *
 * Kernel-saving bookkeeping (exact algebra, done on the host when the weights are uploaded):
 * - tanh(z) = 2σ(2z) − 1, so a tanh layer keeps only s = σ(2z) on the device and the next layer absorbs the affine
 *   map: h·W + b = s·(2W) + (b − 1ᵀW). Backward, 1 − h² = 4s(1 − s), the 4 rides on the uploaded Wᵀ, and
 *   ∂W = hᵀδ = 2·sᵀδ − 1 ⊗ ∂b.
 * - Biases ride in the matmul: every layer input carries a trailing column of ones (appended on the host for the
 *   observations; produced by an extra output unit with zero weights and a saturating bias for hidden layers), so
 *   y = [x, 1]·[W; b] and one matmul [x, 1]ᵀ·δ yields both ∂W and ∂b.
 * Per hidden layer: matMul + activation forward; δ, one transpose and one or two matmuls backward.
 *
 * Usage: `networkForward` → read `head`/`values`/`latentPi` → compute ∂L/∂head and ∂L/∂values on the host →
 * `backward` → `dispose`. A pass may compute only one of the heads (`paths`: TRPO's policy step and critic), and its
 * cached activations also give the policy head's Jacobian products (`policyLinearization`, nn/linearization.ts).
 * On tfjs-node, a pass of both heads on a network without a shared trunk and with policy and value MLPs of one depth
 * (every zoo preset's) runs as one joint network of the two (nn/fused-pass.ts: the same arithmetic in a third of
 * the kernels, at twice the FLOPs in the middle layers — a win where each kernel costs ≈ 17 µs of dispatch, a loss
 * on wasm and cpu, whose time is arithmetic). The code below is that pass's reference and runs everything else.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layout, Linear } from './actor-critic';
import { fusable, fusedForward } from './fused-pass';
import { createPolicyLinearization, type PolicyLinearization } from './linearization';

type Activation = 'tanh' | 'relu' | 'linear';

/** What the forward pass keeps of one layer for the backward pass (and nn/linearization.ts). */
export interface LayerCache {
  /** The layer's device input [B, in + 1]: raw x or s = σ(2z) of a preceding tanh layer (`inputIsSigmoid`), and 1. */
  input: tf.Tensor2D;
  /** Transposed input [in + 1, B] (uploaded from the host for the observations). */
  inputT: tf.Tensor2D | null;
  /** The device output: s for tanh, relu(z), or z for linear; hidden layers carry the trailing ones column. */
  output: tf.Tensor2D;
  inputIsSigmoid: boolean;
  activation: Activation;
  /** Output width on the device (out + 1 for hidden layers, out for heads). */
  width: number;
}

/** Which of the two heads a pass computes (the trunk whenever either does). */
export interface NetworkPaths {
  policy: boolean;
  value: boolean;
}

export const BOTH_PATHS: Readonly<NetworkPaths> = Object.freeze({ policy: true, value: true });
export const POLICY_PATH: Readonly<NetworkPaths> = Object.freeze({ policy: true, value: false });
export const VALUE_PATH: Readonly<NetworkPaths> = Object.freeze({ policy: false, value: true });

export interface NetworkPass {
  /** [B, headDim] (empty without the policy path) */
  head: Float32Array;
  /** [B] (empty without the value path) */
  values: Float32Array;
  /** [B, latentPi] (gSDE only; empty otherwise) */
  latentPi: Float32Array;
  /**
   * Computes ∂L/∂θ for the weights of the computed paths into `grad` (the log-std slot and the slots of a path not
   * computed are left untouched; `dHead` / `dValues` of a path not computed are not read).
   */
  backward(dHead: Float32Array, dValues: Float32Array, grad: Float32Array): void;
  /**
   * The policy head's derivatives w.r.t. the parameters at this pass (forward- and reverse-mode products, for
   * Fisher-vector products): made on first call from the pass's cached activations, released by `dispose`.
   * Needs the policy path.
   */
  policyLinearization(): PolicyLinearization;
  /** Releases the pass's tensors. */
  dispose(): void;
}

/** Host staging buffers per layout and name (reused across passes; every pass disposes its tensors first). */
const staging = new WeakMap<Layout, Map<string, Float32Array>>();

export function networkForward(
  layout: Layout,
  params: Float32Array,
  observations: Float32Array,
  batch: number,
  paths: Readonly<NetworkPaths> = BOTH_PATHS,
): NetworkPass {
  if (paths.policy && paths.value && tf.getBackend() === 'tensorflow' && fusable(layout)) return fusedForward(layout, params, observations, batch);
  return separateForward(layout, params, observations, batch, paths);
}

/** `networkForward` with the policy and value paths as separate layers (the reference of nn/fused-pass.ts). */
export function separateForward(
  layout: Layout,
  params: Float32Array,
  observations: Float32Array,
  batch: number,
  paths: Readonly<NetworkPaths> = BOTH_PATHS,
): NetworkPass {
  let buffers = staging.get(layout);
  if (!buffers) staging.set(layout, (buffers = new Map()));
  const scratch = (name: string, size: number): Float32Array => {
    let b = buffers.get(name);
    if (!b || b.length !== size) buffers.set(name, (b = new Float32Array(size)));
    return b;
  };
  const act = layout.spec.activation;
  const kept: tf.Tensor[] = [];
  const caches = new Map<Linear, LayerCache>();
  const obsDim = layout.spec.obsDim;

  const outputs: { head: tf.Tensor2D | null; values: tf.Tensor2D | null; latentPi: tf.Tensor2D | null } = { head: null, values: null, latentPi: null };
  tf.tidy(() => {
    /**
     * One layer: [input, 1]·[W; b] on the device, with W and b rescaled on the host so that a tanh layer yields
     * s = σ(2z) directly from an input that may itself be in s-form. Hidden layers get one extra output unit that is
     * constantly 1 (zero weights, bias 1e9 → σ = 1, or 1 → relu = 1): the next layer's ones column.
     */
    const dense = (input: tf.Tensor2D, inputT: tf.Tensor2D | null, inputIsSigmoid: boolean, layer: Linear, activation: Activation): tf.Tensor2D => {
      const { w, b } = layer;
      const hidden = activation !== 'linear';
      const width = w.cols + (hidden ? 1 : 0);
      const k = activation === 'tanh' ? 2 : 1;
      const wScale = k * (inputIsSigmoid ? 2 : 1);
      const wAug = scratch(w.name, (w.rows + 1) * width);
      const biasRow = w.rows * width;
      for (let c = 0; c < w.cols; c++) wAug[biasRow + c] = params[b.offset + c];
      for (let r = 0; r < w.rows; r++) {
        const row = w.offset + r * w.cols;
        for (let c = 0; c < w.cols; c++) {
          wAug[r * width + c] = wScale * params[row + c];
          if (inputIsSigmoid) wAug[biasRow + c] -= params[row + c]; // b − 1ᵀW
        }
        if (hidden) wAug[r * width + w.cols] = 0;
      }
      if (k !== 1) for (let c = 0; c < w.cols; c++) wAug[biasRow + c] *= k;
      if (hidden) wAug[biasRow + w.cols] = activation === 'tanh' ? 1e9 : 1;
      const pre = tf.matMul(input, tf.tensor2d(wAug, [w.rows + 1, width]));
      const output = (activation === 'tanh' ? tf.sigmoid(pre) : activation === 'relu' ? tf.relu(pre) : pre) as tf.Tensor2D;
      caches.set(layer, { input, inputT, output, inputIsSigmoid, activation, width });
      kept.push(tf.keep(input), tf.keep(output));
      if (inputT) kept.push(tf.keep(inputT));
      return output;
    };
    const stack = (input: tf.Tensor2D, inputT: tf.Tensor2D | null, inputIsSigmoid: boolean, layers: Linear[]): [tf.Tensor2D, tf.Tensor2D | null, boolean] => {
      let x = input;
      let xT = inputT;
      let isSigmoid = inputIsSigmoid;
      for (const layer of layers) {
        x = dense(x, xT, isSigmoid, layer, act);
        xT = null;
        isSigmoid = act === 'tanh';
      }
      return [x, xT, isSigmoid];
    };
    // Observations with the ones column, and their transpose, built on the host.
    const obsAug = scratch('obs', batch * (obsDim + 1));
    const obsAugT = scratch('obsᵀ', batch * (obsDim + 1));
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < obsDim; j++) {
        obsAug[r * (obsDim + 1) + j] = observations[r * obsDim + j];
        obsAugT[j * batch + r] = observations[r * obsDim + j];
      }
      obsAug[r * (obsDim + 1) + obsDim] = 1;
      obsAugT[obsDim * batch + r] = 1;
    }
    const obs = tf.tensor2d(obsAug, [batch, obsDim + 1]);
    const obsT = tf.tensor2d(obsAugT, [obsDim + 1, batch]);
    const [trunk, trunkT, trunkSig] = stack(obs, obsT, false, layout.trunk);
    if (paths.policy) {
      const [p, pT, pSig] = stack(trunk, trunkT, trunkSig, layout.pi);
      outputs.head = tf.keep(dense(p, pT, pSig, layout.actionHead, 'linear'));
      outputs.latentPi = tf.keep(p);
    }
    if (paths.value) {
      const [v, vT, vSig] = stack(trunk, trunkT, trunkSig, layout.vf);
      outputs.values = tf.keep(dense(v, vT, vSig, layout.valueHead, 'linear'));
    }
  });

  const read = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;
  let latentPi = new Float32Array(0);
  if (layout.spec.useSde && outputs.latentPi) {
    // Only gSDE needs the policy features on the host: drop the ones column and undo the s-form (h = 2s − 1).
    const raw = read(outputs.latentPi);
    const head = caches.get(layout.actionHead)!;
    const inWidth = layout.latentPi + 1;
    latentPi = new Float32Array(batch * layout.latentPi);
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < layout.latentPi; j++) {
        const x = raw[r * inWidth + j];
        latentPi[r * layout.latentPi + j] = head.inputIsSigmoid ? 2 * x - 1 : x;
      }
    }
  }
  let linearization: PolicyLinearization | null = null;
  const pass: NetworkPass = {
    head: outputs.head ? read(outputs.head) : new Float32Array(0),
    values: outputs.values ? read(outputs.values) : new Float32Array(0),
    latentPi,
    backward(dHead, dValues, grad) {
      const pending: { layer: Linear; m: tf.Tensor }[] = [];
      tf.tidy(() => {
        /**
         * Backward through one layer. `dOut` [B, width] is ∂L/∂y for linear/relu layers and 4·∂L/∂h for tanh layers
         * (the 4 of 1 − h² = 4s(1 − s) comes with the returned input gradient); its ones-column entry is 0.
         * Returns ∂L/∂input [B, in + 1] (×4 when the input is a tanh layer's s), or null when not needed.
         */
        const back = (layer: Linear, dOut: tf.Tensor2D, needInput: boolean): tf.Tensor2D | null => {
          const c = caches.get(layer)!;
          let delta = dOut;
          if (c.activation === 'tanh') delta = tf.mul(dOut, tf.mul(c.output, tf.sub(1, c.output))) as tf.Tensor2D;
          else if (c.activation === 'relu') delta = tf.mul(dOut, tf.step(c.output)) as tf.Tensor2D;
          // [x, 1]ᵀ·δ holds ∂W (first rows) and ∂b (last row). Explicit transpose: tfjs-wasm's matmul with
          // transpose flags is several times slower.
          pending.push({ layer, m: tf.keep(tf.matMul(c.inputT ?? tf.transpose(c.input), delta)) });
          if (!needInput) return null;
          // ∂input = δ·Wᵀ with Wᵀ built on the host: rows for this layer's units (plus a zero row for its ones
          // unit), columns for the input units (plus a zero column for the input's ones column); ×4 for s-form.
          const { w } = layer;
          const scale = c.inputIsSigmoid ? 4 : 1;
          const wT = scratch(`${w.name}ᵀ`, c.width * (w.rows + 1));
          wT.fill(0);
          for (let i = 0; i < w.rows; i++) {
            const row = w.offset + i * w.cols;
            for (let j = 0; j < w.cols; j++) wT[j * (w.rows + 1) + i] = scale * params[row + j];
          }
          return tf.matMul(delta, tf.tensor2d(wT, [c.width, w.rows + 1])) as tf.Tensor2D;
        };
        const backStack = (layers: Linear[], dOut: tf.Tensor2D, needInput: boolean): tf.Tensor2D | null => {
          let d: tf.Tensor2D | null = dOut;
          for (let i = layers.length - 1; i >= 0 && d; i--) d = back(layers[i], d, i > 0 || needInput);
          return d;
        };
        const hasTrunk = layout.trunk.length > 0;
        let dPiIn: tf.Tensor2D | null = null;
        let dVfIn: tf.Tensor2D | null = null;
        if (paths.policy) {
          const dLatentPi = back(layout.actionHead, tf.tensor2d(dHead, [batch, layout.headDim]), layout.pi.length > 0 || hasTrunk);
          dPiIn = dLatentPi && layout.pi.length > 0 ? backStack(layout.pi, dLatentPi, hasTrunk) : dLatentPi;
        }
        if (paths.value) {
          const dLatentVf = back(layout.valueHead, tf.tensor2d(dValues, [batch, 1]), layout.vf.length > 0 || hasTrunk);
          dVfIn = dLatentVf && layout.vf.length > 0 ? backStack(layout.vf, dLatentVf, hasTrunk) : dLatentVf;
        }
        const dTrunkOut = dPiIn && dVfIn ? (tf.add(dPiIn, dVfIn) as tf.Tensor2D) : (dPiIn ?? dVfIn);
        if (hasTrunk && dTrunkOut) backStack(layout.trunk, dTrunkOut, false);
      });
      // Read each layer's [∂W; ∂b] into its slots; for inputs in s-form, ∂W = 2·sᵀδ − 1 ⊗ ∂b.
      for (const { layer, m } of pending) {
        const values = m.dataSync() as Float32Array;
        const { w, b } = layer;
        const c = caches.get(layer)!;
        const biasRow = w.rows * c.width;
        for (let j = 0; j < w.cols; j++) grad[b.offset + j] = values[biasRow + j];
        for (let i = 0; i < w.rows; i++) {
          for (let j = 0; j < w.cols; j++) {
            const v = values[i * c.width + j];
            grad[w.offset + i * w.cols + j] = c.inputIsSigmoid ? 2 * v - values[biasRow + j] : v;
          }
        }
        m.dispose();
      }
    },
    policyLinearization() {
      if (!paths.policy) throw new Error('policyLinearization: the pass has no policy path');
      linearization ??= createPolicyLinearization(layout, params, caches, batch);
      return linearization;
    },
    dispose() {
      linearization?.dispose();
      tf.dispose(kept);
      for (const t of [outputs.head, outputs.values, outputs.latentPi]) if (t) t.dispose();
    },
  };
  return pass;
}
