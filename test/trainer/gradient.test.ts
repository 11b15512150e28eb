import { beforeAll, expect, it } from 'vitest';
import { buildLayout, forwardJs, initParams, type ModelSpec } from '../../src/trainer/nn/actor-critic';
import { createPrng } from '../../src/trainer/nn/prng';
import { makeDistribution } from '../../src/trainer/ppo/distributions';
import { ppoLoss, type LossCoefficients } from '../../src/trainer/ppo/losses';
import { minibatchArrays, minibatchGradient } from '../../src/trainer/ppo/minibatch';
import { initBackend } from '../../src/trainer/tf-backend';
import type { PpoConfig } from '../../src/core/training/config';
import { describeOnBackends } from '../support/backends';

/**
 * The update's gradient (tfjs forward/backward of the networks + host-side loss gradients) against central finite
 * differences of the same loss computed by the pure-JS forward.
 */
const B = 12;

function setup(spec: ModelSpec, seed: number) {
  const prng = createPrng(seed);
  const layout = buildLayout(spec);
  const params = initParams(layout, true, -0.3, prng);
  // Larger weights than the init so every layer carries gradient.
  for (let i = 0; i < params.length; i++) params[i] += 0.3 * prng.normal();
  const distribution = makeDistribution(layout, spec.useSde, 1.3);
  const mb = minibatchArrays(B, spec.obsDim, distribution.actionDim);
  for (let i = 0; i < mb.observations.length; i++) mb.observations[i] = prng.normal();
  const forward = forwardJs(layout, params, mb.observations, B);
  distribution.resetNoise(params, prng, B);
  const sample = { actions: new Float32Array(B * distribution.actionDim), logProbs: new Float32Array(B) };
  distribution.sample(params, forward, B, false, prng, sample);
  mb.actions.set(sample.actions);
  for (let b = 0; b < B; b++) {
    // Old log-probs away from the clip boundaries (|log r| < 0.08 or > 0.4), so the loss is smooth around θ.
    const shift = b % 3 === 0 ? 0.6 * (prng.random() - 0.5) + (b % 2 ? 0.5 : -0.5) : 0.16 * (prng.random() - 0.5);
    mb.logProbOld[b] = sample.logProbs[b] + shift;
    mb.advantages[b] = prng.normal();
    mb.returns[b] = prng.normal();
    mb.valuesOld[b] = forward.values[b] + (b % 4 === 0 ? 0.5 : 0.01) * (b % 2 ? 1 : -1);
  }
  return { layout, params, distribution, mb };
}

/**
 * The loss at `params`; gSDE's features are detached (SB3), so its variance uses the latent at `detachedAt`. `old`:
 * the rows' old distributions for the exact KL penalty.
 */
function lossAt(s: ReturnType<typeof setup>, params: Float32Array, coefs: LossCoefficients, detachedAt: Float32Array, old: Float64Array | null = null): number {
  const forward = forwardJs(s.layout, params, s.mb.observations, B);
  if (s.layout.spec.useSde) forward.latentPi = forwardJs(s.layout, detachedAt, s.mb.observations, B).latentPi;
  const logProb = new Float64Array(B);
  const entropy = new Float64Array(B);
  const input = { head: forward.head, latentPi: forward.latentPi, batch: B };
  s.distribution.evaluate(params, input, s.mb.actions, logProb, entropy);
  let klExact: Float64Array | undefined;
  if (old) {
    klExact = new Float64Array(B);
    s.distribution.klFromOld(params, input, old, klExact);
  }
  return ppoLoss({ batch: B, logProb, entropy, logProbOld: s.mb.logProbOld, advantages: s.mb.advantages, values: forward.values, valuesOld: s.mb.valuesOld, returns: s.mb.returns, klExact }, coefs).loss;
}

/** The rows' distributions under `params` moved by noise: an old policy the current one has drifted from. */
function driftedOld(s: ReturnType<typeof setup>, seed: number): Float64Array {
  const prng = createPrng(seed);
  const moved = Float32Array.from(s.params, (p) => p + 0.25 * prng.normal());
  const forward = forwardJs(s.layout, moved, s.mb.observations, B);
  const old = new Float64Array(B * s.distribution.oldStatsDim);
  s.distribution.oldStats(moved, { head: forward.head, latentPi: forward.latentPi, batch: B }, old);
  return old;
}

const base = { sharedLayers: [] as number[], piLayers: [5, 4], vfLayers: [6], activation: 'tanh' as const, useSde: false };
const cases: { name: string; spec: ModelSpec; objective: PpoConfig['objective']; klEstimator?: PpoConfig['klEstimator'] }[] = [
  { name: 'categorical, separate tanh nets, clip', spec: { ...base, obsDim: 3, action: { kind: 'discrete', n: 3 } }, objective: 'clip' },
  { name: 'categorical, shared relu trunk, kl-adaptive', spec: { ...base, obsDim: 3, action: { kind: 'discrete', n: 2 }, sharedLayers: [7], piLayers: [], vfLayers: [], activation: 'relu' }, objective: 'kl-adaptive' },
  { name: 'diagonal Gaussian, clip+kl', spec: { ...base, obsDim: 2, action: { kind: 'box', dim: 2, low: new Float32Array([-1, -1]), high: new Float32Array([1, 1]) } }, objective: 'clip+kl' },
  { name: 'gSDE, none', spec: { ...base, obsDim: 3, useSde: true, action: { kind: 'box', dim: 1, low: new Float32Array([-2]), high: new Float32Array([2]) } }, objective: 'none' },
  { name: 'gSDE, shared trunk, clip', spec: { ...base, obsDim: 3, useSde: true, sharedLayers: [4], action: { kind: 'box', dim: 2, low: new Float32Array([-2, -2]), high: new Float32Array([2, 2]) } }, objective: 'clip' },
  // The paper's penalty: the exact KL[π_old‖π] of the whole distributions, through the distribution's own backward.
  { name: 'categorical, kl-adaptive, exact KL', spec: { ...base, obsDim: 3, action: { kind: 'discrete', n: 3 } }, objective: 'kl-adaptive', klEstimator: 'exact' },
  { name: 'diagonal Gaussian, clip+kl, exact KL', spec: { ...base, obsDim: 2, action: { kind: 'box', dim: 2, low: new Float32Array([-1, -1]), high: new Float32Array([1, 1]) } }, objective: 'clip+kl', klEstimator: 'exact' },
  { name: 'gSDE, kl-fixed, exact KL', spec: { ...base, obsDim: 3, useSde: true, action: { kind: 'box', dim: 2, low: new Float32Array([-2, -2]), high: new Float32Array([2, 2]) } }, objective: 'kl-fixed', klEstimator: 'exact' },
];

describeOnBackends('minibatch gradient', (backend) => {
  beforeAll(async () => {
    expect((await initBackend(backend)).backend).toBe(backend);
  });

  it.each(cases)('matches finite differences: $name', ({ spec, objective, klEstimator }) => {
    const s = setup(spec, 7);
    const coefs: LossCoefficients = { objective, clipRange: 0.2, clipRangeVf: 0.3, entCoef: 0.05, vfCoef: 0.7, beta: 0.8, klEstimator };
    const old = klEstimator === 'exact' ? driftedOld(s, 13) : null;
    const grad = new Float32Array(s.layout.size);
    minibatchGradient(s.layout, s.distribution, s.params, s.mb, B, coefs, grad, old);
    const p64 = Float64Array.from(s.params);
    const eps = 3e-3;
    let maxErr = 0;
    let maxGrad = 0;
    for (let i = 0; i < s.params.length; i++) {
      const plus = Float32Array.from(p64);
      const minus = Float32Array.from(p64);
      plus[i] += eps;
      minus[i] -= eps;
      const numeric = (lossAt(s, plus, coefs, s.params, old) - lossAt(s, minus, coefs, s.params, old)) / (plus[i] - minus[i]);
      maxErr = Math.max(maxErr, Math.abs(numeric - grad[i]));
      maxGrad = Math.max(maxGrad, Math.abs(grad[i]));
    }
    expect(maxGrad).toBeGreaterThan(1e-2);
    expect(maxErr).toBeLessThan(2e-3 * Math.max(1, maxGrad));
  });
});
