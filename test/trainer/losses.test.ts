import { describe, expect, it } from 'vitest';
import { clippedSurrogate, clippedSurrogateGrad, clippedValue, klK3, ppoLoss, type LossCoefficients } from '../../src/trainer/ppo/losses';

describe('clipped surrogate', () => {
  it('is −min(rA, clip(r)A)', () => {
    expect(clippedSurrogate(1.5, 2, 0.2)).toBeCloseTo(-1.2 * 2); // positive advantage: capped at 1 + ε
    expect(clippedSurrogate(0.5, 2, 0.2)).toBeCloseTo(-0.5 * 2); // below 1 − ε: the unclipped term is smaller
    expect(clippedSurrogate(0.5, -2, 0.2)).toBeCloseTo(0.8 * 2); // negative advantage: capped at 1 − ε
    expect(clippedSurrogate(1.5, -2, 0.2)).toBeCloseTo(1.5 * 2);
  });

  it('has zero gradient exactly where clipping is active', () => {
    expect(clippedSurrogateGrad(1.5, 2, 0.2)).toBe(0);
    expect(clippedSurrogateGrad(0.5, -2, 0.2)).toBe(0);
    expect(clippedSurrogateGrad(0.5, 2, 0.2)).toBe(-2);
    expect(clippedSurrogateGrad(1.1, -2, 0.2)).toBe(2);
  });
});

describe('KL and value clipping', () => {
  it('k3 is zero at r = 1 and positive elsewhere', () => {
    expect(klK3(1, 0)).toBe(0);
    expect(klK3(Math.exp(0.3), 0.3)).toBeGreaterThan(0);
    expect(klK3(Math.exp(-0.3), -0.3)).toBeGreaterThan(0);
  });

  it('clips the value change around the old value (SB3)', () => {
    expect(clippedValue(2, 1, 0.5)).toEqual([1.5, 0]);
    expect(clippedValue(0.2, 1, 0.5)).toEqual([0.5, 0]);
    expect(clippedValue(1.2, 1, 0.5)).toEqual([1.2, 1]);
    expect(clippedValue(5, 1, null)).toEqual([5, 1]);
  });
});

describe('ppoLoss', () => {
  const input = {
    batch: 2,
    logProb: Float64Array.from([Math.log(1.5), Math.log(0.9)]),
    logProbOld: [0, 0],
    advantages: [1, -1],
    entropy: Float64Array.from([0.6, 0.4]),
    values: [1, 2],
    valuesOld: [1, 2],
    returns: [2, 0],
  };
  const coefs: LossCoefficients = { objective: 'clip', clipRange: 0.2, clipRangeVf: null, entCoef: 0.01, vfCoef: 0.5, beta: 3 };

  it('combines surrogate, value MSE (no ½) and entropy bonus', () => {
    const out = ppoLoss(input, coefs);
    expect(out.policyLoss).toBeCloseTo((-1.2 + 0.9) / 2, 10);
    expect(out.valueLoss).toBeCloseTo((1 + 4) / 2, 10);
    expect(out.entropy).toBeCloseTo(0.5, 10);
    expect(out.loss).toBeCloseTo(out.policyLoss - 0.01 * 0.5 + 0.5 * 2.5, 10);
    expect(out.clipFraction).toBe(0.5);
    expect(out.ratioMax).toBeCloseTo(1.5, 10);
    expect(out.approxKlK1).toBeCloseTo(-(Math.log(1.5) + Math.log(0.9)) / 2, 10);
  });

  it('switches objectives', () => {
    const none = ppoLoss(input, { ...coefs, objective: 'none' });
    expect(none.policyLoss).toBeCloseTo((-1.5 + 0.9) / 2, 10);
    const klFixed = ppoLoss(input, { ...coefs, objective: 'kl-fixed' });
    expect(klFixed.policyLoss).toBeCloseTo(none.policyLoss + 3 * klFixed.approxKl, 10);
    const clipKl = ppoLoss(input, { ...coefs, objective: 'clip+kl' });
    expect(clipKl.policyLoss).toBeCloseTo(ppoLoss(input, coefs).policyLoss + 3 * clipKl.approxKl, 10);
  });

  it('gives gradients that match finite differences in log π and V', () => {
    for (const objective of ['clip', 'none', 'kl-adaptive', 'clip+kl'] as const) {
      const c = { ...coefs, objective, clipRangeVf: 0.5 };
      const out = ppoLoss(input, c);
      for (let b = 0; b < 2; b++) {
        const h = 1e-6;
        const lp = (d: number) => {
          const logProb = Float64Array.from(input.logProb);
          logProb[b] += d;
          return ppoLoss({ ...input, logProb }, c).loss;
        };
        expect(out.dLogProb[b]).toBeCloseTo((lp(h) - lp(-h)) / (2 * h), 5);
        const v = (d: number) => {
          const values = [...input.values];
          values[b] += d;
          return ppoLoss({ ...input, values }, c).loss;
        };
        expect(out.dValues[b]).toBeCloseTo((v(h) - v(-h)) / (2 * h), 4);
        expect(out.dEntropy[b]).toBeCloseTo(-0.01 / 2, 10);
      }
    }
  });
});
