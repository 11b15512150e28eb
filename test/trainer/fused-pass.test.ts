import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it, vi } from 'vitest';
import { resolvePreset } from '../../src/core/training/presets';
import { parsePpoConfig } from '../../src/core/training/config';
import { buildLayout, initParams, type ModelSpec } from '../../src/trainer/nn/actor-critic';
import { networkForward, separateForward } from '../../src/trainer/nn/backprop';
import type * as Backprop from '../../src/trainer/nn/backprop';
import { fusable, fusedForward } from '../../src/trainer/nn/fused-pass';
import { createPrng } from '../../src/trainer/nn/prng';
import { initBackend } from '../../src/trainer/tf-backend';
import { describeOnBackends, nativeInstalled } from '../support/backends';

const box = (dim: number) => ({ kind: 'box' as const, dim, low: new Float32Array(dim).fill(-2), high: new Float32Array(dim).fill(2) });
const specs: { name: string; spec: ModelSpec }[] = [
  { name: 'CartPole zoo (tanh 64-64, discrete)', spec: { obsDim: 4, action: { kind: 'discrete', n: 2 }, sharedLayers: [], piLayers: [64, 64], vfLayers: [64, 64], activation: 'tanh', useSde: false } },
  { name: 'relu, different widths, Gaussian', spec: { obsDim: 3, action: box(1), sharedLayers: [], piLayers: [64, 32], vfLayers: [16, 64], activation: 'relu', useSde: false } },
  { name: 'tanh, gSDE features', spec: { obsDim: 3, action: box(2), sharedLayers: [], piLayers: [8], vfLayers: [12], activation: 'tanh', useSde: true } },
  { name: 'no hidden layers', spec: { obsDim: 5, action: { kind: 'discrete', n: 3 }, sharedLayers: [], piLayers: [], vfLayers: [], activation: 'tanh', useSde: false } },
];

/** ‖x − y‖ / ‖y‖. */
function relError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(x.length).toBe(y.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (x[i] - y[i]) ** 2;
    den += y[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

describeOnBackends('fused network pass (nn/fused-pass.ts) against the separate paths (nn/backprop.ts)', (backend) => {
  beforeAll(async () => {
    expect((await initBackend(backend)).backend).toBe(backend);
  });

  it.each(specs)('gives the same heads, values, features and gradient within float32 round-off: $name', ({ spec }) => {
    const layout = buildLayout(spec);
    expect(fusable(layout)).toBe(true);
    const prng = createPrng(1);
    const params = initParams(layout, true, -0.5, prng);
    for (let i = 0; i < params.length; i++) params[i] += 0.3 * prng.normal(); // biases and heads away from their init
    const batch = 37;
    const obs = Float32Array.from({ length: batch * spec.obsDim }, () => prng.normal());
    const dHead = Float32Array.from({ length: batch * layout.headDim }, () => prng.normal());
    const dValues = Float32Array.from({ length: batch }, () => prng.normal());
    const run = (forward: typeof networkForward) => {
      const pass = forward(layout, params, obs, batch);
      const grad = new Float32Array(layout.size);
      pass.backward(dHead, dValues, grad);
      const out = { head: pass.head.slice(), values: pass.values.slice(), latentPi: pass.latentPi.slice(), grad };
      pass.dispose();
      return out;
    };
    const tensors = tf.memory().numTensors;
    const fused = run(fusedForward);
    const separate = run(separateForward);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(relError(fused.head, separate.head)).toBeLessThan(1e-5);
    expect(relError(fused.values, separate.values)).toBeLessThan(1e-5);
    expect(relError(fused.latentPi, separate.latentPi)).toBeLessThan(1e-5);
    expect(fused.latentPi.length).toBe(spec.useSde ? batch * layout.latentPi : 0);
    expect(relError(fused.grad, separate.grad)).toBeLessThan(1e-5);
    expect(Math.max(...fused.grad.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('runs the CartPole zoo network in a third of the kernels of the separate paths, and is the pass on tfjs-node only', async () => {
    const layout = buildLayout(specs[0].spec);
    const params = initParams(layout, true, 0, createPrng(2));
    const obs = new Float32Array(64 * 4).map((_, i) => Math.sin(i));
    const kernels = async (forward: typeof networkForward): Promise<number> =>
      (await tf.profile(() => {
        const pass = forward(layout, params, obs, 64);
        pass.backward(new Float32Array(64 * 2).fill(0.1), new Float32Array(64).fill(0.1), new Float32Array(layout.size));
        pass.dispose();
      })).kernels.length;
    expect(await kernels(separateForward)).toBe(36);
    // 3 matMuls and 2 sigmoids forward; 5 matMuls and 2 sigmoid gradients backward (one kernel each on tfjs-node,
    // three elsewhere); wasm transposes explicitly before its 2 products with a transposed left factor.
    expect(await kernels(fusedForward)).toBe(backend === 'tfjs-node' ? 12 : backend === 'wasm' ? 18 : 16);
    expect(await kernels(networkForward)).toBe(backend === 'tfjs-node' ? 12 : 36);
  });
});

it('gives one PPO update the same weights and statistics as the separate paths, within 1e-5', async () => {
  // tfjs-node where installed: its batched matMul and SigmoidGrad round differently from the separate paths' kernels.
  const backend = nativeInstalled ? 'tfjs-node' : 'cpu';
  await initBackend(backend);
  const runUpdate = async () => {
    const { createTrainingState, rolloutContext } = await import('../../src/trainer/ppo/state');
    const { collectRollout } = await import('../../src/trainer/ppo/rollout');
    const { computeAdvantages } = await import('../../src/trainer/ppo/advantages');
    const { update } = await import('../../src/trainer/ppo/update');
    const config = parsePpoConfig(resolvePreset('zoo', 'CartPole-v1', { nEnvs: 4, nSteps: 64, batchSize: 64, nEpochs: 4, backend, seed: 3 }));
    const state = createTrainingState(config);
    collectRollout(rolloutContext(state, () => {}), state.rollout, state.buffer, { kind: 'steps', nSteps: config.nSteps });
    computeAdvantages(config, state.buffer);
    const stats = update(state, { learningRate: 3e-3, clipRange: 0.2, entCoef: 0.01 });
    return { params: Float32Array.from(state.params), stats };
  };
  const fused = await runUpdate();
  vi.resetModules();
  let separatePasses = 0;
  vi.doMock('../../src/trainer/nn/backprop', async (importOriginal) => {
    const original = await importOriginal<typeof Backprop>();
    const networkForward: typeof original.networkForward = (...args) => {
      separatePasses += 1;
      return original.separateForward(...args);
    };
    return { ...original, networkForward };
  });
  const separate = await runUpdate();
  expect(separatePasses).toBe(4 * 4);
  vi.doUnmock('../../src/trainer/nn/backprop');
  vi.resetModules();
  expect(relError(fused.params, separate.params)).toBeLessThan(1e-5);
  for (const key of ['policyLoss', 'valueLoss', 'entropy', 'clipFraction', 'ratioMean', 'gradNorm', 'ratioMax', 'loss', 'approxKl'] as const) {
    expect(Math.abs(fused.stats[key] - separate.stats[key])).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(separate.stats[key]), 1e-3));
  }
  expect(fused.stats.epochsDone).toBe(separate.stats.epochsDone);
});
