/**
 * tfjs backend selection for the trainer process. `tf.setBackend` can resolve false and silently leave another
 * backend active, so the reported backend is always `tf.getBackend()` after the switch.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'tfjs-node' | 'wasm' | 'cpu';

const require = createRequire(import.meta.url);

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'tfjs-node') {
      // Optional dependency: absent where libtensorflow could not be downloaded. It registers backend 'tensorflow'.
      await import('@tensorflow/tfjs-node' as string);
      return (await tf.setBackend('tensorflow')) && tf.getBackend() === 'tensorflow';
    }
    if (name === 'wasm') {
      // Single-threaded SIMD binary: multi-threaded wasm does not work under Node.
      setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + '/');
      return (await tf.setBackend('wasm')) && tf.getBackend() === 'wasm';
    }
    return (await tf.setBackend('cpu')) && tf.getBackend() === 'cpu';
  } catch {
    return false;
  }
}

/** Activates the requested backend (or, for `auto`, the first that works) and reports the one really active. */
export async function initBackend(
  requested: 'auto' | BackendName,
): Promise<{ backend: string; calibration?: Record<string, number> }> {
  const order: BackendName[] = requested === 'auto' ? ['tfjs-node', 'wasm', 'cpu'] : [requested];
  for (const name of order) {
    if (await tryBackend(name)) return { backend: tf.getBackend() };
  }
  throw new Error(`tfjs backend ${requested} is not available (active: ${tf.getBackend() ?? 'none'})`);
}
