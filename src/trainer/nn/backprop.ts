/**
 * The actor-critic's forward and backward passes in tfjs, for the update. Backpropagation is written out
 * (y = act(x·W + b): ∂W = xᵀ·δ, ∂b = Σ_rows δ, ∂x = δ·Wᵀ, δ = ∂y ⊙ act'(y)) instead of using tfjs's tape:
 * untaped ops are cheaper, the op count stays small (one split, two or three matmuls per layer), and tfjs-core's
 * gradient registry is not needed.
 *
 * Usage: `forward` → read `head`/`values`/`latentPi` → compute ∂L/∂head and ∂L/∂values on the host → `backward`
 * → `dispose`. Everything is created under tf.tidy and released by `dispose`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layout, Linear } from './actor-critic';

interface LayerCache {
  layer: Linear;
  input: tf.Tensor2D;
  output: tf.Tensor2D;
}

export interface NetworkPass {
  /** [B, headDim] */
  head: Float32Array;
  /** [B] */
  values: Float32Array;
  /** [B, latentPi] (gSDE only; empty otherwise) */
  latentPi: Float32Array;
  /** Computes ∂L/∂θ for all network weights into `grad` (the log-std slot is left untouched). */
  backward(dHead: Float32Array, dValues: Float32Array, grad: Float32Array): void;
  /** Releases the pass's tensors. */
  dispose(): void;
}

export function networkForward(layout: Layout, params: Float32Array, observations: Float32Array, batch: number): NetworkPass {
  const act = layout.spec.activation;
  const kept: tf.Tensor[] = [];
  const caches = new Map<Linear, LayerCache>();

  const outputs = tf.tidy(() => {
    // Each weight and bias is uploaded straight from its slice of the flat buffer (cheaper than split + reshape ops),
    // scaled by `scale` on the host when asked (exact in floating point for a factor of 2).
    const upload = (slot: Linear['w'], scale: number): Float32Array => {
      const values = params.subarray(slot.offset, slot.offset + slot.size);
      return scale === 1 ? values : values.map((x) => x * scale);
    };
    const dense = (input: tf.Tensor2D, layer: Linear, activation: 'tanh' | 'relu' | 'linear'): tf.Tensor2D => {
      // tanh(z) = 2·σ(2z) − 1, with 2z = x·(2W) + 2b: tfjs-wasm's Tanh kernel is several times slower than Sigmoid.
      const scale = activation === 'tanh' ? 2 : 1;
      const w = tf.tensor2d(upload(layer.w, scale), [layer.w.rows, layer.w.cols]);
      // matMul + add rather than fused.matMul with a bias: faster on tfjs-wasm for these shapes.
      const pre = tf.add(tf.matMul(input, w), tf.tensor1d(upload(layer.b, scale))) as tf.Tensor2D;
      let output = pre;
      if (activation === 'tanh') output = tf.sub(tf.mul(tf.sigmoid(pre), 2), 1) as tf.Tensor2D;
      else if (activation === 'relu') output = tf.relu(pre) as tf.Tensor2D;
      caches.set(layer, { layer, input, output });
      kept.push(tf.keep(input), tf.keep(output));
      return output;
    };
    const obs = tf.tensor2d(observations.subarray(0, batch * layout.spec.obsDim), [batch, layout.spec.obsDim]);
    let h = obs;
    for (const layer of layout.trunk) h = dense(h, layer, act);
    let p = h;
    for (const layer of layout.pi) p = dense(p, layer, act);
    let v = h;
    for (const layer of layout.vf) v = dense(v, layer, act);
    const head = dense(p, layout.actionHead, 'linear');
    const values = dense(v, layout.valueHead, 'linear');
    return { head, values, latentPi: p };
  });
  // `kept` holds the intermediates the backward pass needs (tf.keep'd inside the tidy) until dispose().

  const read = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;
  const pass: NetworkPass = {
    head: read(outputs.head),
    values: read(outputs.values),
    // Only gSDE needs the policy features on the host.
    latentPi: layout.spec.useSde ? read(outputs.latentPi) : new Float32Array(0),
    backward(dHead, dValues, grad) {
      const flat = tf.tidy(() => {
        const grads = new Map<Linear, { dw: tf.Tensor; db: tf.Tensor }>();
        const onesRow = tf.ones([1, batch]) as tf.Tensor2D;
        /** Backward through one layer given ∂L/∂output; returns ∂L/∂input (null when not needed). */
        const back = (layer: Linear, dOut: tf.Tensor2D, activation: 'tanh' | 'relu' | 'linear', needInput: boolean): tf.Tensor2D | null => {
          const c = caches.get(layer)!;
          let delta: tf.Tensor2D = dOut;
          if (activation === 'tanh') delta = tf.mul(dOut, tf.sub(1, tf.square(c.output))) as tf.Tensor2D;
          else if (activation === 'relu') delta = tf.mul(dOut, tf.step(c.output)) as tf.Tensor2D;
          // Explicit transposes: tfjs-wasm's matmul with transpose flags is several times slower than transpose + matmul.
          // Bias gradient Σ_rows δ as 1ᵀ·δ: a matmul is faster than a column reduction on tfjs-wasm.
          grads.set(layer, { dw: tf.matMul(tf.transpose(c.input), delta), db: tf.reshape(tf.matMul(onesRow, delta), [-1]) });
          if (!needInput) return null;
          // ∂x = δ·Wᵀ with Wᵀ transposed on the host and uploaded (cheaper than a device transpose).
          const { w } = layer;
          const wT = new Float32Array(w.size);
          for (let i = 0; i < w.rows; i++) for (let j = 0; j < w.cols; j++) wT[j * w.rows + i] = params[w.offset + i * w.cols + j];
          return tf.matMul(delta, tf.tensor2d(wT, [w.cols, w.rows])) as tf.Tensor2D;
        };
        const backStack = (layers: Linear[], dOut: tf.Tensor2D, needInput: boolean): tf.Tensor2D | null => {
          let d: tf.Tensor2D | null = dOut;
          for (let i = layers.length - 1; i >= 0 && d; i--) d = back(layers[i], d, act, i > 0 || needInput);
          return d;
        };
        const hasTrunk = layout.trunk.length > 0;
        const dLatentPi: tf.Tensor2D | null = back(layout.actionHead, tf.tensor2d(dHead, [batch, layout.headDim]), 'linear', layout.pi.length > 0 || hasTrunk);
        const dLatentVf = back(layout.valueHead, tf.tensor2d(dValues, [batch, 1]), 'linear', layout.vf.length > 0 || hasTrunk);
        const dPiIn = dLatentPi && layout.pi.length > 0 ? backStack(layout.pi, dLatentPi, hasTrunk) : dLatentPi;
        const dVfIn = dLatentVf && layout.vf.length > 0 ? backStack(layout.vf, dLatentVf, hasTrunk) : dLatentVf;
        if (hasTrunk && dPiIn && dVfIn) backStack(layout.trunk, tf.add(dPiIn, dVfIn), false);
        // Flatten in slot order (the log-std slot, last in the layout, is not a network weight).
        const parts: tf.Tensor[] = [];
        for (const layer of [...layout.trunk, ...layout.pi, ...layout.vf, layout.actionHead, layout.valueHead]) {
          const g = grads.get(layer)!;
          parts.push(tf.reshape(g.dw, [-1]), g.db);
        }
        return tf.concat(parts);
      });
      grad.set(flat.dataSync() as Float32Array, 0);
      flat.dispose();
    },
    dispose() {
      tf.dispose(kept);
      tf.dispose([outputs.head, outputs.values, outputs.latentPi]);
    },
  };
  return pass;
}
