import { describe, expect, it } from 'vitest';
import { GROUP_STD_EPS, groupAdvantages, groupStats, rewardsToGo } from '../../../src/core/math/group-advantages';

const ones = (n: number): number[] => new Array<number>(n).fill(1);

describe('groupStats', () => {
  it('is the mean and the sample std (n − 1, torch.std as TRL uses it)', () => {
    // Returns 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14 over n − 1 = 3.
    expect(groupStats([1, 2, 3, 6])).toEqual({ mean: 3, std: Math.sqrt(14 / 3), zeroSpread: false });
  });

  it('calls a group of equal values zero-spread, with std 0', () => {
    expect(groupStats([0.1, 0.1, 0.1])).toEqual({ mean: 0.1, std: 0, zeroSpread: true });
  });

  it('needs two values', () => {
    expect(() => groupStats([5])).toThrow(/at least 2/);
  });
});

describe('rewardsToGo', () => {
  it('discounts from each step on: G_t = r_t + γ·G_{t+1}', () => {
    expect(Array.from(rewardsToGo([1, 1, 1], 0.5))).toEqual([1.75, 1.5, 1]);
    expect(Array.from(rewardsToGo([-1, 0, 2], 1))).toEqual([1, 2, 2]);
  });
});

describe('groupAdvantages, outcome', () => {
  it('gives every step of episode i (Rᵢ − mean R)/(std R + ε)', () => {
    // CartPole-like rewards: returns 1, 2, 3 and (two steps of 3) 6.
    const { advantages, returns, stats } = groupAdvantages([[1], ones(2), ones(3), [3, 3]], 1, 'outcome');
    const std = Math.sqrt(14 / 3);
    expect(Array.from(returns)).toEqual([1, 2, 3, 6]);
    expect(stats).toEqual({ mean: 3, std, zeroSpread: false });
    expect(advantages.map((a) => a.length)).toEqual([1, 2, 3, 2]);
    const expected = [1, 2, 3, 6].map((r) => (r - 3) / (std + GROUP_STD_EPS));
    advantages.forEach((a, i) => a.forEach((x) => expect(x).toBeCloseTo(expected[i], 12)));
    expect(expected[3]).toBeCloseTo(3 / (2.1602469 + 1e-4), 6);
  });

  it('scores with the discounted return from the start', () => {
    // γ = 0.5: [1, 1] → 1.5, [2] → 2, [0, 4] → 2; mean 11/6.
    const { returns, stats } = groupAdvantages([[1, 1], [2], [0, 4]], 0.5, 'outcome');
    expect(Array.from(returns)).toEqual([1.5, 2, 2]);
    expect(stats.mean).toBeCloseTo(11 / 6, 12);
  });

  it('gives a zero-spread group exactly zero advantages, not NaN or rounding noise', () => {
    // Three returns of 0.1: their float mean is 0.10000000000000002, so (R − mean)/(0 + ε) would be −1.4e-13, not 0.
    const tenths = groupAdvantages([[0.1], [0.1], [0.1]], 1, 'outcome');
    expect(tenths.stats.zeroSpread).toBe(true);
    for (const a of tenths.advantages) expect(Array.from(a)).toEqual([0]);
    // Different episodes with the same return (2): no signal either.
    const same = groupAdvantages([[1, 1], [2], [0, 2]], 1, 'outcome');
    expect(same.advantages.flatMap((a) => Array.from(a))).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('groupAdvantages, reward-to-go', () => {
  it('normalizes the returns from t over the group at each time step, an ended episode counting 0', () => {
    // Lengths 1, 2, 3 with reward 1: G = [1], [2, 1], [3, 2, 1].
    const { advantages, stats } = groupAdvantages([[1], ones(2), ones(3)], 1, 'reward-to-go');
    const eps = GROUP_STD_EPS;
    // t = 0: [1, 2, 3], mean 2, std 1.
    expect(advantages[0][0]).toBeCloseTo(-1 / (1 + eps), 12);
    expect(advantages[1][0]).toBe(0);
    expect(advantages[2][0]).toBeCloseTo(1 / (1 + eps), 12);
    // t = 1: [0, 1, 2] (episode 0 has ended), mean 1, std 1.
    expect(advantages[1][1]).toBe(0);
    expect(advantages[2][1]).toBeCloseTo(1 / (1 + eps), 12);
    // t = 2: [0, 0, 1], mean 1/3, std √((1/9 + 1/9 + 4/9)/2) = √(1/3).
    expect(advantages[2][2]).toBeCloseTo((2 / 3) / (Math.sqrt(1 / 3) + eps), 12);
    // The statistics are those of the returns from the start.
    expect(stats).toEqual({ mean: 2, std: 1, zeroSpread: false });
  });

  it('is zero at a time step where the group does not spread, and zero throughout for identical episodes', () => {
    // t = 0: [2, 2] no spread; t = 1: [1, 0] spread.
    const { advantages } = groupAdvantages([[1, 1], [2]], 1, 'reward-to-go');
    expect(advantages[0][0]).toBe(0);
    expect(advantages[1][0]).toBe(0);
    expect(advantages[0][1]).toBeCloseTo((1 - 0.5) / (Math.SQRT1_2 + GROUP_STD_EPS), 12);
    const identical = groupAdvantages([[-1, -1, 0], [-1, -1, 0]], 0.99, 'reward-to-go');
    expect(identical.stats.zeroSpread).toBe(true);
    expect(identical.advantages.flatMap((a) => Array.from(a))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses an empty episode', () => {
    expect(() => groupAdvantages([[1], []], 1, 'reward-to-go')).toThrow(/at least one step/);
  });
});
