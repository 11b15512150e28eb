/**
 * The two device operations of the update's backward pass that cost more than one kernel on some backend, each as
 * one named helper: the sigmoid's chain rule and the product with a transposed left factor. The composite forms are
 * the reference (the arithmetic nn/backprop.ts has always done); the fast forms compute the same values to float32
 * round-off in fewer kernels where the backend offers them. On these small networks each kernel costs a fixed
 * dispatch (≈ 17 µs on tfjs-node), which is what the update pays for (issue 19).
 */
import * as tf from '@tensorflow/tfjs-core';

/** The kernel registered on tfjs-node for TensorFlow's own SigmoidGrad op. */
const SIGMOID_GRAD = 'ProximaSigmoidGrad';

/** What the kernel needs of tfjs-node's backend object (NodeJSKernelBackend). */
interface NativeBackend {
  binding: { TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: { name: string; type: number; value: number }[], inputs: tf.TensorInfo[]): tf.TensorInfo;
}

/** Whether the active backend is tfjs-node's (not merely a backend registered under its name, as tests do). */
function nativeActive(): boolean {
  if (tf.getBackend() !== 'tensorflow') return false;
  const backend = tf.backend() as unknown as Partial<NativeBackend>;
  return typeof backend.executeSingleOutput === 'function' && backend.binding !== undefined;
}

/** Registers SIGMOID_GRAD for the 'tensorflow' backend: TensorFlow's SigmoidGrad(y, dy) = dy·y·(1 − y), one op. */
function registerNativeSigmoidGrad(): void {
  if (tf.getKernel(SIGMOID_GRAD, 'tensorflow')) return;
  tf.registerKernel({
    kernelName: SIGMOID_GRAD,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, backend }) => {
      const native = backend as unknown as NativeBackend;
      const type = [{ name: 'T', type: native.binding.TF_ATTR_TYPE, value: native.binding.TF_FLOAT }];
      return native.executeSingleOutput('SigmoidGrad', type, [inputs['y'] as tf.TensorInfo, inputs['dy'] as tf.TensorInfo]);
    },
  });
}

/**
 * dOut ⊙ s ⊙ (1 − s) for a sigmoid output `s`: the gradient at σ's input given the gradient `dOut` at its output.
 * One TensorFlow op on tfjs-node, three kernels (and a scalar) elsewhere.
 */
export function sigmoidGrad<T extends tf.Tensor>(s: T, dOut: T): T {
  if (nativeActive()) {
    registerNativeSigmoidGrad();
    return tf.engine().runKernel(SIGMOID_GRAD, { y: s, dy: dOut }) as T;
  }
  return tf.mul(dOut, tf.mul(s, tf.sub(1, s)));
}

/**
 * aᵀ·b over the last two axes (batched; a [..., k, m], b [..., k, n] → [..., m, n]). tfjs-wasm's matmul with a
 * transpose flag is several times slower than an explicit transpose and a plain product; the other backends take
 * the flag.
 */
export function matMulTransposeA<T extends tf.Tensor>(a: T, b: T): T {
  if (tf.getBackend() === 'wasm') {
    const perm = a.shape.map((_, i) => i);
    [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
    return tf.matMul(tf.transpose(a, perm), b) as T;
  }
  return tf.matMul(a, b, true, false) as T;
}
