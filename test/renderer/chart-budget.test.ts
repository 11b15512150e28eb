import { describe, expect, it } from 'vitest';
import { pointBudget } from '../../src/renderer/src/lib/charts/budget';

describe('point budget', () => {
  it('gives few runs full resolution and many runs fewer points, within 100..500', () => {
    expect(pointBudget(4)).toBe(500);
    expect(pointBudget(100)).toBe(250);
    expect(pointBudget(1_000)).toBe(100);
    expect(pointBudget(0)).toBe(500);
  });
});
