/**
 * The exact KL[π_old(·|s) ‖ π(·|s)] of PPO's penalty (paper §4): hand-worked values for each distribution, its
 * relation to the k3 sample estimate it replaces, and its gradient against central differences.
 */
import { describe, expect, it } from 'vitest';
import { buildLayout, type ModelSpec } from '../../src/trainer/nn/actor-critic';
import { createPrng } from '../../src/trainer/nn/prng';
import { makeDistribution, type PolicyDistribution } from '../../src/trainer/ppo/distributions';
import { klK3, ppoLoss, type LossCoefficients } from '../../src/trainer/ppo/losses';

const box = (dim: number) => ({ kind: 'box' as const, dim, low: new Float32Array(dim).fill(-1), high: new Float32Array(dim).fill(1) });
const spec = (action: ModelSpec['action'], useSde = false): ModelSpec => ({ obsDim: 2, action, sharedLayers: [], piLayers: [3], vfLayers: [], activation: 'tanh', useSde });

/** The distribution, a zero parameter buffer of its layout and a one-row input. */
function one(s: ModelSpec, temperature = 1): { distribution: PolicyDistribution; params: Float32Array; layout: ReturnType<typeof buildLayout> } {
  const layout = buildLayout(s);
  return { distribution: makeDistribution(layout, s.useSde, temperature), params: new Float32Array(layout.size), layout };
}

function klOf(distribution: PolicyDistribution, params: Float32Array, input: { head: Float32Array; latentPi: Float32Array; batch: number }, old: Float64Array): Float64Array {
  const kl = new Float64Array(input.batch);
  distribution.klFromOld(params, input, old, kl);
  return kl;
}

function statsOf(distribution: PolicyDistribution, params: Float32Array, input: { head: Float32Array; latentPi: Float32Array; batch: number }): Float64Array {
  const out = new Float64Array(input.batch * distribution.oldStatsDim);
  distribution.oldStats(params, input, out);
  return out;
}

describe('exact KL values', () => {
  it('categorical: Σ_k p_k log(p_k / q_k) over every action, with the temperature', () => {
    const { distribution, params } = one(spec({ kind: 'discrete', n: 2 }), 2);
    // Old logits [0, 0]: p = (½, ½). New logits [2 ln 3, 0] at T = 2: q = (¾, ¼). KL = ½ log(4/3).
    const old = statsOf(distribution, params, { head: Float32Array.from([0, 0]), latentPi: new Float32Array(3), batch: 1 });
    const kl = klOf(distribution, params, { head: Float32Array.from([2 * Math.log(3), 0]), latentPi: new Float32Array(3), batch: 1 }, old);
    expect(kl[0]).toBeCloseTo(0.5 * Math.log(4 / 3), 6);
    expect(klOf(distribution, params, { head: Float32Array.from([0, 0]), latentPi: new Float32Array(3), batch: 1 }, old)[0]).toBe(0);
  });

  it('categorical: the k3 estimate averaged over the old policy\'s actions is the exact KL', () => {
    const { distribution, params } = one(spec({ kind: 'discrete', n: 3 }));
    const oldHead = Float32Array.from([0.3, -1, 0.8]);
    const newHead = Float32Array.from([-0.2, 0.4, 1.1]);
    const old = statsOf(distribution, params, { head: oldHead, latentPi: new Float32Array(3), batch: 1 });
    const next = statsOf(distribution, params, { head: newHead, latentPi: new Float32Array(3), batch: 1 });
    // E_{a~π_old}[(r − 1) − log r] with r = π(a)/π_old(a) = Σ_a p_a (r_a − 1 − log r_a).
    let expected = 0;
    for (let a = 0; a < 3; a++) expected += Math.exp(old[a]) * klK3(Math.exp(next[a] - old[a]), next[a] - old[a]);
    expect(klOf(distribution, params, { head: newHead, latentPi: new Float32Array(3), batch: 1 }, old)[0]).toBeCloseTo(expected, 12);
  });

  it('diagonal Gaussian: the closed form log(σ/σ_old) + (σ_old² + (μ_old − μ)²)/(2σ²) − ½, summed over dims', () => {
    const { distribution, params, layout } = one(spec(box(2)));
    const logStd = layout.logStd!;
    // Old: μ = (0, 0.5), σ = 1. New: μ = (1, 0.5), σ = (2, 1): dim 0 gives ln 2 + 2/8 − ½, dim 1 gives 0.
    const old = statsOf(distribution, params, { head: Float32Array.from([0, 0.5]), latentPi: new Float32Array(3), batch: 1 });
    expect(Array.from(old)).toEqual([0, 0.5, 1, 1]);
    params[logStd.offset] = Math.log(2);
    const kl = klOf(distribution, params, { head: Float32Array.from([1, 0.5]), latentPi: new Float32Array(3), batch: 1 }, old);
    expect(kl[0]).toBeCloseTo(Math.LN2 + 0.25 - 0.5, 6);
  });

  it('gSDE: the Gaussian N(μ, Σ_l z_l² σ_l² + ε) of each action dim', () => {
    const { distribution, params, layout } = one(spec(box(1), true));
    const logStd = layout.logStd!; // [latent 3, dim 1]
    const latentPi = Float32Array.from([1, 0, 2]);
    // σ = 1 everywhere: v = 1 + 0 + 4 + 1e-6. New σ_0 = 2 (log 2): v' = 4 + 0 + 4 + 1e-6.
    const old = statsOf(distribution, params, { head: Float32Array.from([0.2]), latentPi, batch: 1 });
    const v = 5 + 1e-6;
    expect(old[1]).toBeCloseTo(v, 6);
    params[logStd.offset] = Math.log(2);
    const w = 8 + 1e-6;
    const kl = klOf(distribution, params, { head: Float32Array.from([1.2]), latentPi, batch: 1 }, old);
    expect(kl[0]).toBeCloseTo(0.5 * (v / w + 1 / w - 1 - Math.log(v / w)), 6);
  });
});

describe('exact KL gradients', () => {
  const kinds: { name: string; spec: ModelSpec; temperature: number }[] = [
    { name: 'categorical', spec: spec({ kind: 'discrete', n: 4 }), temperature: 1.5 },
    { name: 'diagonal Gaussian', spec: spec(box(3)), temperature: 1 },
    { name: 'gSDE', spec: spec(box(2), true), temperature: 1 },
  ];

  it.each(kinds)('klFromOldBackward adds the central differences of Σ_b w_b·KL_b in the head and the log-std ($name)', ({ spec: s, temperature }) => {
    const prng = createPrng(5);
    const { distribution, params, layout } = one(s, temperature);
    for (let i = 0; i < params.length; i++) params[i] = 0.4 * prng.normal();
    const B = 4;
    const input = (head: Float32Array) => ({ head, latentPi: Float32Array.from({ length: B * layout.latentPi }, (_, i) => Math.sin(i + 1)), batch: B });
    const oldHead = Float32Array.from({ length: B * layout.headDim }, () => prng.normal());
    const oldParams = Float32Array.from(params, (p) => p + 0.3 * prng.normal());
    const old = statsOf(distribution, oldParams, input(oldHead));
    const head = Float32Array.from({ length: B * layout.headDim }, () => prng.normal());
    const weights = Float64Array.from({ length: B }, () => prng.normal());
    const objective = (p: Float32Array, h: Float32Array): number => klOf(distribution, p, input(h), old).reduce((sum, kl, b) => sum + weights[b] * kl, 0);

    // Pre-filled outputs: the backward adds to them.
    const dHead = new Float32Array(head.length).fill(0.5);
    const grad = new Float32Array(layout.size).fill(0.25);
    distribution.klFromOldBackward(params, input(head), old, weights, dHead, grad);
    const h = 1e-3;
    for (let i = 0; i < head.length; i++) {
      const plus = Float32Array.from(head);
      const minus = Float32Array.from(head);
      plus[i] += h;
      minus[i] -= h;
      expect(dHead[i] - 0.5, `head ${i}`).toBeCloseTo((objective(params, plus) - objective(params, minus)) / (plus[i] - minus[i]), 3);
    }
    if (layout.logStd) {
      for (let i = layout.logStd.offset; i < layout.logStd.offset + layout.logStd.size; i++) {
        const plus = Float32Array.from(params);
        const minus = Float32Array.from(params);
        plus[i] += h;
        minus[i] -= h;
        expect(grad[i] - 0.25, `logStd ${i}`).toBeCloseTo((objective(plus, head) - objective(minus, head)) / (plus[i] - minus[i]), 3);
      }
    }
    // Nothing else moves.
    for (let i = 0; i < layout.size; i++) if (!layout.logStd || i < layout.logStd.offset || i >= layout.logStd.offset + layout.logStd.size) expect(grad[i]).toBe(0.25);
  });
});

describe('ppoLoss with the exact KL', () => {
  const input = {
    batch: 3,
    logProb: Float64Array.from([-0.5, -1.2, -0.1]),
    logProbOld: [-0.6, -1.0, -0.1],
    advantages: [1, -2, 0.5],
    entropy: Float64Array.from([0.6, 0.4, 0.9]),
    values: [0, 0, 0],
    valuesOld: [0, 0, 0],
    returns: [0, 0, 0],
    klExact: Float64Array.from([0.02, 0.1, 0]),
  };
  const coefs: LossCoefficients = { objective: 'kl-fixed', clipRange: 0.2, clipRangeVf: null, entCoef: 0, vfCoef: 0, beta: 3, klEstimator: 'exact' };

  it('adds β·mean(KL) to the surrogate, and its gradient goes to the KL (β/B), not to log π', () => {
    const exact = ppoLoss(input, coefs);
    const surrogateOnly = ppoLoss(input, { ...coefs, objective: 'none' });
    expect(exact.klExact).toBeCloseTo(0.04, 14);
    expect(exact.policyLoss).toBeCloseTo(surrogateOnly.policyLoss + 3 * 0.04, 14);
    expect(Array.from(exact.dLogProb)).toEqual(Array.from(surrogateOnly.dLogProb));
    expect(Array.from(exact.dKl ?? [])).toEqual([1, 1, 1]);
    // The k3 version puts β(r − 1)/B on log π instead and has no ∂/∂KL.
    const k3 = ppoLoss(input, { ...coefs, klEstimator: 'k3' });
    expect(k3.dKl).toBeNull();
    expect(k3.dLogProb[0]).toBeCloseTo(surrogateOnly.dLogProb[0] + (3 * (Math.exp(0.1) - 1)) / 3, 12);
    expect(() => ppoLoss({ ...input, klExact: undefined }, coefs)).toThrow(/needs each row's KL/);
    // Objectives without a KL term ignore the estimator.
    expect(ppoLoss(input, { ...coefs, objective: 'clip' }).dKl).toBeNull();
  });
});
