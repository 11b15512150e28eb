import { describe, expect, it } from 'vitest';
import { a2cLoss, policyGradientLoss } from '../../../src/trainer/a2c/loss';

describe('a2cLoss', () => {
  const outputs = { batch: 3, logProb: Float64Array.from([-0.5, -1.2, -0.1]), entropy: Float64Array.from([0.6, 0.4, 0.9]), values: Float32Array.from([1, -0.5, 2]) };
  const targets = { advantages: [2, -1, 0.5], returns: [1.5, 0, 1] };
  const coefs = { entCoef: 0.1, vfCoef: 0.5 };

  it('is −mean(A·log π) + entCoef·(−mean H) + vfCoef·mean((R − V)²) (SB3 A2C.train)', () => {
    const out = a2cLoss(outputs, targets, coefs);
    const policyLoss = -(2 * -0.5 + -1 * -1.2 + 0.5 * -0.1) / 3;
    const valueLoss = (0.25 + 0.25 + 1) / 3;
    expect(out.policyLoss).toBeCloseTo(policyLoss, 12);
    expect(out.valueLoss).toBeCloseTo(valueLoss, 12);
    expect(out.entropy).toBeCloseTo(1.9 / 3, 12);
    expect(out.loss).toBeCloseTo(policyLoss - 0.1 * (1.9 / 3) + 0.5 * valueLoss, 12);
    expect(policyGradientLoss(-0.5, 2)).toBe(1);
  });

  it('its gradients w.r.t. log π, H and V are the central differences of its total loss', () => {
    const out = a2cLoss(outputs, targets, coefs);
    const h = 1e-6;
    for (let b = 0; b < 3; b++) {
      const shifted = (field: 'logProb' | 'entropy' | 'values', d: number) => {
        const copy = { ...outputs, [field]: outputs[field].slice() };
        copy[field][b] += d;
        return a2cLoss(copy, targets, coefs).loss;
      };
      expect(out.dLogProb[b]).toBeCloseTo((shifted('logProb', h) - shifted('logProb', -h)) / (2 * h), 6);
      expect(out.dEntropy[b]).toBeCloseTo((shifted('entropy', h) - shifted('entropy', -h)) / (2 * h), 6);
      // values are float32: a wider step.
      expect(out.dValues[b]).toBeCloseTo((shifted('values', 1e-3) - shifted('values', -1e-3)) / 2e-3, 4);
    }
  });
});
