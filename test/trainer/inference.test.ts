import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayout, forwardJs, initParams, type ModelSpec } from '../../src/trainer/nn/actor-critic';
import { networkForward } from '../../src/trainer/nn/backprop';
import { loadInference } from '../../src/trainer/nn/inference';
import { createPrng } from '../../src/trainer/nn/prng';
import { initBackend } from '../../src/trainer/tf-backend';
import { describeOnBackends } from '../support/backends';

const box = (dim: number) => ({ kind: 'box' as const, dim, low: new Float32Array(dim).fill(-1), high: new Float32Array(dim).fill(1) });

/** Every layout the trainer builds: separate or shared trunk, no hidden layers, categorical, Gaussian, gSDE, tanh / ReLU. */
const LAYOUTS: [string, ModelSpec][] = [];
for (const activation of ['tanh', 'relu'] as const) {
  const base = { obsDim: 4, sharedLayers: [] as number[], piLayers: [64, 64], vfLayers: [64, 64], activation, useSde: false };
  LAYOUTS.push(
    [`${activation} separate 64-64, categorical`, { ...base, action: { kind: 'discrete', n: 2 } }],
    [`${activation} separate 64-64, Gaussian`, { ...base, obsDim: 3, action: box(1) }],
    [`${activation} separate 64-64, gSDE`, { ...base, obsDim: 3, action: box(2), useSde: true }],
    [`${activation} shared 16 + 8 / 12, gSDE`, { ...base, obsDim: 3, sharedLayers: [16], piLayers: [8], vfLayers: [12], action: box(2), useSde: true }],
    [`${activation} shared 3×32 trunk only, categorical`, { ...base, obsDim: 6, sharedLayers: [32, 32, 32], piLayers: [], vfLayers: [], action: { kind: 'discrete', n: 3 } }],
    [`${activation} no hidden layers, Gaussian`, { ...base, piLayers: [], vfLayers: [], action: box(2) }],
  );
}

/** Random weights (not the orthogonal init: heads at gain 0.01 would make the comparison easy) and observations. */
function fixture(spec: ModelSpec, batch: number, seed: number) {
  const layout = buildLayout(spec);
  const prng = createPrng(seed);
  const params = initParams(layout, false, -0.5, prng);
  for (let i = 0; i < params.length; i++) params[i] *= 1 + prng.random();
  const obs = new Float32Array(batch * spec.obsDim).map(() => 2 * prng.normal());
  return { layout, params, obs };
}

describe('loadInference (rollout forward)', () => {
  it.each(LAYOUTS)('gives forwardJs bit for bit: %s', (_name, spec) => {
    for (const batch of [1, 3, 8, 13]) {
      const { layout, params, obs } = fixture(spec, batch, batch);
      const reference = forwardJs(layout, params, obs, batch);
      const fast = loadInference(layout, params).forward(obs, batch);
      expect(Array.from(fast.head)).toEqual(Array.from(reference.head));
      expect(Array.from(fast.values)).toEqual(Array.from(reference.values));
      expect(Array.from(fast.latentPi)).toEqual(Array.from(reference.latentPi));
    }
  });

  it('gives each observation the value forwardJs gives it, and value() leaves forward()\'s results alone', () => {
    const { layout, params, obs } = fixture(LAYOUTS[3][1], 5, 7);
    const inference = loadInference(layout, params);
    const forward = inference.forward(obs, 5);
    const values = Array.from(forward.values);
    for (let r = 0; r < 5; r++) {
      const row = obs.subarray(r * 3, (r + 1) * 3);
      expect(inference.value(row)).toBe(forwardJs(layout, params, row, 1).values[0]);
    }
    expect(Array.from(forward.values)).toEqual(values);
  });

  it('keeps the weights it read: a later change of params shows only after loading again', () => {
    const { layout, params, obs } = fixture(LAYOUTS[0][1], 4, 3);
    const inference = loadInference(layout, params);
    const before = Array.from(inference.forward(obs, 4).head);
    params[layout.actionHead.b.offset] += 1;
    expect(Array.from(inference.forward(obs, 4).head)).toEqual(before);
    const moved = loadInference(layout, params).forward(obs, 4).head;
    expect(moved[0]).toBeCloseTo(before[0] + 1, 5);
  });
});

describeOnBackends('loadInference against the tfjs forward of the update', (backend) => {
  beforeAll(async () => {
    expect((await initBackend(backend)).backend).toBe(backend);
  });

  it.each(LAYOUTS)('agrees within 1e-5 relative: %s', (_name, spec) => {
    const batch = 10;
    const { layout, params, obs } = fixture(spec, batch, 11);
    const fast = loadInference(layout, params).forward(obs, batch);
    const pass = networkForward(layout, params, obs, batch);
    const close = (got: Float32Array, want: Float32Array): void => {
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i])));
    };
    close(fast.head, pass.head);
    close(fast.values, pass.values);
    if (spec.useSde) close(fast.latentPi, pass.latentPi);
    pass.dispose();
  });
});
