import { describe, expect, it } from 'vitest';
import { stepActions } from '../../src/trainer/ppo/actions';

describe('stepActions', () => {
  it('passes Discrete indices through and clips Box samples, leaving the sample untouched', () => {
    expect(Array.from(stepActions({ kind: 'discrete', n: 3 }, Float32Array.from([2, 0]), new Float32Array(2)))).toEqual([2, 0]);
    const sampled = Float32Array.from([-2.5, 0.25]);
    const box = { kind: 'box' as const, dim: 1, low: Float32Array.from([-2]), high: Float32Array.from([2]) };
    expect(Array.from(stepActions(box, sampled, new Float32Array(2)))).toEqual([-2, 0.25]);
    expect(sampled[0]).toBe(-2.5);
  });
});
