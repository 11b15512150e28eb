import { describe, expect, it } from 'vitest';
import { createPrng } from '../../../src/trainer/nn/prng';
import { createRewardModel, predictRewards, preferenceLossAndGradient, rewardModelStep } from '../../../src/trainer/rlhf/reward-model';
import { PreferenceSet, segmentPairsBatch } from '../../../src/trainer/rlhf/preference-set';
import { rateSegments } from '../../../src/core/math/preferences';

const INPUT = 3;
/** The hidden true reward of the synthetic problem. */
const trueReward = (x: Float32Array, r: number) => x[r * INPUT] - 0.5 * x[r * INPUT + 1] ** 2 + 0.3 * x[r * INPUT + 2];

function randomSegment(prng: ReturnType<typeof createPrng>, maxLength: number): Float32Array {
  const length = 1 + prng.integer(maxLength);
  return Float32Array.from({ length: length * INPUT }, () => 2 * prng.random() - 1);
}

const segmentReturn = (s: Float32Array) => {
  let sum = 0;
  for (let r = 0; r < s.length / INPUT; r++) sum += trueReward(s, r);
  return sum;
};

describe('reward model', () => {
  it('has the gradient of the Bradley–Terry loss w.r.t. its parameters (finite differences)', () => {
    const prng = createPrng(5);
    const model = createRewardModel(INPUT, [8, 6], prng);
    const segments = Array.from({ length: 8 }, () => randomSegment(prng, 4));
    const batch = segmentPairsBatch(INPUT, 4, (k, which) => segments[2 * k + which], (k) => [1, 0, 0.5, 1][k]);
    const grad = new Float32Array(model.params.length);
    preferenceLossAndGradient(model, batch, grad);
    const scratch = new Float32Array(model.params.length);
    const h = 1e-2;
    let checked = 0;
    for (let i = 0; i < model.params.length; i += 3) {
      const p = model.params[i];
      model.params[i] = p + h;
      const up = preferenceLossAndGradient(model, batch, scratch);
      model.params[i] = p - h;
      const down = preferenceLossAndGradient(model, batch, scratch);
      model.params[i] = p;
      // float32 forward: central differences with h = 1e-2 agree to ~1e-4.
      expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 3);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    expect(grad.some((g) => Math.abs(g) > 1e-3)).toBe(true);
  });

  it('learns to rank segments of a hidden reward from noisy preferences (held-out accuracy > 0.9)', () => {
    const prng = createPrng(1);
    const model = createRewardModel(INPUT, [32, 32], prng);
    const set = new PreferenceSet(INPUT, 5);
    const rater = { temperature: 0.5, errorRate: 0.1 };
    for (let k = 0; k < 1000; k++) {
      const a = randomSegment(prng, 5);
      const b = randomSegment(prng, 5);
      set.add(a, b, rateSegments(segmentReturn(a), segmentReturn(b), rater, prng));
    }
    const grad = new Float32Array(model.params.length);
    const indices = new Int32Array(64);
    for (let step = 0; step < 600; step++) {
      for (let i = 0; i < 64; i++) indices[i] = prng.integer(set.size);
      rewardModelStep(model, set.batch(indices), 3e-3, grad);
    }
    let correct = 0;
    let pairs = 0;
    for (let k = 0; k < 500; k++) {
      const a = randomSegment(prng, 5);
      const b = randomSegment(prng, 5);
      const truth = segmentReturn(a) - segmentReturn(b);
      if (truth === 0) continue;
      const sum = (s: Float32Array) => predictRewards(model, s, s.length / INPUT).reduce((x, y) => x + y, 0);
      if (Math.sign(sum(a) - sum(b)) === Math.sign(truth)) correct++;
      pairs++;
    }
    expect(correct / pairs).toBeGreaterThan(0.9);
  });

  it('the preference set round-trips through its JSON form exactly', () => {
    const prng = createPrng(2);
    const set = new PreferenceSet(INPUT, 5, 2);
    for (let k = 0; k < 5; k++) set.add(randomSegment(prng, 5), randomSegment(prng, 5), k % 2);
    const copy = PreferenceSet.fromJSON(INPUT, 5, JSON.parse(JSON.stringify(set.toJSON())));
    expect(copy.size).toBe(5);
    expect(copy.batch([0, 1, 2, 3, 4])).toEqual(set.batch([0, 1, 2, 3, 4]));
  });
});
