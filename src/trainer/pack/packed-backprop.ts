/**
 * The actor-critic's forward and backward passes for M members of a pack at once: nn/backprop.ts's pass with a
 * leading member dimension. Each member's weights are uploaded as one slice of a [M, in + 1, out] tensor and every
 * layer is one batched `tf.matMul` ([M, B, in + 1]·[M, in + 1, out]), so a pack pays each kernel's fixed cost once
 * instead of M times; member m's slice of every tensor holds exactly the numbers its solo pass would.
 *
 * The algebra is nn/backprop.ts's, op for op, so a member's gradient equals its solo gradient within float32
 * round-off (test/trainer/pack/packed-update.test.ts): tanh layers keep s = σ(2z) (the next layer absorbs
 * h = 2s − 1 into its weights, 1 − h² = 4s(1 − s) rides on the uploaded Wᵀ), and biases ride in the matmul through
 * a trailing ones column. See nn/backprop.ts for the derivation. TRPO's linearization is not offered here.
 *
 * Whether batching pays depends on the backend's batched matMul (`batchedPassPays`): tfjs-node's runs each member's
 * product at about its 2-D speed, tfjs-wasm's takes a slow path for a batch dimension > 1 (measured on the CartPole
 * zoo pass, 256 rows: 10.7 ms per member batched against 2.0 ms per solo pass). Where it does not pay, a pack runs
 * each member's solo minibatch gradient instead (pack/packed-update.ts).
 *
 * Usage: `packedNetworkForward` → read each member's `heads[m]` / `values[m]` / `latentPi[m]` → compute ∂L/∂head and
 * ∂L/∂values per member on the host → `backward` → `dispose`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layout, Linear } from '../nn/actor-critic';

type Activation = 'tanh' | 'relu' | 'linear';

/** What the forward pass keeps of one layer for the backward pass. */
interface LayerCache {
  /** [M, B, in + 1] */
  input: tf.Tensor3D;
  /** [M, in + 1, B] (uploaded from the host for the observations), or null. */
  inputT: tf.Tensor3D | null;
  /** [M, B, width] */
  output: tf.Tensor3D;
  inputIsSigmoid: boolean;
  activation: Activation;
  width: number;
}

export interface PackedPass {
  /** Members in the pass. */
  readonly members: number;
  /** Per member: [B, headDim] logits or means (views of one buffer). */
  readonly heads: Float32Array[];
  /** Per member: [B] values. */
  readonly values: Float32Array[];
  /** Per member: [B, latentPi] policy features (gSDE only; empty otherwise). */
  readonly latentPi: Float32Array[];
  /**
   * Writes each member's ∂L/∂θ for the network weights into `grads[m]` (the log-std slot is left untouched) from its
   * ∂L/∂head `dHeads[m]` [B, headDim] and ∂L/∂V `dValues[m]` [B].
   */
  backward(dHeads: readonly Float32Array[], dValues: readonly Float32Array[], grads: readonly Float32Array[]): void;
  dispose(): void;
}

/**
 * [w.rows + 1, width] augmented weights of one member's layer into `out` at `offset` (nn/backprop.ts `dense`): the
 * s-form rescaling, the bias row, and for hidden layers the constant ones unit.
 */
function augmentedWeights(params: Float32Array, layer: Linear, activation: Activation, inputIsSigmoid: boolean, out: Float32Array, offset: number): void {
  const { w, b } = layer;
  const hidden = activation !== 'linear';
  const width = w.cols + (hidden ? 1 : 0);
  const k = activation === 'tanh' ? 2 : 1;
  const wScale = k * (inputIsSigmoid ? 2 : 1);
  const biasRow = offset + w.rows * width;
  for (let c = 0; c < w.cols; c++) out[biasRow + c] = params[b.offset + c];
  for (let r = 0; r < w.rows; r++) {
    const row = w.offset + r * w.cols;
    for (let c = 0; c < w.cols; c++) {
      out[offset + r * width + c] = wScale * params[row + c];
      if (inputIsSigmoid) out[biasRow + c] -= params[row + c]; // b − 1ᵀW
    }
    if (hidden) out[offset + r * width + w.cols] = 0;
  }
  if (k !== 1) for (let c = 0; c < w.cols; c++) out[biasRow + c] *= k;
  if (hidden) out[biasRow + w.cols] = activation === 'tanh' ? 1e9 : 1;
}

/** One member's [width, w.rows + 1] backward weights Wᵀ (×4 for an s-form input) into `out` at `offset`. */
function transposedWeights(params: Float32Array, layer: Linear, width: number, inputIsSigmoid: boolean, out: Float32Array, offset: number): void {
  const { w } = layer;
  const scale = inputIsSigmoid ? 4 : 1;
  out.fill(0, offset, offset + width * (w.rows + 1));
  for (let i = 0; i < w.rows; i++) {
    const row = w.offset + i * w.cols;
    for (let j = 0; j < w.cols; j++) out[offset + j * (w.rows + 1) + i] = scale * params[row + j];
  }
}

/**
 * The forward pass of M members (`params[m]`, all of `layout`) on `batch` rows each (`observations[m]`
 * [batch, obsDim]).
 */
export function packedNetworkForward(layout: Layout, params: readonly Float32Array[], observations: readonly Float32Array[], batch: number): PackedPass {
  const members = params.length;
  if (observations.length !== members) throw new Error(`packedNetworkForward: ${members} parameter sets, ${observations.length} observation sets`);
  const act = layout.spec.activation;
  const obsDim = layout.spec.obsDim;
  const kept: tf.Tensor[] = [];
  const caches = new Map<Linear, LayerCache>();
  const outputs: { head: tf.Tensor3D | null; values: tf.Tensor3D | null; latentPi: tf.Tensor3D | null } = { head: null, values: null, latentPi: null };

  tf.tidy(() => {
    const dense = (input: tf.Tensor3D, inputT: tf.Tensor3D | null, inputIsSigmoid: boolean, layer: Linear, activation: Activation): tf.Tensor3D => {
      const { w } = layer;
      const width = w.cols + (activation !== 'linear' ? 1 : 0);
      const per = (w.rows + 1) * width;
      const wAug = new Float32Array(members * per);
      for (let m = 0; m < members; m++) augmentedWeights(params[m], layer, activation, inputIsSigmoid, wAug, m * per);
      const pre = tf.matMul(input, tf.tensor3d(wAug, [members, w.rows + 1, width]));
      const output = (activation === 'tanh' ? tf.sigmoid(pre) : activation === 'relu' ? tf.relu(pre) : pre) as tf.Tensor3D;
      caches.set(layer, { input, inputT, output, inputIsSigmoid, activation, width });
      kept.push(tf.keep(input), tf.keep(output));
      if (inputT) kept.push(tf.keep(inputT));
      return output;
    };
    const stack = (input: tf.Tensor3D, inputT: tf.Tensor3D | null, inputIsSigmoid: boolean, layers: Linear[]): [tf.Tensor3D, tf.Tensor3D | null, boolean] => {
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
    const rowWidth = obsDim + 1;
    const obsAug = new Float32Array(members * batch * rowWidth);
    const obsAugT = new Float32Array(members * batch * rowWidth);
    for (let m = 0; m < members; m++) {
      const obs = observations[m];
      const base = m * batch * rowWidth;
      for (let r = 0; r < batch; r++) {
        for (let j = 0; j < obsDim; j++) {
          obsAug[base + r * rowWidth + j] = obs[r * obsDim + j];
          obsAugT[base + j * batch + r] = obs[r * obsDim + j];
        }
        obsAug[base + r * rowWidth + obsDim] = 1;
        obsAugT[base + obsDim * batch + r] = 1;
      }
    }
    const obs = tf.tensor3d(obsAug, [members, batch, rowWidth]);
    const obsT = tf.tensor3d(obsAugT, [members, rowWidth, batch]);
    const [trunk, trunkT, trunkSig] = stack(obs, obsT, false, layout.trunk);
    const [p, pT, pSig] = stack(trunk, trunkT, trunkSig, layout.pi);
    outputs.head = tf.keep(dense(p, pT, pSig, layout.actionHead, 'linear'));
    outputs.latentPi = tf.keep(p);
    const [v, vT, vSig] = stack(trunk, trunkT, trunkSig, layout.vf);
    outputs.values = tf.keep(dense(v, vT, vSig, layout.valueHead, 'linear'));
  });

  const headAll = outputs.head!.dataSync() as Float32Array;
  const valuesAll = outputs.values!.dataSync() as Float32Array;
  const headDim = layout.headDim;
  const heads = Array.from({ length: members }, (_, m) => headAll.subarray(m * batch * headDim, (m + 1) * batch * headDim));
  const values = Array.from({ length: members }, (_, m) => valuesAll.subarray(m * batch, (m + 1) * batch));
  const latentPi = Array.from({ length: members }, () => new Float32Array(0));
  if (layout.spec.useSde) {
    // Only gSDE needs the policy features on the host: drop the ones column and undo the s-form (h = 2s − 1).
    const raw = outputs.latentPi!.dataSync() as Float32Array;
    const sigmoid = caches.get(layout.actionHead)!.inputIsSigmoid;
    const inWidth = layout.latentPi + 1;
    for (let m = 0; m < members; m++) {
      const out = (latentPi[m] = new Float32Array(batch * layout.latentPi));
      const base = m * batch * inWidth;
      for (let r = 0; r < batch; r++) {
        for (let j = 0; j < layout.latentPi; j++) {
          const x = raw[base + r * inWidth + j];
          out[r * layout.latentPi + j] = sigmoid ? 2 * x - 1 : x;
        }
      }
    }
  }

  return {
    members,
    heads,
    values,
    latentPi,
    backward(dHeads, dValues, grads) {
      const pending: { layer: Linear; m: tf.Tensor }[] = [];
      tf.tidy(() => {
        // nn/backprop.ts `back`: dOut is ∂L/∂y (linear/relu) or 4·∂L/∂h (tanh); returns ∂L/∂input or null.
        const back = (layer: Linear, dOut: tf.Tensor3D, needInput: boolean): tf.Tensor3D | null => {
          const c = caches.get(layer)!;
          let delta = dOut;
          if (c.activation === 'tanh') delta = tf.mul(dOut, tf.mul(c.output, tf.sub(1, c.output))) as tf.Tensor3D;
          else if (c.activation === 'relu') delta = tf.mul(dOut, tf.step(c.output)) as tf.Tensor3D;
          pending.push({ layer, m: tf.keep(tf.matMul(c.inputT ?? tf.transpose(c.input, [0, 2, 1]), delta)) });
          if (!needInput) return null;
          const per = c.width * (layer.w.rows + 1);
          const wT = new Float32Array(members * per);
          for (let m = 0; m < members; m++) transposedWeights(params[m], layer, c.width, c.inputIsSigmoid, wT, m * per);
          return tf.matMul(delta, tf.tensor3d(wT, [members, c.width, layer.w.rows + 1])) as tf.Tensor3D;
        };
        const backStack = (layers: Linear[], dOut: tf.Tensor3D, needInput: boolean): tf.Tensor3D | null => {
          let d: tf.Tensor3D | null = dOut;
          for (let i = layers.length - 1; i >= 0 && d; i--) d = back(layers[i], d, i > 0 || needInput);
          return d;
        };
        const stacked = (parts: readonly Float32Array[], width: number): tf.Tensor3D => {
          const all = new Float32Array(members * batch * width);
          for (let m = 0; m < members; m++) all.set(parts[m].subarray(0, batch * width), m * batch * width);
          return tf.tensor3d(all, [members, batch, width]);
        };
        const hasTrunk = layout.trunk.length > 0;
        const dLatentPi = back(layout.actionHead, stacked(dHeads, headDim), layout.pi.length > 0 || hasTrunk);
        const dPiIn = dLatentPi && layout.pi.length > 0 ? backStack(layout.pi, dLatentPi, hasTrunk) : dLatentPi;
        const dLatentVf = back(layout.valueHead, stacked(dValues, 1), layout.vf.length > 0 || hasTrunk);
        const dVfIn = dLatentVf && layout.vf.length > 0 ? backStack(layout.vf, dLatentVf, hasTrunk) : dLatentVf;
        const dTrunkOut = dPiIn && dVfIn ? (tf.add(dPiIn, dVfIn) as tf.Tensor3D) : (dPiIn ?? dVfIn);
        if (hasTrunk && dTrunkOut) backStack(layout.trunk, dTrunkOut, false);
      });
      // Each member's [∂W; ∂b] into its slots; for inputs in s-form, ∂W = 2·sᵀδ − 1 ⊗ ∂b.
      for (const { layer, m: tensor } of pending) {
        const all = tensor.dataSync() as Float32Array;
        const { w, b } = layer;
        const c = caches.get(layer)!;
        const per = (w.rows + 1) * c.width;
        for (let m = 0; m < members; m++) {
          const values = all.subarray(m * per, (m + 1) * per);
          const grad = grads[m];
          const biasRow = w.rows * c.width;
          for (let j = 0; j < w.cols; j++) grad[b.offset + j] = values[biasRow + j];
          for (let i = 0; i < w.rows; i++) {
            for (let j = 0; j < w.cols; j++) {
              const v = values[i * c.width + j];
              grad[w.offset + i * w.cols + j] = c.inputIsSigmoid ? 2 * v - values[biasRow + j] : v;
            }
          }
        }
        tensor.dispose();
      }
    },
    dispose() {
      tf.dispose(kept);
      for (const t of [outputs.head, outputs.values, outputs.latentPi]) if (t) t.dispose();
    },
  };
}

/**
 * Whether the active backend's batched matMul makes `packedNetworkForward` cheaper than M solo passes: true except on
 * tfjs-wasm (its BatchMatMul with a batch dimension > 1 is ≈ 5× slower per member than M 2-D products).
 */
export function batchedPassPays(backend: string = tf.getBackend()): boolean {
  return backend !== 'wasm';
}
