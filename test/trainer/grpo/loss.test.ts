import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayout, forwardJs, initParams, type ModelSpec } from '../../../src/trainer/nn/actor-critic';
import { createPrng } from '../../../src/trainer/nn/prng';
import { makeDistribution } from '../../../src/trainer/ppo/distributions';
import { networkGradient } from '../../../src/trainer/ppo/minibatch';
import { grpoLoss, grpoStepLoss, grpoStepLossGrad, referenceKl, referenceKlGrad, type GrpoCoefficients } from '../../../src/trainer/grpo/loss';
import { initBackend } from '../../../src/trainer/tf-backend';
import { describeOnBackends } from '../../support/backends';

const central = (f: (x: number) => number, x: number, h = 1e-6): number => (f(x + h) - f(x - h)) / (2 * h);

describe('referenceKl: the k3 estimate of KL(π‖π_ref)', () => {
  it('is ρ − log ρ − 1 with ρ = π_ref/π, hand-worked', () => {
    // π = 0.5, π_ref = 0.25: ρ = 0.5, 0.5 + log 2 − 1.
    expect(referenceKl(Math.log(0.5), Math.log(0.25))).toBeCloseTo(0.5 + Math.LN2 - 1, 14);
    // π = 0.2, π_ref = 0.6: ρ = 3, 3 − log 3 − 1.
    expect(referenceKl(Math.log(0.2), Math.log(0.6))).toBeCloseTo(2 - Math.log(3), 14);
    expect(referenceKl(-0.7, -0.7)).toBe(0);
  });

  it('averaged over actions drawn from π is the exact KL of the two categoricals (unbiased)', () => {
    const pi = [0.7, 0.2, 0.1];
    const ref = [0.3, 0.3, 0.4];
    const expected = pi.reduce((s, p, a) => s + p * referenceKl(Math.log(p), Math.log(ref[a])), 0);
    const exact = pi.reduce((s, p, a) => s + p * Math.log(p / ref[a]), 0);
    expect(expected).toBeCloseTo(exact, 14);
  });

  it('has the gradient 1 − ρ in log π (central differences)', () => {
    for (const [logProb, logProbRef] of [[-0.3, -1.2], [-2, -0.1], [-0.9, -0.9]]) {
      expect(referenceKlGrad(logProb, logProbRef)).toBeCloseTo(central((x) => referenceKl(x, logProbRef), logProb), 8);
    }
    expect(referenceKlGrad(Math.log(0.5), Math.log(0.25))).toBeCloseTo(0.5, 14);
  });
});

describe('grpoStepLoss: −min(rÂ, clip(r)Â) + β·k3', () => {
  const coefs: GrpoCoefficients = { clipRange: 0.2, beta: 0.1, entCoef: 0 };

  it('is the clipped surrogate plus β times the reference KL, hand-worked', () => {
    // r = e^0.1 ≈ 1.105 (inside the clip), Â = 2: −2.2103 + 0.1·(0.5 + log 2 − 1) with π = 0.5, π_ref = 0.25.
    const logProb = Math.log(0.5);
    const loss = grpoStepLoss(logProb, logProb - 0.1, Math.log(0.25), 2, coefs);
    expect(loss).toBeCloseTo(-2 * Math.exp(0.1) + 0.1 * (0.5 + Math.LN2 - 1), 12);
    // r = e^0.5 (clipped at 1.2 for Â > 0): the surrogate is −1.2·Â and only the KL term moves with log π.
    expect(grpoStepLoss(logProb, logProb - 0.5, Math.log(0.25), 2, coefs)).toBeCloseTo(-2.4 + 0.1 * (0.5 + Math.LN2 - 1), 12);
  });

  it('has the gradient r·∂clip/∂r + β(1 − ρ) in log π, clip active or not, either sign of Â (central differences)', () => {
    const cases: [number, number, number][] = [
      // [log r, log(π_ref/π), Â]
      [0.05, 0.4, 1.5],
      [0.05, -0.8, -1.5],
      [0.5, 0.3, 2], // clipped above: only the KL term
      [-0.5, 0.3, -2], // clipped below: only the KL term
      [0.5, -0.2, -1], // above the clip with Â < 0: min keeps the unclipped term
      [-0.5, -0.2, 1], // below with Â > 0: unclipped too
    ];
    for (const [logRatio, logRho, advantage] of cases) {
      const logProb = -0.9;
      const logProbOld = logProb - logRatio;
      const logProbRef = logProb + logRho;
      const analytic = grpoStepLossGrad(logProb, logProbOld, logProbRef, advantage, coefs);
      const numeric = central((x) => grpoStepLoss(x, logProbOld, logProbRef, advantage, coefs), logProb);
      expect(analytic, `log r ${logRatio}, Â ${advantage}`).toBeCloseTo(numeric, 7);
    }
    // Clipped: the surrogate contributes nothing, the KL term β(1 − ρ) remains.
    expect(grpoStepLossGrad(-0.9, -1.4, -0.6, 2, coefs)).toBeCloseTo(0.1 * (1 - Math.exp(0.3)), 12);
  });
});

describe('grpoLoss over a minibatch', () => {
  const outputs = { batch: 3, logProb: Float64Array.from([-0.5, -1.2, -0.1]), entropy: Float64Array.from([0.6, 0.4, 0.9]), values: Float32Array.from([1, -0.5, 2]) };
  const targets = { logProbOld: [-0.55, -1.0, -0.1], logProbRef: [-0.7, -0.7, -0.3], advantages: [1.2, -0.4, 0.8] };
  const coefs: GrpoCoefficients = { clipRange: 0.1, beta: 0.3, entCoef: 0.05 };

  it('averages the terms over the rows, with clip fraction and the old/new KL', () => {
    const out = grpoLoss(outputs, targets, coefs);
    const ratios = [Math.exp(0.05), Math.exp(-0.2), 1];
    const surrogate = [-ratios[0] * 1.2, -(1 - 0.1) * -0.4, -0.8];
    const kl = [0, 1, 2].map((b) => referenceKl(outputs.logProb[b], targets.logProbRef[b]));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(out.policyLoss).toBeCloseTo(mean(surrogate), 12);
    expect(out.referenceKl).toBeCloseTo(mean(kl), 12);
    expect(out.entropy).toBeCloseTo(1.9 / 3, 12);
    expect(out.loss).toBeCloseTo(mean(surrogate) + 0.3 * mean(kl) - 0.05 * (1.9 / 3), 12);
    expect(out.clipFraction).toBeCloseTo(1 / 3, 12);
    expect(out.approxKl).toBeCloseTo(mean(ratios.map((r) => r - 1 - Math.log(r))), 12);
    expect(Array.from(out.dValues)).toEqual([0, 0, 0]);
  });

  it('its gradients w.r.t. log π and H are the central differences of its total loss', () => {
    const out = grpoLoss(outputs, targets, coefs);
    for (let b = 0; b < 3; b++) {
      const shifted = (field: 'logProb' | 'entropy', d: number) => {
        const copy = { ...outputs, [field]: outputs[field].slice() };
        copy[field][b] += d;
        return grpoLoss(copy, targets, coefs).loss;
      };
      expect(out.dLogProb[b]).toBeCloseTo((shifted('logProb', 1e-6) - shifted('logProb', -1e-6)) / 2e-6, 7);
      expect(out.dEntropy[b]).toBeCloseTo((shifted('entropy', 1e-6) - shifted('entropy', -1e-6)) / 2e-6, 7);
    }
  });
});

/**
 * The whole chain — tfjs forward/backward of the network, the distribution's backward, GRPO's loss with its KL term —
 * against central differences in every parameter of the same loss computed by the pure-JS forward.
 */
describeOnBackends('GRPO network gradient', (backend) => {
  beforeAll(async () => {
    expect((await initBackend(backend)).backend).toBe(backend);
  });

  const B = 10;
  const specs: { name: string; spec: ModelSpec }[] = [
    { name: 'categorical', spec: { obsDim: 3, action: { kind: 'discrete', n: 3 }, sharedLayers: [], piLayers: [5, 4], vfLayers: [], activation: 'tanh', useSde: false } },
    {
      name: 'diagonal Gaussian',
      spec: { obsDim: 2, action: { kind: 'box', dim: 2, low: new Float32Array([-1, -1]), high: new Float32Array([1, 1]) }, sharedLayers: [], piLayers: [6], vfLayers: [], activation: 'tanh', useSde: false },
    },
  ];

  it.each(specs)('matches finite differences: $name', ({ spec }) => {
    const prng = createPrng(11);
    const layout = buildLayout(spec);
    const params = initParams(layout, true, -0.3, prng);
    for (let i = 0; i < params.length; i++) params[i] += 0.3 * prng.normal();
    // The reference: the same network moved a little, so ρ ≠ 1 and the KL term has a gradient.
    const reference = Float32Array.from(params, (p) => p + 0.2 * prng.normal());
    const distribution = makeDistribution(layout, false, 1);
    const observations = Float32Array.from({ length: B * spec.obsDim }, () => prng.normal());
    const sample = { actions: new Float32Array(B * distribution.actionDim), logProbs: new Float32Array(B) };
    distribution.sample(params, forwardJs(layout, params, observations, B), B, false, prng, sample);
    const logProbOf = (p: Float32Array): Float64Array => {
      const forward = forwardJs(layout, p, observations, B);
      const logProb = new Float64Array(B);
      distribution.evaluate(p, { head: forward.head, latentPi: forward.latentPi, batch: B }, sample.actions, logProb, new Float64Array(B));
      return logProb;
    };
    const logProbRef = logProbOf(reference);
    // Old log-probs away from the clip boundaries (|log r| < 0.08 or > 0.4), so the loss is smooth around θ.
    const logProbOld = Float64Array.from(sample.logProbs, (lp, b) => lp + (b % 3 === 0 ? (b % 2 ? 0.5 : -0.5) : 0.1 * (prng.random() - 0.5)));
    const advantages = Float64Array.from({ length: B }, () => prng.normal());
    const targets = { logProbOld, logProbRef, advantages };
    const coefs: GrpoCoefficients = { clipRange: 0.2, beta: 0.5, entCoef: 0.05 };
    const lossAt = (p: Float32Array): number => {
      const forward = forwardJs(layout, p, observations, B);
      const logProb = new Float64Array(B);
      const entropy = new Float64Array(B);
      distribution.evaluate(p, { head: forward.head, latentPi: forward.latentPi, batch: B }, sample.actions, logProb, entropy);
      return grpoLoss({ batch: B, logProb, entropy, values: forward.values }, targets, coefs).loss;
    };

    const grad = new Float32Array(layout.size);
    networkGradient(layout, distribution, params, observations, sample.actions, B, (outputs) => grpoLoss(outputs, targets, coefs), grad);
    const eps = 3e-3;
    let maxErr = 0;
    let maxGrad = 0;
    for (let i = 0; i < params.length; i++) {
      const plus = Float32Array.from(params);
      const minus = Float32Array.from(params);
      plus[i] += eps;
      minus[i] -= eps;
      const numeric = (lossAt(plus) - lossAt(minus)) / (plus[i] - minus[i]);
      maxErr = Math.max(maxErr, Math.abs(numeric - grad[i]));
      maxGrad = Math.max(maxGrad, Math.abs(grad[i]));
    }
    expect(maxGrad).toBeGreaterThan(1e-2);
    expect(maxErr).toBeLessThan(2e-3 * Math.max(1, maxGrad));
    // The value head gets no gradient: GRPO has no critic.
    for (const slot of [layout.valueHead.w, layout.valueHead.b]) expect(Array.from(grad.subarray(slot.offset, slot.offset + slot.size)).every((g) => g === 0)).toBe(true);
  });
});
