import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { describeBackendFailures } from '../../src/core/protocol/trainer';
import { defaultWorkload, initBackend, PROBE_TOLERANCE, type NativeModule } from '../../src/trainer/tf-backend';

/**
 * `auto` with a tfjs-node that is broken in the ways seen in the field, simulated in-process by a backend registered
 * under tfjs-node's name ('tensorflow') whose kernels are the cpu backend's, altered.
 */
function fakeNative(kernelFor: (config: tf.KernelConfig) => tf.KernelFunc): NativeModule {
  return {
    installed: () => true,
    load: async () => {
      tf.registerBackend('tensorflow', () => new MathBackendCPU(), 0);
      for (const config of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...config, backendName: 'tensorflow', kernelFunc: kernelFor(config) });
    },
  };
}

/** tfjs-node 4.22.0 under Node >= 23, unpatched: the module loads, setBackend succeeds, every op throws. */
const throwsOnEveryOp = fakeNative(() => () => {
  throw new TypeError('(0 , util_1.isNullOrUndefined) is not a function');
});

/** A build that runs but computes wrong numbers: its sigmoid (which the networks' tanh is made of) is a relu. */
const wrongSigmoid = fakeNative((config) => {
  if (config.kernelName !== 'Sigmoid') return config.kernelFunc;
  const relu = tf.getKernel('Relu', 'cpu')!.kernelFunc;
  return (args) => relu(args);
});

function removeFakeNative(): void {
  if (!tf.findBackend('tensorflow')) return;
  for (const config of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(config.kernelName, 'tensorflow');
  tf.removeBackend('tensorflow');
}

afterEach(removeFakeNative);

describe('auto proves a backend before using it', () => {
  it('falls back when tfjs-node throws on its first op, and keeps the real error', async () => {
    const selection = await initBackend('auto', defaultWorkload(), { native: throwsOnEveryOp, reps: 3 });
    expect(['wasm', 'cpu']).toContain(selection.backend);
    expect(tf.getBackend()).toBe(selection.backend);
    expect(selection.checks.map((c) => [c.backend, c.status])).toEqual([['tfjs-node', 'failed'], ['wasm', 'ok'], ['cpu', 'ok']]);
    expect(selection.checks[0].error).toBe('(0 , util_1.isNullOrUndefined) is not a function');
    expect(Object.keys(selection.calibration!).sort()).toEqual(['cpu', 'wasm']);
    expect(describeBackendFailures(selection.checks)).toEqual([
      'tfjs backend tfjs-node failed its check and was not used: (0 , util_1.isNullOrUndefined) is not a function',
    ]);
  });

  it('falls back when tfjs-node computes a wrong gradient', async () => {
    const selection = await initBackend('auto', defaultWorkload(), { native: wrongSigmoid, reps: 3 });
    expect(selection.backend).not.toBe('tfjs-node');
    const native = selection.checks[0];
    expect(native.status).toBe('failed');
    expect(native.relError).toBeGreaterThan(PROBE_TOLERANCE);
    expect(native.error).toMatch(/gradient differs from the cpu backend's by [\d.e+-]+ \(relative norm; tolerance 0\.001\)/);
  });

  it('reports an import that fails (a missing or mismatched binding) with its message', async () => {
    const missingBinding: NativeModule = {
      installed: () => true,
      load: () => Promise.reject(new Error('Cannot find module \'/x/tfjs-node/lib/napi-v8/tfjs_binding.node\'')),
    };
    const selection = await initBackend('auto', defaultWorkload(), { native: missingBinding, reps: 3 });
    expect(selection.checks[0]).toEqual({ backend: 'tfjs-node', status: 'failed', error: "Cannot find module '/x/tfjs-node/lib/napi-v8/tfjs_binding.node'" });
    expect(['wasm', 'cpu']).toContain(selection.backend);
  });

  it('treats an absent tfjs-node as absent, not failed: nothing to warn about', async () => {
    const absent: NativeModule = { installed: () => false, load: () => Promise.reject(new Error('must not be imported')) };
    const selection = await initBackend('auto', defaultWorkload(), { native: absent, reps: 3 });
    expect(selection.checks[0]).toEqual({ backend: 'tfjs-node', status: 'absent', error: '@tensorflow/tfjs-node is not installed' });
    expect(describeBackendFailures(selection.checks)).toEqual([]);
  });

  it('fails a forced tfjs-node that fails its check, with the real error', async () => {
    await expect(initBackend('tfjs-node', defaultWorkload(), { native: throwsOnEveryOp })).rejects.toThrow(
      'tfjs backend tfjs-node failed: (0 , util_1.isNullOrUndefined) is not a function',
    );
    removeFakeNative();
    await expect(initBackend('tfjs-node', defaultWorkload(), { native: wrongSigmoid })).rejects.toThrow(/tfjs backend tfjs-node failed: its gradient differs/);
  });

  it('checks a forced backend too, and reports its gradient error', async () => {
    const selection = await initBackend('wasm', defaultWorkload());
    expect(selection.backend).toBe('wasm');
    expect(selection.checks).toHaveLength(1);
    expect(selection.checks[0].status).toBe('ok');
    expect(selection.checks[0].relError).toBeLessThan(PROBE_TOLERANCE);
    expect(selection.checks[0].relError).toBeGreaterThan(0); // a different kernel, not the reference itself
  });
});
