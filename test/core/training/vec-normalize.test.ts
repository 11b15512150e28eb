import { describe, expect, it } from 'vitest';
import { VecNormalize } from '../../../src/core/training/vec-normalize';

const options = { nEnvs: 2, obsDim: 2, normObs: true, normReward: true, clipObs: 10, clipReward: 10, gamma: 0.9 };

describe('VecNormalize (SB3 semantics)', () => {
  it('updates observation statistics with the batch, then normalizes and clips', () => {
    const v = new VecNormalize(options);
    const out = v.normalizeObsBatch(Float32Array.from([1, 100, 3, 300]), true);
    // After one batch: mean = [2, 200], var ≈ [1, 10000] (count 1e-4 barely matters).
    expect(v.obsRms.mean[0]).toBeCloseTo(2, 3);
    expect(v.obsRms.var[1]).toBeCloseTo(10000, -1);
    expect(out[0]).toBeCloseTo(-1, 3);
    expect(out[3]).toBeCloseTo(1, 3);
    const far = v.normalizeObsBatch(Float32Array.from([1000, 200, 2, 200]), false);
    expect(far[0]).toBe(10); // clipped
    expect(v.obsRms.mean[0]).toBeCloseTo(2, 3); // not updated
  });

  it('scales rewards by the std of the discounted return and resets it at episode ends', () => {
    const v = new VecNormalize(options);
    const r1 = Float64Array.from([1, 2]);
    v.normalizeRewardBatch(r1, [0, 0], [0, 0]);
    expect(Array.from(v.returns)).toEqual([1, 2]);
    const scale = Math.sqrt(v.retRms.var[0] + 1e-8);
    expect(r1[0]).toBeCloseTo(1 / scale, 10); // mean not subtracted
    const r2 = Float64Array.from([1, 1]);
    v.normalizeRewardBatch(r2, [1, 0], [0, 1]);
    expect(Array.from(v.returns)).toEqual([0, 0]); // reset on terminated and on truncated
  });

  it('scales a normalized reward back to env units (SB3 unnormalize_reward), and leaves it alone without reward normalization', () => {
    const v = new VecNormalize(options);
    const raw = [3, -7];
    const rewards = Float64Array.from(raw);
    v.normalizeRewardBatch(rewards, [0, 0], [0, 0]);
    expect(Math.abs(rewards[1]!)).toBeLessThan(Math.abs(raw[1]!)); // the scaling did something
    expect(v.unnormalizeReward(rewards[0]!)).toBeCloseTo(raw[0]!, 10);
    expect(v.unnormalizeReward(rewards[1]!)).toBeCloseTo(raw[1]!, 10);
    const obsOnly = new VecNormalize({ ...options, normReward: false });
    obsOnly.retRms.update(Float64Array.from([100, -100]), 2);
    expect(obsOnly.unnormalizeReward(-2.5)).toBe(-2.5);
  });

  it('round-trips through JSON', () => {
    const v = new VecNormalize(options);
    v.normalizeObsBatch(Float32Array.from([1, 2, 3, 4]), true);
    v.normalizeRewardBatch(Float64Array.from([1, 2]), [0, 0], [0, 0]);
    const w = VecNormalize.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    expect(Array.from(w.normalizeObsBatch(Float32Array.from([5, 6, 7, 8]), false))).toEqual(Array.from(v.normalizeObsBatch(Float32Array.from([5, 6, 7, 8]), false)));
    expect(Array.from(w.returns)).toEqual([1, 2]);
  });
});
