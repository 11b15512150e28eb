/**
 * The update's network pass with the policy and value MLPs side by side as one network: at each depth the two layers
 * are one matrix, the policy's block and the critic's block on its diagonal (the first depth's both read every
 * observation column), so a depth is one matMul of [B, in] by [in, out] for both members. The arithmetic is
 * nn/backprop.ts's, layer for layer, with the same host-built weights (s-form tanh layers, biases in a ones column,
 * one ones unit shared by both members) — only the number of kernels changes: for the zoo presets' 64-64 networks
 * 5 forward and 7 backward on tfjs-node (36 as two separate paths), 8 uploads (22) and 4 readbacks (8). On these
 * small networks each kernel and readback costs a fixed dispatch, not arithmetic (issue 19).
 *
 * The zero off-diagonal blocks double the FLOPs of the middle depths, yet on tfjs-node a 2-D [256, 130]·[130, 130]
 * product takes the time of the batched 2 × [256, 65]·[65, 65] one, and the narrow products (first depth, heads)
 * take half of their batched form's (bench speed; measured on 2 cores, 2026-12-02). On wasm and cpu, whose time is
 * arithmetic, the doubled FLOPs cost more than the kernels saved, so `networkForward` uses this pass on tfjs-node only.
 * Needs no shared trunk and pi and vf of the same depth (`fusable`); nn/backprop.ts runs the other passes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layout, Linear } from './actor-critic';
import type { NetworkPass } from './backprop';
import { matMulTransposeA, sigmoidGrad } from './kernels';

/** Whether `fusedForward` can run this network: no shared trunk, policy and value MLPs of the same depth. */
export function fusable(layout: Layout): boolean {
  return layout.trunk.length === 0 && layout.pi.length === layout.vf.length;
}

/** One depth of the joint network: both members' layers, where each sits in the joint matrix, the device widths. */
interface Depth {
  layers: [Linear, Linear];
  /** Each member's first input row and first output column in the joint [in, out] matrix. */
  inOffsets: [number, number];
  outOffsets: [number, number];
  /** Device input width (the ones column included) and output width (the ones unit included for hidden depths). */
  inWidth: number;
  outWidth: number;
  hidden: boolean;
  /** The input is a tanh layer's s = σ(2z) (not the observations, not relu). */
  inputIsSigmoid: boolean;
}

function depthsOf(layout: Layout): Depth[] {
  const act = layout.spec.activation;
  const members: [Linear[], Linear[]] = [[...layout.pi, layout.actionHead], [...layout.vf, layout.valueHead]];
  const depths: Depth[] = [];
  let inWidth = layout.spec.obsDim + 1;
  // Both members read every observation column; deeper, each reads its own block of the previous depth's units.
  let inOffsets: [number, number] = [0, 0];
  for (let d = 0; d < members[0].length; d++) {
    const layers: [Linear, Linear] = [members[0][d], members[1][d]];
    const hidden = d < layout.pi.length;
    const outOffsets: [number, number] = [0, layers[0].w.cols];
    const outWidth = layers[0].w.cols + layers[1].w.cols + (hidden ? 1 : 0);
    depths.push({ layers, inOffsets, outOffsets, inWidth, outWidth, hidden, inputIsSigmoid: d > 0 && act === 'tanh' });
    inWidth = outWidth;
    inOffsets = outOffsets;
  }
  return depths;
}

const depthCache = new WeakMap<Layout, Depth[]>();
/** Host staging buffers per layout and name (reused across passes). */
const staging = new WeakMap<Layout, Map<string, Float32Array>>();

/** The pass of `networkForward` (nn/backprop.ts) for both paths of a `fusable` network. */
export function fusedForward(layout: Layout, params: Float32Array, observations: Float32Array, batch: number): NetworkPass {
  let depths = depthCache.get(layout);
  if (!depths) depthCache.set(layout, (depths = depthsOf(layout)));
  let buffers = staging.get(layout);
  if (!buffers) staging.set(layout, (buffers = new Map()));
  const scratch = (name: string, size: number): Float32Array => {
    let b = buffers.get(name);
    if (!b || b.length !== size) buffers.set(name, (b = new Float32Array(size)));
    return b.fill(0);
  };
  const act = layout.spec.activation;
  const obsDim = layout.spec.obsDim;
  const inputs: tf.Tensor[] = [];
  const outputs: tf.Tensor[] = [];

  /**
   * The joint [W; b] of one depth, [in, out] with each member's block at its offsets (zero elsewhere), rescaled as
   * nn/backprop.ts's `dense` does (same float32 operations in the same order): a tanh layer yields s = σ(2z) from an
   * input that may be in s-form; a hidden depth's last unit is the constant 1 (bias 1e9 → σ = 1, or 1 → relu = 1).
   */
  const forwardWeights = (d: number, depth: Depth): Float32Array => {
    const { inWidth: inW, outWidth: outW } = depth;
    const wAug = scratch(`w${d}`, inW * outW);
    const k = depth.hidden && act === 'tanh' ? 2 : 1;
    const wScale = k * (depth.inputIsSigmoid ? 2 : 1);
    const biasRow = (inW - 1) * outW;
    depth.layers.forEach(({ w, b }, m) => {
      const bias = biasRow + depth.outOffsets[m];
      const first = depth.inOffsets[m] * outW + depth.outOffsets[m];
      for (let c = 0; c < w.cols; c++) wAug[bias + c] = params[b.offset + c];
      for (let r = 0; r < w.rows; r++) {
        const row = w.offset + r * w.cols;
        for (let c = 0; c < w.cols; c++) {
          wAug[first + r * outW + c] = wScale * params[row + c];
          if (depth.inputIsSigmoid) wAug[bias + c] -= params[row + c]; // b − 1ᵀW
        }
      }
      if (k !== 1) for (let c = 0; c < w.cols; c++) wAug[bias + c] *= k;
    });
    if (depth.hidden) wAug[biasRow + outW - 1] = act === 'tanh' ? 1e9 : 1;
    return wAug;
  };

  // Observations with the ones column, and their transpose (the first depth's ∂W), built on the host.
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
  const obsT = tf.tensor2d(obsAugT, [obsDim + 1, batch]);
  inputs.push(obsT);
  const head = tf.tidy(() => {
    let x: tf.Tensor = tf.tensor2d(obsAug, [batch, obsDim + 1]);
    depths.forEach((depth, d) => {
      inputs.push(tf.keep(x));
      const pre = tf.matMul(x, tf.tensor2d(forwardWeights(d, depth), [depth.inWidth, depth.outWidth]));
      x = !depth.hidden ? pre : act === 'tanh' ? tf.sigmoid(pre) : tf.relu(pre);
      outputs.push(tf.keep(x));
    });
    return x;
  });

  // One readback for both heads: [B, headDim + 1], the policy head's columns, then V.
  const headWidth = layout.headDim + 1;
  const both = head.dataSync() as Float32Array;
  const headOut = new Float32Array(batch * layout.headDim);
  const values = new Float32Array(batch);
  for (let r = 0; r < batch; r++) {
    for (let j = 0; j < layout.headDim; j++) headOut[r * layout.headDim + j] = both[r * headWidth + j];
    values[r] = both[r * headWidth + layout.headDim];
  }

  let latentPi = new Float32Array(0);
  if (layout.spec.useSde) {
    // gSDE needs the policy features on the host: the policy's block of the last hidden output (or the
    // observations), s-form undone (h = 2s − 1).
    const features = inputs[inputs.length - 1];
    const raw = features.dataSync() as Float32Array;
    const width = features.shape[features.shape.length - 1];
    const sForm = depths[depths.length - 1].inputIsSigmoid;
    latentPi = new Float32Array(batch * layout.latentPi);
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < layout.latentPi; j++) {
        const x = raw[r * width + j];
        latentPi[r * layout.latentPi + j] = sForm ? 2 * x - 1 : x;
      }
    }
  }

  return {
    head: headOut,
    values,
    latentPi,
    backward(dHead, dValues, grad) {
      const dOut = scratch('dOut', batch * headWidth);
      for (let r = 0; r < batch; r++) {
        for (let j = 0; j < layout.headDim; j++) dOut[r * headWidth + j] = dHead[r * layout.headDim + j];
        dOut[r * headWidth + layout.headDim] = dValues[r];
      }
      const dW = tf.tidy(() => {
        const kept: tf.Tensor[] = [];
        let dY: tf.Tensor = tf.tensor2d(dOut, [batch, headWidth]);
        for (let d = depths.length - 1; d >= 0; d--) {
          const depth = depths[d];
          // δ = ∂L/∂z: dY is ∂L/∂y for linear/relu layers and 4·∂L/∂h for tanh layers (1 − h² = 4s(1 − s)).
          const output = outputs[d];
          const delta = !depth.hidden ? dY : act === 'tanh' ? sigmoidGrad(output, dY) : tf.mul(dY, tf.step(output));
          // [x, 1]ᵀ·δ holds ∂W and ∂b (last row) of both members in their blocks (the other blocks are not read).
          kept.push(tf.keep(d === 0 ? tf.matMul(obsT, delta) : matMulTransposeA(inputs[d + 1], delta)));
          if (d === 0) break;
          // ∂input = δ·Wᵀ with Wᵀ built on the host (zero row for the ones unit, zero column for the input's ones
          // column; ×4 for an s-form input).
          const { inWidth: inW, outWidth: outW } = depth;
          const wT = scratch(`w${d}ᵀ`, outW * inW);
          const scale = depth.inputIsSigmoid ? 4 : 1;
          depth.layers.forEach(({ w }, m) => {
            const first = depth.outOffsets[m] * inW + depth.inOffsets[m];
            for (let i = 0; i < w.rows; i++) {
              const row = w.offset + i * w.cols;
              for (let j = 0; j < w.cols; j++) wT[first + j * inW + i] = scale * params[row + j];
            }
          });
          dY = tf.matMul(delta, tf.tensor2d(wT, [outW, inW]));
        }
        return kept.reverse();
      });
      // Read each depth's [∂W; ∂b] into both members' slots; for inputs in s-form, ∂W = 2·sᵀδ − 1 ⊗ ∂b.
      dW.forEach((m, d) => {
        const values = m.dataSync() as Float32Array;
        const { inWidth: inW, outWidth: outW, inputIsSigmoid, inOffsets, outOffsets } = depths[d];
        const biasRow = (inW - 1) * outW;
        depths[d].layers.forEach(({ w, b }, member) => {
          const bias = biasRow + outOffsets[member];
          const first = inOffsets[member] * outW + outOffsets[member];
          for (let j = 0; j < w.cols; j++) grad[b.offset + j] = values[bias + j];
          for (let i = 0; i < w.rows; i++) {
            for (let j = 0; j < w.cols; j++) {
              const v = values[first + i * outW + j];
              grad[w.offset + i * w.cols + j] = inputIsSigmoid ? 2 * v - values[bias + j] : v;
            }
          }
        });
      });
      tf.dispose(dW);
    },
    policyLinearization() {
      throw new Error('policyLinearization: a fused pass keeps no per-path caches (networkForward with POLICY_PATH does)');
    },
    dispose() {
      tf.dispose([...inputs, ...outputs]);
    },
  };
}
