import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../src/core/envs/index';
import { makeVectorEnv } from '../../../src/core/envs/vector-env';

describe('VectorEnv (same-step autoreset)', () => {
  it('seeds sub-env i with seed + i', () => {
    const vec = makeVectorEnv('CartPole-v1', 3);
    const obs = vec.reset({ seed: 10 });
    expect(vec.obsDim).toBe(4);
    for (let i = 0; i < 3; i++) {
      const [single] = makeEnv('CartPole-v1').reset({ seed: 10 + i });
      expect(Array.from(obs.subarray(4 * i, 4 * i + 4))).toEqual(Array.from(single));
    }
  });

  it('matches single envs step by step, resets ended episodes in the same step and keeps their final observation', () => {
    const n = 2;
    const vec = makeVectorEnv('CartPole-v1', n);
    vec.reset({ seed: 5 });
    const singles = [0, 1].map((i) => {
      const env = makeEnv('CartPole-v1');
      env.reset({ seed: 5 + i });
      return { env, ret: 0, len: 0 };
    });
    let ended = 0;
    for (let t = 0; t < 60; t++) {
      // Env 0 always pushes left (ends in ~10 steps); env 1 alternates (lasts longer).
      const actions = [0, t % 2];
      const result = vec.step(actions);
      const expectedFinished: { env: number; return: number; length: number }[] = [];
      for (let i = 0; i < n; i++) {
        const s = singles[i];
        const [obs, reward, terminated, truncated] = s.env.step(actions[i]);
        s.ret += reward;
        s.len += 1;
        expect(result.rewards[i]).toBe(reward);
        expect(result.terminated[i]).toBe(terminated ? 1 : 0);
        expect(result.truncated[i]).toBe(truncated ? 1 : 0);
        const row = (a: Float32Array) => Array.from(a.subarray(4 * i, 4 * i + 4));
        if (terminated || truncated) {
          ended++;
          expect(row(result.finalObservations)).toEqual(Array.from(obs));
          expectedFinished.push({ env: i, return: s.ret, length: s.len });
          const [resetObs] = s.env.reset(); // unseeded: continues the sub-env's stream, as the vector env does
          expect(row(result.observations)).toEqual(Array.from(resetObs));
          s.ret = 0;
          s.len = 0;
        } else {
          expect(row(result.observations)).toEqual(Array.from(obs));
        }
      }
      expect(result.finishedEpisodes).toEqual(expectedFinished);
    }
    expect(ended).toBeGreaterThanOrEqual(3);
  });

  it('truncates at the time limit and reports the episode', () => {
    const vec = makeVectorEnv('Pendulum-v1', 2, { maxEpisodeSteps: 3 });
    vec.reset({ seed: 0 });
    const a = new Float32Array([0.5, -0.5]);
    expect(vec.step(a).truncated).toEqual(new Uint8Array([0, 0]));
    vec.step(a);
    const result = vec.step(a);
    expect(Array.from(result.truncated)).toEqual([1, 1]);
    expect(Array.from(result.terminated)).toEqual([0, 0]);
    expect(result.finishedEpisodes.map((e) => [e.env, e.length])).toEqual([
      [0, 3],
      [1, 3],
    ]);
    expect(vec.step(a).truncated).toEqual(new Uint8Array([0, 0]));
  });

  it('reuses its buffers across calls', () => {
    const vec = makeVectorEnv('MountainCar-v0', 4);
    const obs = vec.reset({ seed: 1 });
    const r1 = vec.step([0, 1, 2, 1]);
    const r2 = vec.step([2, 1, 0, 1]);
    expect(r1).toBe(r2);
    expect(r1.observations).toBe(obs);
    expect(r1.finalObservations.length).toBe(8);
  });

  it('rejects bad actions, naming the action space', () => {
    const vec = makeVectorEnv('CartPole-v1', 2);
    expect(() => vec.step([0, 1])).toThrow(/before reset/);
    vec.reset({ seed: 0 });
    expect(() => vec.step([0])).toThrow(/Discrete\(2\)/);
    expect(() => vec.step([0, 2])).toThrow(/Discrete\(2\)/);
    expect(() => vec.step([0, 0.5])).toThrow(/Discrete\(2\)/);
    const cont = makeVectorEnv('MountainCarContinuous-v0', 2);
    cont.reset({ seed: 0 });
    expect(() => cont.step([0.1, NaN])).toThrow(/Box\(-1, 1, \(1,\), float32\)/);
    expect(() => cont.step([0.1, 0.2, 0.3])).toThrow(/Box/);
    expect(() => makeVectorEnv('CartPole-v9', 2)).toThrow(/CartPole-v1/);
  });
});

describe('VectorEnv.resetEnv', () => {
  it('resets one sub-env with a seed to the start state a seeded single env has, leaving the others where they are', () => {
    const vec = makeVectorEnv('Acrobot-v1', 3, { maxEpisodeSteps: 5 });
    vec.reset({ seed: 1 });
    vec.step([0, 1, 2]);
    const before = vec.snapshot();
    const row = Array.from(vec.resetEnv(1, 77));
    const [single] = makeEnv('Acrobot-v1').reset({ seed: 77 });
    expect(row).toEqual(Array.from(single));
    const after = vec.snapshot();
    expect([after.states[0], after.states[2]]).toEqual([before.states[0], before.states[2]]);
    expect(after.elapsedSteps).toEqual([1, 0, 1]);
    // Twice the same seed, twice the same state, bit for bit, whatever the env went through in between.
    for (let i = 0; i < 3; i++) vec.step([1, 1, 1]);
    expect(Array.from(vec.resetEnv(1, 77))).toEqual(row);
    expect(() => vec.resetEnv(3, 0)).toThrow(/out of 0\.\.2/);
  });

  it('restarts the time limit of the sub-env it resets', () => {
    const vec = makeVectorEnv('CartPole-v1', 2, { maxEpisodeSteps: 3 });
    vec.reset({ seed: 0 });
    vec.step([0, 1]);
    vec.step([1, 0]);
    vec.resetEnv(0, 9);
    const third = vec.step([0, 1]);
    // Sub-env 1 reaches its limit of 3 steps; sub-env 0 has run one step since its reset.
    expect(Array.from(third.truncated)).toEqual([0, 1]);
  });
});

describe('VectorEnv snapshot/restore', () => {
  it('puts a fresh vector env exactly where the snapshot was: same states, episodes and random resets', () => {
    const a = makeVectorEnv('CartPole-v1', 3);
    a.reset({ seed: 11 });
    const actions = [0, 1, 1];
    for (let t = 0; t < 30; t++) a.step(actions.map((x, i) => (x + t + i) % 2));
    const snapshot = structuredClone(a.snapshot());
    const b = makeVectorEnv('CartPole-v1', 3);
    b.restore(snapshot);
    // Long enough for episodes to end and autoreset from the restored RNG streams.
    let ended = 0;
    for (let t = 0; t < 200; t++) {
      const act = actions.map((x, i) => (x * t + i) % 2);
      const ra = a.step(act);
      const obsA = Array.from(ra.observations);
      const endedA = ra.finishedEpisodes.map((e) => ({ ...e }));
      const rb = b.step(act);
      expect(Array.from(rb.observations)).toEqual(obsA);
      expect(rb.finishedEpisodes).toEqual(endedA);
      ended += endedA.length;
    }
    expect(ended).toBeGreaterThan(3);
    expect(() => makeVectorEnv('CartPole-v1', 2).restore(snapshot)).toThrow(/3 envs/);
  });
});
