// Wrappers against hand-worked cases of Gymnasium's update rules.
import { describe, expect, it } from 'vitest';
import {
  ClipAction,
  ClipObservation,
  ClipReward,
  NormalizeObservation,
  NormalizeReward,
  RecordEpisodeStatistics,
  RunningMeanStd,
  makeEnv,
} from '../../../src/core/envs/index';

describe('RunningMeanStd', () => {
  it('starts at mean 0, var 1, count 1e-4 and merges batches with the parallel update', () => {
    const rms = new RunningMeanStd(2);
    expect([Array.from(rms.mean), Array.from(rms.var), rms.count]).toEqual([[0, 0], [1, 1], 1e-4]);
    // Batch rows [1, 10], [3, 30]: batch mean [2, 20], batch var [1, 100], n = 2.
    rms.update([1, 10, 3, 30], 2);
    const tot = 1e-4 + 2;
    expect(rms.count).toBe(tot);
    expect(rms.mean[0]).toBe(0 + (2 * 2) / tot);
    expect(rms.var[0]).toBe((1 * 1e-4 + 1 * 2 + ((2 * 2 * 1e-4) * 2) / tot) / tot);
    expect(rms.mean[1]).toBe(0 + (20 * 2) / tot);
    expect(rms.var[1]).toBe((1 * 1e-4 + 100 * 2 + ((20 * 20 * 1e-4) * 2) / tot) / tot);
  });

  it('approaches the sample mean and variance of a long stream', () => {
    const rms = new RunningMeanStd(1);
    const xs = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3 + 5);
    for (const x of xs) rms.update([x], 1);
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(rms.mean[0]).toBeCloseTo(mean, 3);
    expect(rms.var[0]).toBeCloseTo(variance, 2);
  });

  it('round-trips through JSON and rejects malformed input', () => {
    const rms = new RunningMeanStd(3);
    rms.update([1, 2, 3, 4, 5, 6], 2);
    const copy = RunningMeanStd.fromJSON(JSON.parse(JSON.stringify(rms.toJSON())));
    expect(copy.toJSON()).toEqual(rms.toJSON());
    expect(() => RunningMeanStd.fromJSON({ mean: [0], var: [1, 2], count: 1 })).toThrow(TypeError);
    expect(() => rms.update([1, 2], 1)).toThrow(RangeError);
  });
});

describe('NormalizeObservation', () => {
  it('normalizes with the statistics updated by the current observation, in float32', () => {
    const env = new NormalizeObservation(makeEnv('MountainCar-v0'));
    const [obs] = env.reset({ seed: 0 });
    const [raw] = makeEnv('MountainCar-v0').reset({ seed: 0 });
    // After one sample x: count = 1 + 1e-4, mean = x * 1 / count, var = (1e-4 + x^2 * 1e-4 / count) / count, in float32.
    const f = Math.fround;
    const count = f(1e-4 + 1);
    for (let i = 0; i < 2; i++) {
      const x = raw[i];
      const mean = f(f(x) / count);
      const variance = f(f(f(1 * f(1e-4)) + f(f(f(x * x) * f(1e-4)) / count)) / count);
      expect(env.obsRms.mean[i]).toBe(mean);
      expect(env.obsRms.var[i]).toBe(variance);
      expect(obs[i]).toBe(f(f(x - mean) / f(Math.sqrt(f(variance + f(1e-8))))));
    }
    expect(env.observationSpace.toString()).toBe('Box(-inf, inf, (2,), float32)');
  });

  it('freezes and restores statistics', () => {
    const env = new NormalizeObservation(makeEnv('CartPole-v1'));
    env.reset({ seed: 1 });
    for (let i = 0; i < 5; i++) env.step(i % 2);
    const stats = env.exportStats();
    const replay = new NormalizeObservation(makeEnv('CartPole-v1'));
    replay.importStats(stats);
    replay.updateRunningMean = false;
    const [a] = replay.reset({ seed: 3 });
    expect(replay.exportStats()).toEqual(stats);
    env.updateRunningMean = false;
    const [b] = env.reset({ seed: 3 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(() => replay.importStats({ mean: [0], var: [1], count: 1 })).toThrow(RangeError);
  });
});

describe('NormalizeReward', () => {
  it('scales rewards by the running std of the discounted return, resetting G only on termination', () => {
    const gamma = 0.9;
    const env = new NormalizeReward(makeEnv('CartPole-v1', { maxEpisodeSteps: 3 }), gamma);
    env.reset({ seed: 0 });
    const ref = new RunningMeanStd(1);
    let g = 0;
    const check = (reward: number, terminated: boolean, normalized: number) => {
      g = g * gamma * (1 - (terminated ? 1 : 0)) + reward;
      ref.update([g], 1);
      expect(env.discountedReward).toBe(g);
      expect(normalized).toBe(reward / Math.sqrt(ref.var[0] + 1e-8));
    };
    for (let i = 0; i < 3; i++) {
      const [, r, terminated, truncated] = env.step(1);
      check(1, terminated, r);
      expect(truncated).toBe(i === 2);
    }
    // Truncation does not reset G: the next episode continues accumulating.
    env.reset({ seed: 1 });
    const [, r] = env.step(0);
    check(1, false, r);
    expect(env.discountedReward).toBeCloseTo(1 + 0.9 + 0.81 * 1 + 0.729, 12);
    const stats = env.exportStats();
    const other = new NormalizeReward(makeEnv('CartPole-v1'));
    other.importStats(stats);
    expect(other.exportStats()).toEqual(stats);
  });
});

describe('RecordEpisodeStatistics', () => {
  it('reports return and length on the ending step and keeps queues', () => {
    const env = new RecordEpisodeStatistics(makeEnv('Pendulum-v1', { maxEpisodeSteps: 4 }), 2);
    for (let episode = 0; episode < 3; episode++) {
      env.reset({ seed: episode });
      let total = 0;
      for (let t = 0; t < 4; t++) {
        const [, r, , truncated, info] = env.step([0.5]);
        total += r;
        if (t < 3) expect(info).toEqual({});
        else {
          expect(truncated).toBe(true);
          const stats = info.episode as { r: number; l: number; t: number };
          expect([stats.r, stats.l]).toEqual([total, 4]);
          expect(stats.t).toBeGreaterThanOrEqual(0);
        }
      }
    }
    expect(env.lengthQueue).toEqual([4, 4]);
    expect(env.returnQueue.length).toBe(2);
  });
});

describe('clipping wrappers', () => {
  it('ClipAction clips to the bounds and widens the advertised space', () => {
    const clipped = new ClipAction(makeEnv('Pendulum-v1'));
    const plain = makeEnv('Pendulum-v1');
    clipped.reset({ seed: 4 });
    plain.reset({ seed: 4 });
    const [a, ra] = clipped.step([5]);
    const [b, rb] = plain.step([2]);
    expect([Array.from(a), ra]).toEqual([Array.from(b), rb]);
    expect(clipped.actionSpace.toString()).toBe('Box(-inf, inf, (1,), float32)');
    expect(() => new ClipAction(makeEnv('CartPole-v1'))).toThrow(/Discrete\(2\)/);
  });

  it('MountainCarContinuous charges the raw action, so ClipAction changes the reward', () => {
    const clipped = new ClipAction(makeEnv('MountainCarContinuous-v0'));
    const plain = makeEnv('MountainCarContinuous-v0');
    clipped.reset({ seed: 4 });
    plain.reset({ seed: 4 });
    const [oa, ra] = clipped.step([3]);
    const [ob, rb] = plain.step([3]);
    // Same force, but not the same bits: Gymnasium computes a clipped force (a Python float) in float64 and an
    // in-range one (np.float32) in float32, so the observations agree only to float32 precision.
    expect(oa[0]).toBeCloseTo(ob[0], 6);
    expect(oa[1]).toBeCloseTo(ob[1], 6);
    expect(ra).toBeCloseTo(-0.1, 12);
    expect(rb).toBeCloseTo(-0.9, 12);
  });

  it('ClipReward and ClipObservation clip', () => {
    const env = new ClipReward(makeEnv('Pendulum-v1'), -0.5, 0);
    env.reset({ seed: 0 });
    for (let i = 0; i < 20; i++) {
      const [, r] = env.step([0]);
      expect(r).toBeGreaterThanOrEqual(-0.5);
      expect(r).toBeLessThanOrEqual(0);
    }
    const obsEnv = new ClipObservation(makeEnv('Pendulum-v1'), -0.25, 0.25);
    const [obs] = obsEnv.reset({ seed: 0 });
    const [raw] = makeEnv('Pendulum-v1').reset({ seed: 0 });
    expect(Array.from(obs)).toEqual(Array.from(raw, (x) => Math.min(Math.max(x, -0.25), 0.25)));
  });
});
