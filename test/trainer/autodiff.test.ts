import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PpoConfig } from '../../src/core/training/config';
import { buildLayout, forwardJs, initParams, type ModelSpec } from '../../src/trainer/nn/actor-critic';
import { createPrng } from '../../src/trainer/nn/prng';
import { makeDistribution } from '../../src/trainer/ppo/distributions';
import { OBJECTIVES, ppoLoss, type LossCoefficients, type LossInput } from '../../src/trainer/ppo/losses';
import { initBackend } from '../../src/trainer/tf-backend';
import { describeOnBackends } from '../support/backends';

/**
 * The hand-derived gradients against tfjs automatic differentiation (tf.grads on the same loss written in tf ops):
 * every objective's ∂L/∂log π, ∂L/∂H and ∂L/∂V from `ppoLoss`, and every distribution's ∂/∂head and ∂/∂logStd from
 * `backward`. Inputs stay away from the clip boundaries, where the loss has kinks. Finite differences of the whole
 * minibatch gradient are the second check (gradient.test.ts).
 */
const B = 16;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const SDE_EPS = 1e-6;

/** max |a − b| relative to max(1, max |b|). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

/** One minibatch of loss inputs with ratios on both sides of [1 − ε, 1 + ε] and value changes on both sides of ±εᵥ. */
function lossInput(seed: number): LossInput {
  const prng = createPrng(seed);
  const input: LossInput = {
    batch: B,
    logProb: new Float64Array(B),
    logProbOld: new Float32Array(B),
    advantages: new Float32Array(B),
    entropy: new Float64Array(B),
    values: new Float32Array(B),
    valuesOld: new Float32Array(B),
    returns: new Float32Array(B),
  };
  const logRatios = [-0.5, -0.3, -0.1, 0.05, 0.1, 0.3, 0.45, -0.02];
  const valueSteps = [-0.6, -0.1, 0.05, 0.5];
  for (let b = 0; b < B; b++) {
    const logProbOld = Math.fround(-1 + 0.3 * prng.normal());
    (input.logProbOld as Float32Array)[b] = logProbOld;
    input.logProb[b] = logProbOld + logRatios[b % logRatios.length];
    (input.advantages as Float32Array)[b] = (b % 2 ? 1 : -1) * (0.3 + Math.abs(prng.normal()));
    input.entropy[b] = 0.5 + prng.random();
    const valueOld = Math.fround(prng.normal());
    (input.valuesOld as Float32Array)[b] = valueOld;
    (input.values as Float32Array)[b] = valueOld + valueSteps[b % valueSteps.length];
    (input.returns as Float32Array)[b] = prng.normal();
  }
  return input;
}

/** The total PPO loss in tf ops, as a function of (log π, H, V). */
function tfLoss(input: LossInput, coefs: LossCoefficients) {
  const logProbOld = tf.tensor1d(Float32Array.from(input.logProbOld));
  const advantages = tf.tensor1d(Float32Array.from(input.advantages));
  const valuesOld = tf.tensor1d(Float32Array.from(input.valuesOld));
  const returns = tf.tensor1d(Float32Array.from(input.returns));
  const clipObjective = coefs.objective === 'clip' || coefs.objective === 'clip+kl';
  const klPenalty = coefs.objective !== 'clip' && coefs.objective !== 'none';
  return (logProb: tf.Tensor, entropy: tf.Tensor, values: tf.Tensor): tf.Scalar => {
    const logRatio = tf.sub(logProb, logProbOld);
    const ratio = tf.exp(logRatio);
    const unclippedTerm = tf.mul(ratio, advantages);
    let policy = clipObjective
      ? tf.neg(tf.minimum(unclippedTerm, tf.mul(tf.clipByValue(ratio, 1 - coefs.clipRange, 1 + coefs.clipRange), advantages)))
      : tf.neg(unclippedTerm);
    if (klPenalty) policy = tf.add(policy, tf.mul(coefs.beta, tf.sub(tf.sub(ratio, 1), logRatio)));
    const prediction = coefs.clipRangeVf === null
      ? values
      : tf.add(valuesOld, tf.clipByValue(tf.sub(values, valuesOld), -coefs.clipRangeVf, coefs.clipRangeVf));
    const valueLoss = tf.mean(tf.square(tf.sub(prediction, returns)));
    return tf.add(tf.sub(tf.mean(policy), tf.mul(coefs.entCoef, tf.mean(entropy))), tf.mul(coefs.vfCoef, valueLoss)) as tf.Scalar;
  };
}

/** A distribution's log π and H in tf ops, as a function of (head, logStd); latent features are constants (gSDE detaches them). */
function tfDistribution(kind: 'categorical' | 'gaussian' | 'gsde', actions: Float32Array, latentPi: Float32Array, temperature: number, dims: { head: number; latent: number }) {
  return (head: tf.Tensor2D, logStd: tf.Tensor): { logProb: tf.Tensor; entropy: tf.Tensor } => {
    if (kind === 'categorical') {
      const logp = tf.logSoftmax(tf.div(head, temperature));
      const oneHot = tf.cast(tf.oneHot(tf.tensor1d(Array.from(actions), 'int32'), dims.head), 'float32');
      return { logProb: tf.sum(tf.mul(oneHot, logp), 1), entropy: tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)) };
    }
    const a = tf.tensor2d(actions, [B, dims.head]);
    if (kind === 'gaussian') {
      const u = tf.div(tf.sub(a, head), tf.exp(logStd));
      const logProb = tf.sum(tf.sub(tf.sub(tf.mul(-0.5, tf.square(u)), logStd), HALF_LOG_2PI), 1);
      const entropyRow = tf.sum(tf.add(0.5 + HALF_LOG_2PI, logStd));
      return { logProb, entropy: tf.mul(tf.ones([B]), entropyRow) };
    }
    const z2 = tf.square(tf.tensor2d(latentPi, [B, dims.latent]));
    const variance = tf.add(tf.matMul(z2, tf.exp(tf.mul(2, logStd)) as tf.Tensor2D), SDE_EPS);
    const d = tf.sub(a, head);
    const logProb = tf.sum(tf.sub(tf.sub(tf.div(tf.mul(-0.5, tf.square(d)), variance), tf.mul(0.5, tf.log(variance))), HALF_LOG_2PI), 1);
    const entropy = tf.sum(tf.add(0.5 + HALF_LOG_2PI, tf.mul(0.5, tf.log(variance))), 1);
    return { logProb, entropy };
  };
}

const objectives: PpoConfig['objective'][] = ['clip', 'kl-adaptive', 'kl-fixed', 'clip+kl', 'none'];
const objectiveCases = objectives.flatMap((objective) => [
  { objective, clipRangeVf: null, entCoef: 0.01 },
  { objective, clipRangeVf: 0.3, entCoef: 0.05 },
]);

const box = (dim: number) => ({ kind: 'box' as const, dim, low: new Float32Array(dim).fill(-1), high: new Float32Array(dim).fill(1) });
const base = { sharedLayers: [] as number[], piLayers: [5], vfLayers: [4], activation: 'tanh' as const, useSde: false };
const distributionCases: { name: string; kind: 'categorical' | 'gaussian' | 'gsde'; spec: ModelSpec }[] = [
  { name: 'categorical', kind: 'categorical', spec: { ...base, obsDim: 3, action: { kind: 'discrete', n: 4 } } },
  { name: 'diagonal Gaussian', kind: 'gaussian', spec: { ...base, obsDim: 3, action: box(2) } },
  { name: 'gSDE', kind: 'gsde', spec: { ...base, obsDim: 3, useSde: true, action: box(2) } },
];

describeOnBackends('hand-derived gradients vs automatic differentiation', (backend) => {
  beforeAll(async () => {
    expect((await initBackend(backend)).backend).toBe(backend);
  });

  it.each(objectiveCases)('ppoLoss: $objective, clipRangeVf $clipRangeVf, entCoef $entCoef', ({ objective, clipRangeVf, entCoef }) => {
    const input = lossInput(11);
    const coefs: LossCoefficients = { objective, clipRange: 0.2, clipRangeVf, entCoef, vfCoef: 0.7, beta: 0.8 };
    const out = ppoLoss(input, coefs);
    const before = tf.memory().numTensors;
    const [dLogProb, dEntropy, dValues, loss] = tf.tidy(() => {
      const f = tfLoss(input, coefs);
      const args = [tf.tensor1d(Float32Array.from(input.logProb)), tf.tensor1d(Float32Array.from(input.entropy)), tf.tensor1d(Float32Array.from(input.values))];
      const grads = tf.grads((lp, h, v) => f(lp, h, v))(args);
      return [...grads.map((g) => g.dataSync()), f(args[0], args[1], args[2]).dataSync()];
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(out.loss).toBeCloseTo(loss[0], 5);
    expect(relErr(out.dLogProb, dLogProb)).toBeLessThan(1e-5);
    expect(relErr(out.dEntropy, dEntropy)).toBeLessThan(1e-6);
    expect(relErr(out.dValues, dValues)).toBeLessThan(1e-5);
    // The case exercises the objective: non-zero policy gradient, and value clipping active somewhere when on.
    expect(Math.max(...Array.from(out.dLogProb, Math.abs))).toBeGreaterThan(1e-3);
    if (clipRangeVf !== null) expect(Array.from(out.dValues).some((d) => d === 0)).toBe(true);
  });

  it.each(distributionCases)('distribution backward: $name', ({ kind, spec }) => {
    const prng = createPrng(5);
    const layout = buildLayout(spec);
    const params = initParams(layout, true, -0.4, prng);
    for (let i = 0; i < params.length; i++) params[i] += 0.4 * prng.normal();
    const temperature = 1.3;
    const distribution = makeDistribution(layout, spec.useSde, temperature);
    const observations = Float32Array.from({ length: B * spec.obsDim }, () => prng.normal());
    const forward = forwardJs(layout, params, observations, B);
    distribution.resetNoise(params, prng, B);
    const sample = { actions: new Float32Array(B * distribution.actionDim), logProbs: new Float32Array(B) };
    distribution.sample(params, forward, B, false, prng, sample);
    // Upstream gradients as the loss would send them.
    const dLogProb = Float64Array.from({ length: B }, () => prng.normal() / B);
    const dEntropy = Float64Array.from({ length: B }, () => -0.05 * prng.random());
    const input = { head: forward.head, latentPi: forward.latentPi, batch: B };
    const dHead = new Float32Array(B * layout.headDim);
    const grad = new Float32Array(layout.size);
    distribution.backward(params, input, sample.actions, dLogProb, dEntropy, dHead, grad);

    const logStdSlot = layout.logStd;
    const logStdShape = logStdSlot ? (spec.useSde ? [layout.latentPi, layout.headDim] : [layout.headDim]) : [1];
    const logStdValues = logStdSlot ? params.slice(logStdSlot.offset, logStdSlot.offset + logStdSlot.size) : new Float32Array(1);
    const [refHead, refLogStd, refLogProb, refEntropy] = tf.tidy(() => {
      const f = tfDistribution(kind, sample.actions, forward.latentPi, temperature, { head: layout.headDim, latent: layout.latentPi });
      const weighted = (head: tf.Tensor, logStd: tf.Tensor): tf.Scalar => {
        const { logProb, entropy } = f(head as tf.Tensor2D, logStd);
        return tf.add(tf.sum(tf.mul(logProb, tf.tensor1d(Float32Array.from(dLogProb)))), tf.sum(tf.mul(entropy, tf.tensor1d(Float32Array.from(dEntropy))))) as tf.Scalar;
      };
      const head = tf.tensor2d(forward.head, [B, layout.headDim]);
      const logStd = tf.tensor(logStdValues, logStdShape);
      // A categorical policy has no log-std parameter: differentiate w.r.t. the logits only.
      const [gHead, gLogStd] = logStdSlot ? tf.grads(weighted)([head, logStd]) : [tf.grad((h: tf.Tensor) => weighted(h, logStd))(head), logStd];
      const { logProb, entropy } = f(head, logStd);
      return [gHead.dataSync(), gLogStd.dataSync(), logProb.dataSync(), entropy.dataSync()];
    });
    // The tf version computes the same log π and H as `evaluate`...
    const logProb = new Float64Array(B);
    const entropy = new Float64Array(B);
    distribution.evaluate(params, input, sample.actions, logProb, entropy);
    expect(relErr(logProb, refLogProb)).toBeLessThan(1e-5);
    expect(relErr(entropy, refEntropy)).toBeLessThan(1e-5);
    // ...and its automatic gradients match `backward`.
    expect(relErr(dHead, refHead)).toBeLessThan(1e-5);
    if (logStdSlot) expect(relErr(grad.subarray(logStdSlot.offset, logStdSlot.offset + logStdSlot.size), refLogStd)).toBeLessThan(1e-5);
    expect(Math.max(...Array.from(dHead, Math.abs))).toBeGreaterThan(1e-3);
  });
});

describe('objectives', () => {
  it('are plain per-sample functions of (ratio, advantage, coefficients)', () => {
    const coefs: LossCoefficients = { objective: 'clip', clipRange: 0.2, clipRangeVf: null, entCoef: 0, vfCoef: 0.5, beta: 2 };
    expect(OBJECTIVES.clip.loss(1.5, 1, coefs)).toBeCloseTo(-1.2, 12);
    expect(OBJECTIVES.none.loss(1.5, 1, coefs)).toBeCloseTo(-1.5, 12);
    expect(OBJECTIVES['kl-fixed'].loss(1.5, 1, coefs)).toBeCloseTo(-1.5 + 2 * (0.5 - Math.log(1.5)), 12);
    expect(OBJECTIVES['clip+kl'].loss(Math.exp(0.1), -1, coefs, 0.1)).toBeCloseTo(Math.exp(0.1) + 2 * (Math.exp(0.1) - 1 - 0.1), 12);
  });

  it('need no hand-derived gradient: without one, ppoLoss differentiates the objective numerically', () => {
    const input = lossInput(3);
    const coefs: LossCoefficients = { objective: 'clip+kl', clipRange: 0.2, clipRangeVf: 0.3, entCoef: 0.01, vfCoef: 0.5, beta: 0.8 };
    const lossOnly = { loss: OBJECTIVES['clip+kl'].loss };
    const fast = ppoLoss(input, coefs);
    const numeric = ppoLoss(input, coefs, lossOnly);
    expect(numeric.loss).toBe(fast.loss);
    expect(relErr(numeric.dLogProb, fast.dLogProb)).toBeLessThan(1e-7);
    // A new objective is its loss alone, e.g. a squared-ratio penalty: −rA + (r − 1)².
    const squared = { loss: (r: number, a: number) => -r * a + (r - 1) ** 2 };
    const out = ppoLoss(input, coefs, squared);
    for (let b = 0; b < B; b++) {
      const r = Math.exp(input.logProb[b] - input.logProbOld[b]);
      expect(out.dLogProb[b]).toBeCloseTo((r * (-input.advantages[b] + 2 * (r - 1))) / B, 8);
    }
  });
});
