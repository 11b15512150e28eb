/**
 * The policy head's linearization at one forward pass (nn/backprop.ts): the Jacobian J = ∂head/∂θ of the policy path
 * (trunk → policy MLP → action head) applied forward to a parameter tangent (JVP, forward-mode differentiation) and
 * backward to a head cotangent (VJP, its transpose). Together with the action distribution's Fisher metric M they
 * give Fisher-vector products Jᵀ·M·J·v, the Hessian of the mean KL at the pass's parameters, which TRPO's conjugate
 * gradient needs a dozen times per update at the same parameters (Martens 2014, "New insights and perspectives on the
 * natural gradient method", §9: the Gauss–Newton/Fisher product by one forward and one backward sweep).
 *
 * Everything that does not depend on the tangent is made once, on first use, and reused by every product: the
 * activations' derivatives act'(z), the layer inputs' transposes, the weights in true units. A product then costs, per
 * layer, one upload of the tangent's weights, two matmuls and an add (ẋ·W + [x, 1]·[Ẇ; ḃ]; concatenating [ẋ, x]
 * for one matmul is slower: tfjs-wasm concatenates in JS) and one multiply forward; one multiply and two matmuls
 * backward.
 *
 * Device layouts follow nn/backprop.ts: each layer input carries a trailing ones column; a tanh layer stores
 * s = σ(2z) (h = 2s − 1), so act'(z) = 1 − h² = 4s(1 − s), and a tangent of x·W + b at an s-form input is
 * s·(2Ẇ) + (ḃ − 1ᵀẆ). Tangents and cotangents on the device are in true units (h, not s) and carry a zero in the
 * ones column.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layout, Linear } from './actor-critic';
import type { LayerCache } from './backprop';

export interface PolicyLinearization {
  /** J·tangent: the head's tangent [B, headDim] for a parameter tangent in the flat layout (trunk, pi and action-head slots are read). */
  jvp(tangent: ArrayLike<number>): Float32Array;
  /** Jᵀ·dHead for a head cotangent [B, headDim], written into the trunk, pi and action-head slots of `grad` (other slots untouched). */
  vjp(dHead: Float32Array, grad: Float32Array): void;
  /** Releases the kept tensors. */
  dispose(): void;
}

interface LinearizedLayer {
  layer: Linear;
  cache: LayerCache;
  /** act'(z) [B, width] for hidden layers (0 in the ones column for tanh), null for the head. */
  derivative: tf.Tensor2D | null;
  /** The layer input transposed [in + 1, B]. */
  inputT: tf.Tensor2D;
  /** W in true units [in + 1, width] (zero bias row and ones-unit column); null for the first layer (its input has no tangent). */
  weight: tf.Tensor2D | null;
  /** Wᵀ in true units [width, in + 1] (zero row for the ones unit, zero column for the input's ones column); null for the first layer. */
  weightT: tf.Tensor2D | null;
  /** Host staging of the tangent's weights in the input's form, [Ẇ'; ḃ'] [in + 1, width]. */
  staging: Float32Array;
}

export function createPolicyLinearization(
  layout: Layout,
  params: Float32Array,
  caches: ReadonlyMap<Linear, LayerCache>,
  batch: number,
): PolicyLinearization {
  const path = [...layout.trunk, ...layout.pi, layout.actionHead];
  const kept: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    kept.push(tf.keep(t));
    return t;
  };
  const layers: LinearizedLayer[] = [];
  tf.tidy(() => {
    path.forEach((layer, i) => {
      const cache = caches.get(layer);
      if (!cache) throw new Error('policyLinearization: the pass did not compute the policy path');
      const { w } = layer;
      const width = cache.width;
      let derivative: tf.Tensor2D | null = null;
      if (cache.activation === 'tanh') derivative = keep(tf.mul(4, tf.mul(cache.output, tf.sub(1, cache.output))) as tf.Tensor2D);
      else if (cache.activation === 'relu') derivative = keep(tf.step(cache.output) as tf.Tensor2D);
      const inputT = keep(cache.inputT ? tf.clone(cache.inputT) : tf.transpose(cache.input));
      let weight: tf.Tensor2D | null = null;
      let weightT: tf.Tensor2D | null = null;
      if (i > 0) {
        const wTrue = new Float32Array((w.rows + 1) * width);
        const wT = new Float32Array(width * (w.rows + 1));
        for (let r = 0; r < w.rows; r++) {
          for (let c = 0; c < w.cols; c++) {
            const value = params[w.offset + r * w.cols + c];
            wTrue[r * width + c] = value;
            wT[c * (w.rows + 1) + r] = value;
          }
        }
        weight = keep(tf.tensor2d(wTrue, [w.rows + 1, width]));
        weightT = keep(tf.tensor2d(wT, [width, w.rows + 1]));
      }
      layers.push({ layer, cache, derivative, inputT, weight, weightT, staging: new Float32Array((w.rows + 1) * width) });
    });
  });
  const headTangent = new Float32Array(batch * layout.headDim);

  /** Writes the tangent's [Ẇ'; ḃ'] of `l` (in the layer input's form) into its staging rows. */
  const stageTangent = (l: LinearizedLayer, tangent: ArrayLike<number>): Float32Array => {
    const { w, b } = l.layer;
    const width = l.cache.width;
    const scale = l.cache.inputIsSigmoid ? 2 : 1;
    const biasRow = w.rows * width;
    for (let c = 0; c < w.cols; c++) l.staging[biasRow + c] = tangent[b.offset + c];
    for (let r = 0; r < w.rows; r++) {
      for (let c = 0; c < w.cols; c++) {
        const value = tangent[w.offset + r * w.cols + c];
        l.staging[r * width + c] = scale * value;
        if (l.cache.inputIsSigmoid) l.staging[biasRow + c] -= value; // ḃ − 1ᵀẆ
      }
    }
    return l.staging;
  };

  return {
    jvp(tangent) {
      const out = tf.tidy(() => {
        let xDot: tf.Tensor2D | null = null;
        for (const l of layers) {
          const weightDot = tf.tensor2d(stageTangent(l, tangent), [l.layer.w.rows + 1, l.cache.width]);
          // ż = ẋ·W + x·Ẇ + ḃ (the first layer's input has no tangent).
          const fromWeights: tf.Tensor2D = tf.matMul(l.cache.input, weightDot);
          const zDot: tf.Tensor2D = xDot && l.weight ? (tf.add(tf.matMul(xDot, l.weight), fromWeights) as tf.Tensor2D) : fromWeights;
          xDot = l.derivative ? (tf.mul(zDot, l.derivative) as tf.Tensor2D) : zDot;
        }
        return xDot!;
      });
      headTangent.set(out.dataSync() as Float32Array);
      out.dispose();
      return headTangent;
    },
    vjp(dHead, grad) {
      const pending: tf.Tensor2D[] = [];
      tf.tidy(() => {
        let dOut = tf.tensor2d(dHead, [batch, layout.headDim]);
        for (let i = layers.length - 1; i >= 0; i--) {
          const l = layers[i];
          const delta = l.derivative ? (tf.mul(dOut, l.derivative) as tf.Tensor2D) : dOut;
          // [x, 1]ᵀ·δ: ∂W (first rows, in the input's form) and ∂b (last row).
          pending[i] = tf.keep(tf.matMul(l.inputT, delta));
          if (l.weightT) dOut = tf.matMul(delta, l.weightT);
        }
      });
      layers.forEach((l, i) => {
        const values = pending[i].dataSync() as Float32Array;
        pending[i].dispose();
        const { w, b } = l.layer;
        const width = l.cache.width;
        const biasRow = w.rows * width;
        for (let c = 0; c < w.cols; c++) grad[b.offset + c] = values[biasRow + c];
        for (let r = 0; r < w.rows; r++) {
          for (let c = 0; c < w.cols; c++) {
            const v = values[r * width + c];
            // s-form input: ∂W = hᵀδ = 2·sᵀδ − 1 ⊗ ∂b.
            grad[w.offset + r * w.cols + c] = l.cache.inputIsSigmoid ? 2 * v - values[biasRow + c] : v;
          }
        }
      });
    },
    dispose() {
      tf.dispose(kept);
      kept.length = 0;
    },
  };
}
