import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC } from '../../../src/core/metrics/keys';
import { resolvePreset } from '../../../src/core/training/presets';
import { a2cLearner } from '../../../src/trainer/a2c/learner';
import { forwardJs } from '../../../src/trainer/nn/actor-critic';
import { createPrng } from '../../../src/trainer/nn/prng';
import { createTrainingState, rolloutContext } from '../../../src/trainer/ppo/state';
import { initBackend } from '../../../src/trainer/tf-backend';

const timing = { fps: 0, rolloutSeconds: 0, updateSeconds: 0 };

describe('a2cLearner', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('one env, nSteps 1: one update is the hand-computed actor-critic step (TD advantage, loss, gradient, RMSprop)', () => {
    const config = resolvePreset('sb3-defaults', 'CartPole-v1', {
      nEnvs: 1, nSteps: 1, piLayers: [8], vfLayers: [8], entCoef: 0.01, vfCoef: 0.5, maxGradNorm: null, gamma: 0.9, seed: 5, backend: 'cpu',
    }, 'a2c');
    const state = createTrainingState(config);
    const { layout } = state;
    // Perturb the initial weights so that the logits, V(s) and V(s') are all far from 0.
    const noise = createPrng(11);
    for (let i = 0; i < state.params.length; i++) state.params[i] += 0.3 * noise.normal();
    const params0 = Float32Array.from(state.params);
    const obs0 = Float32Array.from(state.rollout.observations);
    const learner = a2cLearner(state);
    state.stepsDone += learner.collect(rolloutContext(state, () => {}));
    expect(state.stepsDone).toBe(1);

    // ---- By hand: δ = r + γ·V(s')·(1 − done) − V(s) is the advantage (GAE with one step), R = δ + V(s) ----
    const action = state.buffer.actions[0];
    const reward = state.buffer.rewards[0];
    const done = state.buffer.lastEpisodeStarts[0];
    const fwd0 = forwardJs(layout, params0, obs0, 1);
    const v0 = fwd0.values[0];
    const v1 = forwardJs(layout, params0, Float32Array.from(state.rollout.observations), 1).values[0];
    const ret = reward + config.gamma * v1 * (1 - done);
    const advantage = ret - v0;
    expect(Math.abs(advantage)).toBeGreaterThan(0.05);
    const logits = Array.from(fwd0.head);
    const logSum = Math.log(logits.reduce((s, z) => s + Math.exp(z), 0));
    const logp = logits.map((z) => z - logSum);
    const p = logp.map(Math.exp);
    const entropy = -p.reduce((s, pk, k) => s + pk * logp[k], 0);
    const policyLoss = -advantage * logp[action];
    const valueLoss = (ret - v0) ** 2;
    const loss = policyLoss + 0.01 * -entropy + 0.5 * valueLoss;
    // ∂L/∂z_k = −A(1[k = a] − p_k) + entCoef·p_k(log p_k + H);  ∂L/∂V = 2·vfCoef·(V − R).
    const dLogits = p.map((pk, k) => -advantage * ((k === action ? 1 : 0) - pk) + 0.01 * pk * (logp[k] + entropy));
    const dValue = 2 * 0.5 * (v0 - ret);
    // The value net's latent, tanh(s·W + b), computed by hand from its one layer.
    const [vfLayer] = layout.vf;
    const latentVf = Array.from({ length: vfLayer.w.cols }, (_, j) => {
      let z = params0[vfLayer.b.offset + j];
      for (let k = 0; k < vfLayer.w.rows; k++) z += obs0[k] * params0[vfLayer.w.offset + k * vfLayer.w.cols + j];
      return Math.tanh(z);
    });
    const expectedGrad = new Map<number, number>();
    const { actionHead, valueHead } = layout;
    dLogits.forEach((d, k) => {
      expectedGrad.set(actionHead.b.offset + k, d);
      for (let j = 0; j < actionHead.w.rows; j++) expectedGrad.set(actionHead.w.offset + j * actionHead.w.cols + k, fwd0.latentPi[j] * d);
    });
    expectedGrad.set(valueHead.b.offset, dValue);
    latentVf.forEach((h, j) => expectedGrad.set(valueHead.w.offset + j, h * dValue));

    // ---- The learner's update ----
    const metrics = learner.update().metrics(timing);
    expect(metrics[METRIC.policyLoss]).toBeCloseTo(policyLoss, 5);
    expect(metrics[METRIC.valueLoss]).toBeCloseTo(valueLoss, 5);
    expect(metrics[METRIC.entropy]).toBeCloseTo(entropy, 5);
    expect(metrics[METRIC.entropyLoss]).toBeCloseTo(-entropy, 5);
    expect(metrics[METRIC.loss]).toBeCloseTo(loss, 5);
    expect(metrics[METRIC.nUpdates]).toBe(1);
    expect(metrics[METRIC.learningRate]).toBe(7e-4);
    // RMSprop's first step: v = (1 − α)g², θ ← θ − lr·g/(√v + ε).
    for (const [i, g] of expectedGrad) {
      expect(state.grad[i]).toBeCloseTo(g, 5);
      const v = (1 - 0.99) * g * g;
      expect(state.adam.v[i]).toBeCloseTo(v, 8);
      expect(state.params[i]).toBeCloseTo(params0[i] - (7e-4 * g) / (Math.sqrt(v) + 1e-5), 6);
    }
    expect(state.adam.t).toBe(1);
    let norm = 0;
    for (const g of state.grad) norm += g * g;
    expect(metrics[METRIC.gradNorm]).toBeCloseTo(Math.sqrt(norm), 5);
  });

  it('clips the gradient norm to maxGradNorm before RMSprop, and with useRmsProp false steps with Adam', () => {
    const base = { nEnvs: 2, nSteps: 5, seed: 1, backend: 'cpu' as const };
    const run = (overrides: Record<string, unknown>) => {
      const state = createTrainingState(resolvePreset('sb3-defaults', 'CartPole-v1', { ...base, ...overrides }, 'a2c'));
      const params0 = Float32Array.from(state.params);
      const learner = a2cLearner(state);
      state.stepsDone += learner.collect(rolloutContext(state, () => {}));
      const metrics = learner.update().metrics(timing);
      return { state, params0, metrics };
    };
    const clipped = run({ maxGradNorm: 1e-3, learningRate: 1e-2, rmsPropEps: 1 });
    const free = run({ maxGradNorm: null, learningRate: 1e-2, rmsPropEps: 1 });
    // Same rollout and gradient; with ε = 1 ≫ √v the step is ≈ lr·g·clip, so the clipped step is smaller by the factor.
    expect(clipped.metrics[METRIC.gradNorm]).toBeCloseTo(free.metrics[METRIC.gradNorm], 6);
    const factor = 1e-3 / (free.metrics[METRIC.gradNorm] + 1e-6);
    expect(factor).toBeLessThan(0.5);
    const i = clipped.state.layout.valueHead.b.offset;
    const g = free.state.grad[i];
    const gc = g * factor;
    // (Relative: the value-head bias starts at 0, so its float32 value after the step is the step itself.)
    expect((clipped.state.params[i] - clipped.params0[i]) / ((-1e-2 * gc) / (Math.sqrt(0.01 * gc * gc) + 1))).toBeCloseTo(1, 5);
    expect((free.state.params[i] - free.params0[i]) / ((-1e-2 * g) / (Math.sqrt(0.01 * g * g) + 1))).toBeCloseTo(1, 5);
    // Adam's first step is −lr·sign(g) (bias-corrected m/√v = g/|g|), whatever |g|.
    const adam = run({ useRmsProp: false, maxGradNorm: null, learningRate: 1e-3, adamEps: 1e-12 });
    const j = adam.state.layout.valueHead.b.offset;
    expect(adam.state.params[j] - adam.params0[j]).toBeCloseTo(-1e-3 * Math.sign(adam.state.grad[j]), 7);
    expect(Array.from(adam.state.adam.m).some((m) => m !== 0)).toBe(true);
  });

  it('normalizes the rollout’s advantages when asked (SB3 normalize_advantage), leaving the value targets as they were', () => {
    const run = (normalizeAdvantage: 'per-batch' | 'off') => {
      const state = createTrainingState(resolvePreset('sb3-defaults', 'CartPole-v1', { nEnvs: 4, nSteps: 5, seed: 2, backend: 'cpu', normalizeAdvantage }, 'a2c'));
      const learner = a2cLearner(state);
      state.stepsDone += learner.collect(rolloutContext(state, () => {}));
      const metrics = learner.update().metrics(timing);
      return { advantages: Array.from(state.buffer.advantages.subarray(0, 20)), returns: Array.from(state.buffer.returns.subarray(0, 20)), metrics };
    };
    const off = run('off');
    const on = run('per-batch');
    expect(on.returns).toEqual(off.returns);
    expect(on.metrics[METRIC.valueLoss]).toBeCloseTo(off.metrics[METRIC.valueLoss], 6);
    const mean = on.advantages.reduce((s, a) => s + a, 0) / 20;
    const std = Math.sqrt(on.advantages.reduce((s, a) => s + (a - mean) ** 2, 0) / 19);
    expect(mean).toBeCloseTo(0, 6);
    expect(std).toBeCloseTo(1, 5);
    expect(on.metrics[METRIC.policyLoss]).not.toBeCloseTo(off.metrics[METRIC.policyLoss], 3);
  });
});
