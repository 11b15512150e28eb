import { describe, expect, it } from 'vitest';
import { computeGae, computeNStepReturns, episodeGae, explainedVariance, meanStd, monteCarloReturns, normalizeAdvantages } from '../../../src/core/math/returns';

/** Straightforward per-env reference: walk episodes forward, sum discounted deltas. */
function referenceGae(r: number[], v: number[], starts: number[], lastV: number, lastStart: number, gamma: number, lambda: number): number[] {
  const T = r.length;
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    let a = 0;
    let coef = 1;
    for (let k = t; k < T; k++) {
      const done = k === T - 1 ? lastStart : starts[k + 1];
      const nextV = k === T - 1 ? lastV : v[k + 1];
      a += coef * (r[k] + gamma * nextV * (1 - done) - v[k]);
      if (done) break;
      coef *= gamma * lambda;
    }
    out.push(a);
  }
  return out;
}

describe('computeGae', () => {
  const rewards = [1, 0.5, -1, 2, 0, 1];
  const values = [0.3, -0.2, 0.1, 0.5, 0.4, -0.3];
  const starts = [1, 0, 0, 1, 0, 0]; // an episode ended after step 2
  const shape = { nSteps: 6, nEnvs: 1 };

  it('matches the sum of discounted TD errors, cut at episode ends', () => {
    const adv = new Float32Array(6);
    const ret = new Float32Array(6);
    computeGae(shape, rewards, values, starts, [0.7], [0], 0.9, 0.8, adv, ret);
    const ref = referenceGae(rewards, values, starts, 0.7, 0, 0.9, 0.8);
    ref.forEach((a, i) => {
      expect(adv[i]).toBeCloseTo(a, 5);
      expect(ret[i]).toBeCloseTo(a + values[i], 5);
    });
  });

  it('λ = 0 gives one-step TD errors; λ = 1 gives Monte Carlo returns minus values', () => {
    const adv = new Float32Array(6);
    const ret = new Float32Array(6);
    computeGae(shape, rewards, values, starts, [0.7], [1], 0.9, 0, adv, ret);
    expect(adv[0]).toBeCloseTo(1 + 0.9 * -0.2 - 0.3, 5);
    expect(adv[2]).toBeCloseTo(-1 - 0.1, 5); // terminal: no bootstrap
    expect(adv[5]).toBeCloseTo(1 - -0.3, 5); // last step ended an episode
    computeGae(shape, rewards, values, starts, [0.7], [0], 0.9, 1, adv, ret);
    expect(ret[0]).toBeCloseTo(1 + 0.9 * 0.5 + 0.81 * -1, 5);
    expect(ret[3]).toBeCloseTo(2 + 0.9 * 0 + 0.81 * 1 + 0.729 * 0.7, 5);
  });

  it('keeps envs independent in the [step][env] layout', () => {
    // Two envs interleaved: env 0 = the sequence above, env 1 = all zeros rewards with constant values.
    const r2: number[] = [];
    const v2: number[] = [];
    const s2: number[] = [];
    for (let t = 0; t < 6; t++) {
      r2.push(rewards[t], 0);
      v2.push(values[t], 1);
      s2.push(starts[t], t === 0 ? 1 : 0);
    }
    const adv = new Float32Array(12);
    const ret = new Float32Array(12);
    computeGae({ nSteps: 6, nEnvs: 2 }, r2, v2, s2, [0.7, 1], [0, 0], 0.9, 0.8, adv, ret);
    const ref = referenceGae(rewards, values, starts, 0.7, 0, 0.9, 0.8);
    for (let t = 0; t < 6; t++) expect(adv[t * 2]).toBeCloseTo(ref[t], 5);
    expect(adv[1]).toBeCloseTo(referenceGae([0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0], 1, 0, 0.9, 0.8)[0], 5);
  });
});

describe('episodeGae', () => {
  // Three steps of reward 1, V = 0.5 everywhere, γ = 0.9.
  const base = { rewards: [1, 1, 1], values: [0.5, 0.5, 0.5] };
  const close = (actual: Float32Array, expected: number[]): void => expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 5));

  it('is TD(0) at λ = 0: δ_t = r_t + γV(s_{t+1}) − V(s_t), with no bootstrap after a terminal', () => {
    close(episodeGae({ ...base, lastValue: 99, terminated: true }, 0.9, 0).advantages, [0.95, 0.95, 0.5]);
  });

  it('is the Monte-Carlo return minus V(s_t) at λ = 1: G = 2.71, 1.9, 1', () => {
    close(episodeGae({ ...base, lastValue: 99, terminated: true }, 0.9, 1).advantages, [2.21, 1.4, 0.5]);
  });

  it('blends them at 0 < λ < 1: A_t = δ_t + γλ·A_{t+1}', () => {
    // A_2 = 0.5; A_1 = 0.95 + 0.45·0.5 = 1.175; A_0 = 0.95 + 0.45·1.175 = 1.47875.
    const { advantages, returns } = episodeGae({ ...base, lastValue: 0, terminated: true }, 0.9, 0.5);
    close(advantages, [1.47875, 1.175, 0.5]);
    close(returns, [1.97875, 1.675, 1]);
  });

  it('bootstraps from V(s_T) when the episode was truncated', () => {
    // V(s_3) = 2: δ_2 = 1 + 1.8 − 0.5 = 2.3; MC with bootstrap: G = 4.168, 3.52, 2.8.
    close(episodeGae({ ...base, lastValue: 2, terminated: false }, 0.9, 0).advantages, [0.95, 0.95, 2.3]);
    close(episodeGae({ ...base, lastValue: 2, terminated: false }, 0.9, 1).advantages, [3.668, 3.02, 2.3]);
  });

  it('needs one value per reward', () => {
    expect(() => episodeGae({ rewards: [1, 2], values: [0], lastValue: 0, terminated: true }, 0.9, 0.9)).toThrow(/values/);
  });
});

describe('computeNStepReturns', () => {
  const rewards = [1, 2, 3, 4];
  const values = [10, 20, 30, 40];
  const shape = { nSteps: 4, nEnvs: 1 };

  it('n = 1 is the one-step TD target', () => {
    const adv = new Float32Array(4);
    const ret = new Float32Array(4);
    computeNStepReturns(shape, rewards, values, [1, 0, 0, 0], [50], [0], 0.5, 1, adv, ret);
    expect(Array.from(ret)).toEqual([1 + 0.5 * 20, 2 + 0.5 * 30, 3 + 0.5 * 40, 4 + 0.5 * 50]);
    expect(adv[0]).toBeCloseTo(ret[0] - 10, 6);
  });

  it('n = 2 bootstraps two steps ahead, stops at terminals and at the rollout end', () => {
    const adv = new Float32Array(4);
    const ret = new Float32Array(4);
    // Episode ends after step 1 (starts[2] = 1).
    computeNStepReturns(shape, rewards, values, [1, 0, 1, 0], [50], [0], 0.5, 2, adv, ret);
    expect(ret[0]).toBeCloseTo(1 + 0.5 * 2, 6); // terminal after step 1: no bootstrap
    expect(ret[1]).toBeCloseTo(2, 6);
    expect(ret[2]).toBeCloseTo(3 + 0.5 * 4 + 0.25 * 50, 6); // rollout end: bootstrap from the last value
    expect(ret[3]).toBeCloseTo(4 + 0.5 * 50, 6);
  });
});

describe('normalizeAdvantages / explainedVariance', () => {
  it('normalizes to mean 0 and (unbiased) std 1', () => {
    const x = Float32Array.from([1, 2, 3, 4, 10]);
    normalizeAdvantages(x, x);
    const { mean } = meanStd(x);
    expect(mean).toBeCloseTo(0, 6);
    const sq = Array.from(x).reduce((a, b) => a + b * b, 0) / (x.length - 1);
    expect(sq).toBeCloseTo(1, 4);
  });

  it('leaves a batch of one alone', () => {
    const x = Float32Array.from([5]);
    normalizeAdvantages(x, x);
    expect(x[0]).toBe(5);
  });

  it('is 1 for perfect predictions, 0 for the mean, NaN for constant targets', () => {
    expect(explainedVariance([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(explainedVariance([2, 2, 2], [1, 2, 3])).toBeCloseTo(0, 10);
    expect(explainedVariance([1, 2, 3], [2, 2, 2])).toBeNaN();
  });
});

describe('monteCarloReturns', () => {
  it('reward-to-go and whole-episode returns of one hand-worked episode', () => {
    const returns = new Float32Array(3);
    monteCarloReturns({ nSteps: 3, nEnvs: 1 }, [1, 2, 3], [1, 0, 0], 0.5, true, returns);
    // G_0 = 1 + 0.5·2 + 0.25·3, G_1 = 2 + 0.5·3, G_2 = 3.
    expect(Array.from(returns)).toEqual([2.75, 3.5, 3]);
    monteCarloReturns({ nSteps: 3, nEnvs: 1 }, [1, 2, 3], [1, 0, 0], 0.5, false, returns);
    expect(Array.from(returns)).toEqual([2.75, 2.75, 2.75]);
  });

  it('cuts at episode starts per env of a [step][env] rollout, and closes each env’s last segment at the rollout’s end', () => {
    // env 0: episodes [1, 2] and [3, 4]; env 1: the end of an episode begun before, [1, 1, 1], then [1].
    const rewards = [1, 1, 2, 1, 3, 1, 4, 1];
    const episodeStarts = [1, 0, 0, 0, 1, 0, 0, 1];
    const returns = new Float32Array(8);
    monteCarloReturns({ nSteps: 4, nEnvs: 2 }, rewards, episodeStarts, 0.5, true, returns);
    expect(Array.from(returns)).toEqual([2, 1.75, 2, 1.5, 5, 1, 4, 1]);
    monteCarloReturns({ nSteps: 4, nEnvs: 2 }, rewards, episodeStarts, 0.5, false, returns);
    expect(Array.from(returns)).toEqual([2, 1.75, 2, 1.75, 5, 1.75, 5, 1]);
  });

  it('with γ = 1 the whole-episode weight is the undiscounted episode return on every step', () => {
    const returns = new Float32Array(5);
    monteCarloReturns({ nSteps: 5, nEnvs: 1 }, [1, 1, 1, 2, 2], [1, 0, 0, 1, 0], 1, false, returns);
    expect(Array.from(returns)).toEqual([3, 3, 3, 4, 4]);
  });
});
