import { describe, expect, it } from 'vitest';
import { betaChanges, betaMove, klBand } from '../../../src/core/math/adaptive-beta';
import { adaptBeta } from '../../../src/trainer/ppo/update';

describe('adaptive β', () => {
  it('keeps β inside [d_targ/1.5, 1.5·d_targ], halves below, doubles above', () => {
    expect(klBand(0.015)).toEqual({ low: 0.01, high: 0.015 * 1.5 });
    expect(betaMove(0.005, 0.015)).toBe('halve');
    expect(betaMove(0.012, 0.015)).toBe('keep');
    expect(betaMove(0.03, 0.015)).toBe('double');
  });

  it('says what the trainer does', () => {
    for (const kl of [0, 0.001, 0.0066, 0.0067, 0.01, 0.0149, 0.0151, 0.02, 0.5]) {
      const next = adaptBeta(1, kl, 0.01);
      const expected = { halve: 0.5, double: 2, keep: 1 }[betaMove(kl, 0.01)];
      expect(next, `kl=${kl}`).toBe(expected);
    }
  });

  it('finds each halving and doubling in a logged β series, skipping gaps', () => {
    expect(betaChanges([1, 1, 0.5, 0.5, NaN, 1, 3, 3])).toEqual([
      { index: 2, from: 1, to: 0.5, kind: 'halve' },
      { index: 5, from: 0.5, to: 1, kind: 'double' },
      { index: 6, from: 1, to: 3, kind: 'other' },
    ]);
    expect(betaChanges([])).toEqual([]);
    expect(betaChanges([2, 2, 2])).toEqual([]);
  });
});
