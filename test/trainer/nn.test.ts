import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adamStep, createAdamState } from '../../src/trainer/nn/adam';
import { buildLayout, forwardJs, initParams, orthogonalInit, valueSaturated, type Linear, type ModelSpec } from '../../src/trainer/nn/actor-critic';
import { networkForward } from '../../src/trainer/nn/backprop';
import { createPrng, prngFromState } from '../../src/trainer/nn/prng';
import { initBackend } from '../../src/trainer/tf-backend';
import { describeOnBackends } from '../support/backends';

describe('orthogonal init', () => {
  it.each([[6, 4], [4, 6], [5, 5]])('gives a %i×%i matrix with orthonormal rows/columns times the gain', (rows, cols) => {
    const w = new Float32Array(rows * cols);
    orthogonalInit(rows, cols, 2, createPrng(3), w, 0);
    const n = Math.min(rows, cols);
    // WᵀW (rows ≥ cols) or WWᵀ (rows < cols) = gain² · I
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let k = 0; k < Math.max(rows, cols); k++) {
          dot += rows >= cols ? w[k * cols + i] * w[k * cols + j] : w[i * cols + k] * w[j * cols + k];
        }
        expect(dot).toBeCloseTo(i === j ? 4 : 0, 4);
      }
    }
  });

  it('uses gains √2 hidden, 0.01 policy head, 1 value head, zero biases, log-std init', () => {
    const layout = buildLayout({ obsDim: 4, action: { kind: 'box', dim: 1, low: new Float32Array([-1]), high: new Float32Array([1]) }, sharedLayers: [], piLayers: [8], vfLayers: [8], activation: 'tanh', useSde: false });
    const params = initParams(layout, true, -0.5, createPrng(0));
    const norm = (slot: { offset: number; size: number }) => Math.sqrt(params.subarray(slot.offset, slot.offset + slot.size).reduce((a, b) => a + b * b, 0));
    // A k-column orthogonal matrix scaled by g has Frobenius norm g·√k.
    expect(norm(layout.pi[0].w)).toBeCloseTo(Math.SQRT2 * 2, 4);
    expect(norm(layout.actionHead.w)).toBeCloseTo(0.01, 5);
    expect(norm(layout.valueHead.w)).toBeCloseTo(1, 4);
    expect(norm(layout.pi[0].b)).toBe(0);
    expect(Array.from(params.subarray(layout.logStd!.offset, layout.logStd!.offset + 1))).toEqual([-0.5]);
  });
});

describeOnBackends('tfjs forward', (backend) => {
  beforeAll(async () => {
    expect((await initBackend(backend)).backend).toBe(backend);
  });

  it.each(['tanh', 'relu'] as const)('matches the JS forward (%s, shared trunk + heads, gSDE features)', (activation) => {
    const box = { kind: 'box' as const, dim: 2, low: new Float32Array([-1, -1]), high: new Float32Array([1, 1]) };
    const layout = buildLayout({ obsDim: 3, action: box, sharedLayers: [16], piLayers: [8], vfLayers: [12], activation, useSde: true });
    const prng = createPrng(1);
    const params = initParams(layout, true, 0, prng);
    const obs = new Float32Array(10 * 3).map(() => prng.normal());
    const js = forwardJs(layout, params, obs, 10);
    const pass = networkForward(layout, params, obs, 10);
    for (let i = 0; i < js.head.length; i++) expect(pass.head[i]).toBeCloseTo(js.head[i], 5);
    for (let i = 0; i < js.values.length; i++) expect(pass.values[i]).toBeCloseTo(js.values[i], 5);
    expect(pass.latentPi.length).toBe(10 * 8);
    for (let i = 0; i < js.latentPi.length; i++) expect(pass.latentPi[i]).toBeCloseTo(js.latentPi[i], 5);
    pass.dispose();
  });

  it('leaks no tensors across forward/backward passes', () => {
    const layout = buildLayout({ obsDim: 4, action: { kind: 'discrete', n: 2 }, sharedLayers: [], piLayers: [64, 64], vfLayers: [64, 64], activation: 'tanh', useSde: false });
    const params = initParams(layout, true, 0, createPrng(2));
    const grad = new Float32Array(layout.size);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const pass = networkForward(layout, params, new Float32Array(32 * 4).fill(0.1), 32);
      pass.backward(new Float32Array(64).fill(0.01), new Float32Array(32).fill(0.01), grad);
      pass.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('adamStep', () => {
  it('follows torch.optim.Adam with clip_grad_norm_', () => {
    const params = Float32Array.from([1, -2]);
    const state = createAdamState(2);
    // ‖g‖ = 5 > 0.5: scaled by 0.5 / (5 + 1e-6).
    const norm = adamStep(params, [3, 4], state, 0.1, 0.5, 1e-5);
    expect(norm).toBeCloseTo(5, 10);
    // First step: m̂ = g, v̂ = g², update = lr · g / (|g| + ε) ≈ lr · sign(g).
    expect(params[0]).toBeCloseTo(1 - 0.1 * (0.3 / (0.3 + 1e-5)), 5);
    expect(params[1]).toBeCloseTo(-2 - 0.1 * (0.4 / (0.4 + 1e-5)), 5);
    expect(state.t).toBe(1);
    adamStep(params, [0, 0], state, 0.1, null, 1e-5);
    // Second step with zero gradient still moves by the momentum: m = 0.9·m1.
    expect(state.m[0]).toBeCloseTo(0.9 * 0.1 * 0.3, 6);
  });

  it('uses the ε it is given in the denominator', () => {
    const small = Float32Array.from([0]);
    const large = Float32Array.from([0]);
    adamStep(small, [1e-4], createAdamState(1), 0.1, null, 1e-8);
    adamStep(large, [1e-4], createAdamState(1), 0.1, null, 1e-4);
    expect(small[0]).toBeCloseTo(-0.1 * (1e-4 / (1e-4 + 1e-8)), 7);
    expect(large[0]).toBeCloseTo(-0.1 * 0.5, 7);
  });
});

describe('prng', () => {
  it('is deterministic and restorable from its state', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const xs = Array.from({ length: 5 }, () => a.normal());
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(xs);
    a.normal();
    const c = prngFromState(a.state());
    expect(c.random()).toBe(a.random());
    expect(c.normal()).toBe(a.normal());
    expect(createPrng(43).random()).not.toBe(createPrng(42).random());
  });
});

describe('valueSaturated (a critic that gives the states around one the same value)', () => {
  const spec = (overrides: Partial<ModelSpec> = {}): ModelSpec => ({
    obsDim: 3, action: { kind: 'box', dim: 1, low: new Float32Array([-2]), high: new Float32Array([2]) },
    sharedLayers: [], piLayers: [64, 64], vfLayers: [64, 64], activation: 'tanh', useSde: false, ...overrides,
  });
  const obs = Float32Array.from([0.6, -0.8, 1.5]);
  const other = Float32Array.from([0.9, 0.4, -1.0]);
  /** Multiplies one layer's weights in place. */
  const scale = (params: Float32Array, layer: Linear, factor: number): void => {
    for (let i = layer.w.offset; i < layer.w.offset + layer.w.size; i++) params[i] *= factor;
  };
  /**
   * Pushes every unit of a layer to ±1 whatever its input, through biases of ±20: what a large unnormalized value
   * target does to a tanh critic over training (Pendulum, SB3 defaults: the second value layer ends all at ±1).
   */
  const collapse = (params: Float32Array, layer: Linear): void => {
    for (let c = 0; c < layer.b.size; c++) params[layer.b.offset + c] = c % 2 === 0 ? 20 : -20;
  };
  const value = (layout: ReturnType<typeof buildLayout>, params: Float32Array, x: Float32Array): number => forwardJs(layout, params, x, 1).values[0]!;

  it('is false for a freshly initialized critic, whose V(s) moves with the state', () => {
    const layout = buildLayout(spec());
    const params = initParams(layout, true, 0, createPrng(0));
    expect(valueSaturated(layout, params, obs)).toBe(false);
    expect(Math.abs(value(layout, params, obs) - value(layout, params, other))).toBeGreaterThan(0.1);
  });

  it('is true when every tanh unit of a value layer is at ±1, and V(s) is then one number for every state', () => {
    const layout = buildLayout(spec());
    const params = initParams(layout, true, 0, createPrng(0));
    collapse(params, layout.vf[1]!);
    expect(valueSaturated(layout, params, obs)).toBe(true);
    expect(valueSaturated(layout, params, other)).toBe(true);
    expect(Math.abs(value(layout, params, obs) - value(layout, params, other))).toBeLessThan(1e-6);
  });

  it('is false when only some units are saturated, or only the policy network is', () => {
    const layout = buildLayout(spec());
    const params = initParams(layout, true, 0, createPrng(0));
    scale(params, layout.pi[1]!, 1000);
    expect(valueSaturated(layout, params, obs)).toBe(false);
    // One column of the value layer pushed far: that unit saturates, the others do not.
    const { w } = layout.vf[1]!;
    for (let k = 0; k < w.rows; k++) params[w.offset + k * w.cols] *= 1000;
    expect(valueSaturated(layout, params, obs)).toBe(false);
  });

  it('counts a shared trunk, and a ReLU layer whose units are all off', () => {
    const shared = buildLayout(spec({ sharedLayers: [32], piLayers: [], vfLayers: [] }));
    const params = initParams(shared, true, 0, createPrng(1));
    expect(valueSaturated(shared, params, obs)).toBe(false);
    collapse(params, shared.trunk[0]!);
    expect(valueSaturated(shared, params, obs)).toBe(true);

    const relu = buildLayout(spec({ activation: 'relu' }));
    const reluParams = initParams(relu, true, 0, createPrng(2));
    expect(valueSaturated(relu, reluParams, obs)).toBe(false);
    const { b } = relu.vf[0]!;
    reluParams.fill(-100, b.offset, b.offset + b.size);
    expect(valueSaturated(relu, reluParams, obs)).toBe(true);
  });

  it('is false for a network with no hidden layers', () => {
    const layout = buildLayout(spec({ piLayers: [], vfLayers: [] }));
    expect(valueSaturated(layout, initParams(layout, true, 0, createPrng(0)), obs)).toBe(false);
  });
});
