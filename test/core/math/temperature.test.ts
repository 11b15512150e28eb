import { describe, expect, it } from 'vitest';
import {
  argmax,
  categoricalEntropy,
  gaussianDensity,
  gaussianEntropy,
  sampleCategorical,
  softmaxWithTemperature,
  temperedGaussianAction,
  temperedProbs,
  temperedStd,
} from '../../../src/core/math/temperature';
import { createRng } from '../../../src/core/rng';

const close = (actual: number[], expected: number[], digits = 12): void => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
};

describe('categorical temperature', () => {
  it('is softmax(logits / T): logits 0 and ln 3 give 1/4, 3/4 at T = 1 and 1/10, 9/10 at T = 1/2', () => {
    close(softmaxWithTemperature([0, Math.log(3)], 1), [0.25, 0.75]);
    // logits / ½ = 0, 2·ln 3: weights 1 and 9.
    close(softmaxWithTemperature([0, Math.log(3)], 0.5), [0.1, 0.9]);
    // logits / 2 = 0, ln √3.
    close(softmaxWithTemperature([0, Math.log(3)], 2), [1 / (1 + Math.sqrt(3)), Math.sqrt(3) / (1 + Math.sqrt(3))]);
  });

  it('does not depend on a constant added to the logits, so probabilities temper as p^(1/T) normalised', () => {
    close(softmaxWithTemperature([100, 100 + Math.log(3)], 0.5), [0.1, 0.9]);
    // p² normalised: 1/16 and 9/16 over 10/16.
    close(temperedProbs([0.25, 0.75], 0.5), [0.1, 0.9]);
    close(temperedProbs([0.2, 0.3, 0.5], 1), [0.2, 0.3, 0.5]);
  });

  it('is greedy at T = 0 (ties to the first action) and uniform as T grows', () => {
    expect(softmaxWithTemperature([0.1, 2, -1], 0)).toEqual([0, 1, 0]);
    expect(temperedProbs([0.4, 0.4, 0.2], 0)).toEqual([1, 0, 0]);
    expect(argmax([3, 5, 5])).toBe(1);
    close(temperedProbs([0.1, 0.9], 1e9), [0.5, 0.5], 6);
  });

  it('keeps a zero-probability action at zero for T > 0', () => {
    close(temperedProbs([0, 0.5, 0.5], 3), [0, 0.5, 0.5]);
  });

  it('rejects a negative or non-finite temperature', () => {
    expect(() => softmaxWithTemperature([0, 1], -0.1)).toThrow(/temperature/);
    expect(() => temperedStd([1], Number.NaN)).toThrow(/temperature/);
  });

  it('has entropy −Σ p log p: ln 2 for a fair coin, 0 for a sure action, and it grows with T', () => {
    expect(categoricalEntropy([0.5, 0.5])).toBeCloseTo(Math.LN2, 12);
    expect(categoricalEntropy([1, 0])).toBe(0);
    expect(categoricalEntropy([0.25, 0.75])).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 12);
    const p = [0.7, 0.2, 0.1];
    const h = [0.25, 0.5, 1, 2, 4].map((t) => categoricalEntropy(temperedProbs(p, t)));
    for (let i = 1; i < h.length; i++) expect(h[i]!).toBeGreaterThan(h[i - 1]!);
    expect(h.at(-1)!).toBeLessThan(Math.log(3));
  });

  it('samples by the inverse CDF of one uniform draw', () => {
    const p = [0.2, 0.5, 0.3];
    expect([0, 0.1999, 0.2, 0.69, 0.7, 0.9999].map((u) => sampleCategorical(p, u))).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('Gaussian temperature', () => {
  it('scales the std by √T (the variance by T)', () => {
    close(temperedStd([2, 0.5], 4), [4, 1]);
    close(temperedStd([2], 0), [0]);
  });

  it('has entropy Σ ½ log(2πe σ²), which gains ½ ln T per dimension at temperature T', () => {
    expect(gaussianEntropy([1])).toBeCloseTo(0.5 * Math.log(2 * Math.PI * Math.E), 12);
    expect(gaussianEntropy([1])).toBeCloseTo(1.4189385332046727, 12);
    const std = [0.3, 1.5];
    expect(gaussianEntropy(temperedStd(std, 5))).toBeCloseTo(gaussianEntropy(std) + Math.log(5), 12);
    expect(gaussianEntropy([1, 0])).toBe(-Infinity);
  });

  it('has the normal density', () => {
    expect(gaussianDensity(0, 0, 1)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 12);
    expect(gaussianDensity(3, 1, 2)).toBeCloseTo(Math.exp(-0.5) / (2 * Math.sqrt(2 * Math.PI)), 12);
  });

  it('moves a T = 1 draw to μ + √T(a − μ): the mean at T = 0, variance σ²T over many draws', () => {
    expect(temperedGaussianAction([1], [3], 0.25)).toEqual([2]);
    expect(temperedGaussianAction([1, -1], [3, 5], 0)).toEqual([1, -1]);
    const rng = createRng(11);
    const sigma = 0.5;
    const t = 3;
    const draws: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      draws.push(temperedGaussianAction([2], [2 + sigma * rng.normal()], t)[0]!);
    }
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length;
    expect(mean).toBeCloseTo(2, 1);
    expect(variance / (sigma * sigma * t)).toBeGreaterThan(0.96);
    expect(variance / (sigma * sigma * t)).toBeLessThan(1.04);
  });
});
