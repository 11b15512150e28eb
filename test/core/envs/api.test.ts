// The env API around the physics: registry, spaces, time limit, order enforcing, seeding and bad inputs.
import { describe, expect, it } from 'vitest';
import { BoxSpace, DiscreteSpace, ENV_IDS, envRegistry, makeEnv } from '../../../src/core/envs/index';
import { glibcCos, glibcSin } from '../../../src/core/envs/numeric/index';
import { createRng } from '../../../src/core/rng/index';

describe('makeEnv and the registry', () => {
  it('lists the five classic-control ids with their specs', () => {
    expect(ENV_IDS).toEqual(['CartPole-v1', 'Acrobot-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Pendulum-v1']);
    expect(envRegistry['Pendulum-v1'].rewardThreshold).toBeNull();
    expect(envRegistry['MountainCarContinuous-v0'].maxEpisodeSteps).toBe(999);
  });

  it('rejects an unknown id with an error listing the known ids', () => {
    expect(() => makeEnv('LunarLander-v3')).toThrow(/Unknown environment id "LunarLander-v3".*CartPole-v1, Acrobot-v1, MountainCar-v0, MountainCarContinuous-v0, Pendulum-v1/);
  });

  it('truncates at maxEpisodeSteps even on a terminating step', () => {
    const env = makeEnv('CartPole-v1', { maxEpisodeSteps: 2 });
    env.reset({ seed: 0 });
    env.unwrapped.state = [2.39, 1, 0, 0];
    const [, , terminated, truncated] = env.step(1);
    expect([terminated, truncated]).toEqual([true, false]);
    env.reset({ seed: 0 });
    env.step(0);
    env.unwrapped.state = [2.39, 1, 0, 0];
    const last = env.step(1);
    expect([last[2], last[3]]).toEqual([true, true]);
  });

  it('returns float32 observations and a copy of the float64 state in Gymnasium order', () => {
    const env = makeEnv('Pendulum-v1');
    const [obs, info] = env.reset({ seed: 42 });
    expect(obs).toBeInstanceOf(Float32Array);
    expect(info).toEqual({});
    const [theta, thetaDot] = env.unwrapped.state;
    expect(Array.from(obs)).toEqual([Math.fround(glibcCos(theta)), Math.fround(glibcSin(theta)), Math.fround(thetaDot)]);
    const s = env.unwrapped.state;
    s[0] = 99;
    expect(env.unwrapped.state[0]).toBe(theta);
  });

  it('unseeded resets draw fresh entropy; reseeding reproduces; no seed after a seed continues the stream', () => {
    const a = makeEnv('CartPole-v1');
    const b = makeEnv('CartPole-v1');
    expect(Array.from(a.reset()[0])).not.toEqual(Array.from(b.reset()[0]));
    const first = Array.from(a.reset({ seed: 7 })[0]);
    const second = Array.from(a.reset()[0]);
    expect(Array.from(b.reset({ seed: 7 })[0])).toEqual(first);
    expect(Array.from(b.reset()[0])).toEqual(second);
    expect(second).not.toEqual(first);
  });

  it('honours reset bounds options as maybe_parse_reset_bounds', () => {
    const env = makeEnv('CartPole-v1');
    env.reset({ seed: 0, options: { low: 0.2, high: 0.2 } });
    expect(env.unwrapped.state).toEqual([0.2, 0.2, 0.2, 0.2]);
    expect(() => env.reset({ options: { low: 1, high: 0 } })).toThrow(/Lower bound/);
    const pendulum = makeEnv('Pendulum-v1');
    pendulum.reset({ seed: 0, options: { x_init: 0, y_init: 0 } });
    expect(pendulum.unwrapped.state.map(Math.abs)).toEqual([0, 0]);
  });
});

describe('bad input', () => {
  it('rejects Discrete actions of the wrong type, non-integers and out-of-range values, naming the space', () => {
    const env = makeEnv('Acrobot-v1');
    env.reset({ seed: 0 });
    for (const bad of [3, -1, 1.5, NaN, '1', [1], Float32Array.of(1), null, undefined]) {
      expect(() => env.step(bad as never)).toThrow(/action space Discrete\(3\)/);
    }
  });

  it('rejects Box actions of the wrong shape or type and NaN, naming the space', () => {
    const env = makeEnv('Pendulum-v1');
    env.reset({ seed: 0 });
    for (const bad of [1, [], [1, 2], Float32Array.of(NaN), [NaN], ['1'], new Float64Array([1])]) {
      expect(() => env.step(bad as never)).toThrow(/action space Box\(-2, 2, \(1,\), float32\)/);
    }
    // Out-of-bounds but well-formed actions are the env's business (Gymnasium clips them where it does).
    expect(() => env.step([7])).not.toThrow();
    expect(() => env.step(Float32Array.of(-7))).not.toThrow();
  });

  it('refuses step before reset and after the episode ended, until reset (or a state write)', () => {
    const env = makeEnv('CartPole-v1');
    expect(() => env.step(0)).toThrow(/before calling reset/);
    env.reset({ seed: 0 });
    let done = false;
    while (!done) {
      const [, , terminated, truncated] = env.step(0);
      done = terminated || truncated;
    }
    expect(() => env.step(0)).toThrow(/call reset\(\) before step\(\)/);
    env.reset();
    expect(() => env.step(0)).not.toThrow();
    const truncating = makeEnv('Pendulum-v1', { maxEpisodeSteps: 1 });
    truncating.reset({ seed: 0 });
    expect(truncating.step([0])[3]).toBe(true);
    expect(() => truncating.step([0])).toThrow(/episode has ended/);
    truncating.unwrapped.state = [0, 0];
    expect(() => truncating.step([0])).not.toThrow();
  });

  it('rejects an unknown numerics mode', () => {
    expect(() => makeEnv('CartPole-v1', { numerics: 'fast' as never })).toThrow(/glibc.*native/);
  });

  it('rejects malformed states and seeds', () => {
    const env = makeEnv('MountainCar-v0');
    expect(() => {
      env.unwrapped.state = [1, 2, 3];
    }).toThrow(/position, velocity/);
    expect(() => env.reset({ seed: -1 })).toThrow(RangeError);
    expect(() => env.reset({ seed: 1.5 })).toThrow(RangeError);
  });
});

describe('spaces', () => {
  it('Box: contains, sample, shape, dtype', () => {
    const box = new BoxSpace([-1, -Infinity], [1, Infinity]);
    expect(box.shape).toEqual([2]);
    expect(box.dtype).toBe('float32');
    expect(box.contains([0.5, 1e30])).toBe(true);
    expect(box.contains(Float32Array.of(1.5, 0))).toBe(false);
    expect(box.contains([NaN, 0])).toBe(false);
    expect(box.contains([0])).toBe(false);
    expect(box.contains('ab')).toBe(false);
    const rng = createRng(0);
    for (let i = 0; i < 200; i++) {
      const x = box.sample(rng);
      expect(x).toBeInstanceOf(Float32Array);
      expect(box.contains(x)).toBe(true);
    }
    const half = new BoxSpace([0], [Infinity]);
    for (let i = 0; i < 50; i++) expect(half.sample(rng)[0]).toBeGreaterThanOrEqual(0);
    expect(() => new BoxSpace([1], [0])).toThrow(RangeError);
  });

  it('Discrete: contains, sample, shape, dtype', () => {
    const d = new DiscreteSpace(3);
    expect([d.shape, d.dtype, d.toString()]).toEqual([[], 'int64', 'Discrete(3)']);
    expect([0, 1, 2].every((a) => d.contains(a))).toBe(true);
    expect([3, -1, 0.5, '1', NaN].some((a) => d.contains(a))).toBe(false);
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 100; i++) seen.add(d.sample(rng));
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });
});
