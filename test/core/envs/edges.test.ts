// Gymnasium's edge behaviours, worked by hand: strict termination inequalities, walls, velocity/torque clipping,
// angle wrapping, out-of-bounds continuous actions, the reward of the terminating step.
import { describe, expect, it } from 'vitest';
import { AcrobotEnv, makeEnv } from '../../../src/core/envs/index';
import { glibcCos, glibcSin } from '../../../src/core/envs/numeric/sincos';
import { createRng } from '../../../src/core/rng/index';

const nextUp = (x: number): number => {
  const b = new Float64Array([x]);
  const w = new BigInt64Array(b.buffer);
  w[0] += x >= 0 ? 1n : -1n;
  return b[0];
};

describe('CartPole-v1 edges', () => {
  it('pays 0 for a step taken after termination (steps_beyond_terminated), as Gymnasium', () => {
    const env = makeEnv('CartPole-v1');
    env.reset({ seed: 0 });
    env.unwrapped.state = [2.39, 1, 0, 0];
    expect(env.step(1).slice(1, 3)).toEqual([1, true]);
    env.unwrapped.state = [2.39, 1, 0, 0];
    expect(env.step(1).slice(1, 3)).toEqual([0, true]);
  });

  it('terminates only strictly beyond x = ±2.4 and theta = ±12°, with reward 1 on the terminating step', () => {
    const env = makeEnv('CartPole-v1');
    env.reset({ seed: 0 });
    const thr = (12 * 2 * Math.PI) / 360;
    for (const [state, expected] of [
      [[2.4, 0, 0, 0], false],
      [[nextUp(2.4), 0, 0, 0], true],
      [[-2.4, 0, 0, 0], false],
      [[0, 0, thr, 0], false],
      [[0, 0, nextUp(thr), 0], true],
      [[0, 0, -nextUp(thr), 0], true],
    ] as [number[], boolean][]) {
      env.reset({ seed: 0 }); // a fresh episode: Gymnasium pays 0 for steps after a termination
      env.unwrapped.state = state;
      const [, reward, terminated] = env.step(1);
      expect([state, terminated, reward]).toEqual([state, expected, 1]);
    }
  });
});

describe('MountainCar-v0 edges', () => {
  it('stops the car at the left wall and clips velocity to ±0.07', () => {
    const env = makeEnv('MountainCar-v0');
    env.reset({ seed: 0 });
    env.unwrapped.state = [-1.19, -0.05];
    env.step(0);
    expect(env.unwrapped.state).toEqual([-1.2, 0]);
    env.unwrapped.state = [-0.5, 0.0699];
    const [obs, reward, terminated] = env.step(2);
    expect(env.unwrapped.state).toEqual([-0.5 + 0.07, 0.07]);
    expect([Array.from(obs), reward, terminated]).toEqual([[Math.fround(-0.43), Math.fround(0.07)], -1, false]);
  });

  it('terminates at position >= 0.5 with non-negative velocity, still with reward -1', () => {
    const env = makeEnv('MountainCar-v0');
    env.reset({ seed: 0 });
    env.unwrapped.state = [0.49, 0.02];
    const [, reward, terminated] = env.step(2);
    expect([reward, terminated, env.unwrapped.state[0] >= 0.5]).toEqual([-1, true, true]);
    env.unwrapped.state = [0.6, -0.001];
    expect(env.step(0)[2]).toBe(false);
  });
});

describe('MountainCarContinuous-v0 edges', () => {
  it('clips the force but charges the raw action; the goal step pays 100 minus the action cost', () => {
    const env = makeEnv('MountainCarContinuous-v0');
    env.reset({ seed: 0 });
    const start = env.unwrapped.state;
    const [, reward] = env.step([5]);
    expect(reward).toBe(-(5 * 5 * 0.1));
    // The force was clipped to 1: a Python float, so the first step is float64 arithmetic.
    const v = Math.min(start[1] + (1.0 * 0.0015 - 0.0025 * Math.cos(3 * start[0])), 0.07);
    expect(env.unwrapped.state).toEqual([Math.fround(start[0] + v), Math.fround(v)]);
    env.unwrapped.state = [0.44, 0.05];
    const [, goalReward, terminated] = env.step(Float32Array.of(-0.5));
    expect([terminated, goalReward]).toEqual([true, 100 - 0.5 * 0.5 * 0.1]);
  });

  it('stops at the left wall', () => {
    const env = makeEnv('MountainCarContinuous-v0');
    env.reset({ seed: 0 });
    env.unwrapped.state = [Math.fround(-1.19), Math.fround(-0.05)];
    env.step([-1]);
    expect(env.unwrapped.state).toEqual([Math.fround(-1.2), 0]);
  });
});

describe('Pendulum-v1 edges', () => {
  it('clips the torque to ±2 for dynamics and cost alike, and the speed to ±8; never terminates', () => {
    const a = makeEnv('Pendulum-v1');
    const b = makeEnv('Pendulum-v1');
    a.reset({ seed: 1 });
    b.reset({ seed: 1 });
    const ra = a.step([7.5]);
    const rb = b.step([2]);
    expect([Array.from(ra[0]), ra[1], ra[2]]).toEqual([Array.from(rb[0]), rb[1], false]);
    a.unwrapped.state = [Math.PI / 2, 7.99];
    a.step([-2]);
    const [theta, thetaDot] = a.unwrapped.state;
    expect(thetaDot).toBe(7.99 + (15 * Math.sin(Math.PI / 2) + 3 * -2) * 0.05 > 8 ? 8 : thetaDot);
    expect(theta).toBe(Math.PI / 2 + thetaDot * 0.05);
  });

  it('normalizes the angle in the cost but not in the state', () => {
    const env = makeEnv('Pendulum-v1');
    env.reset({ seed: 0 });
    env.unwrapped.state = [4 * Math.PI, 0];
    const [, reward] = env.step([0]);
    // angle_normalize(4 pi) = ((4 pi + pi) mod 2 pi) - pi, about 0: the cost is (nearly) zero.
    expect(reward).toBeGreaterThan(-1e-20);
    expect(env.unwrapped.state[0]).toBeGreaterThan(4 * Math.PI - 0.01);
  });
});

describe('Acrobot-v1 edges', () => {
  it('wraps angles into [-pi, pi] and bounds velocities to 4 pi and 9 pi', () => {
    const env = makeEnv('Acrobot-v1');
    env.reset({ seed: 0 });
    env.unwrapped.state = [Math.PI - 0.01, 0, 12, 0];
    env.step(1);
    const [theta1, , dtheta1] = env.unwrapped.state;
    expect(theta1).toBeGreaterThanOrEqual(-Math.PI);
    expect(theta1).toBeLessThan(0);
    expect(dtheta1).toBeLessThanOrEqual(4 * Math.PI);
    env.unwrapped.state = [0, 0, 100, -100];
    env.step(1);
    // bound() clips to exactly +-MAX_VEL (the RK4 step with such speeds overshoots both).
    expect(env.unwrapped.state.slice(2).map(Math.abs)).toEqual([4 * Math.PI, 9 * Math.PI]);
  });

  it('gives reward 0 and terminated on reaching the target height, -1 otherwise', () => {
    const env = makeEnv('Acrobot-v1');
    env.reset({ seed: 0 });
    env.unwrapped.state = [Math.PI, 0, 0, 0];
    expect(env.step(1).slice(1, 3)).toEqual([0, true]);
    env.reset({ seed: 0 });
    expect(env.step(1).slice(1, 3)).toEqual([-1, false]);
  });

  it("observation cos/sin(theta1) are glibc's rounded to float32, also where they lie next to a float32 rounding boundary", () => {
    // writeObservation takes Math.cos/Math.sin when no float32 rounding boundary is near; half of these angles are
    // chosen so that the cosine or sine lies within about 1e-16 of a boundary (the midpoint of two float32s).
    const env = new AcrobotEnv();
    const rng = createRng(11);
    const f32 = new Float32Array(1);
    const i32 = new Int32Array(f32.buffer);
    const out = new Float32Array(6);
    let mathDisagrees = 0;
    for (let i = 0; i < 40000; i++) {
      let theta1: number;
      if (i % 2 === 0) theta1 = (rng.random() * 2 - 1) * Math.PI;
      else {
        f32[0] = rng.random() * 2 - 1;
        const f = f32[0];
        i32[0] += f >= 0 ? 1 : -1;
        const mid = (f + f32[0]) / 2;
        theta1 = i % 4 === 1 ? Math.acos(mid) : Math.asin(mid);
      }
      env.state = [theta1, 0.3, 0.1, 0.1];
      env.writeObservation(out, 0);
      const cos = Math.fround(glibcCos(theta1));
      const sin = Math.fround(glibcSin(theta1));
      expect([out[0], out[1]]).toEqual([cos, sin]);
      if (Math.fround(Math.cos(theta1)) !== cos || Math.fround(Math.sin(theta1)) !== sin) mathDisagrees++;
    }
    // The boundary cases are real: rounding Math.cos/Math.sin directly would have been wrong on some of them.
    expect(mathDisagrees).toBeGreaterThan(0);
  });

  it("terminates exactly when glibc's -cos(theta1) - cos(theta2 + theta1) > 1 after the step, over random states", () => {
    const env = makeEnv('Acrobot-v1');
    env.reset({ seed: 0 });
    const rng = createRng(12);
    let terminations = 0;
    for (let i = 0; i < 20000; i++) {
      const start = [(rng.random() * 2 - 1) * Math.PI, (rng.random() * 2 - 1) * Math.PI, (rng.random() * 2 - 1) * 4, (rng.random() * 2 - 1) * 4];
      env.reset();
      env.unwrapped.state = start;
      const [, reward, terminated] = env.step(rng.integer(3));
      const [t1, t2] = env.unwrapped.state;
      const expected = -glibcCos(t1) - glibcCos(t2 + t1) > 1.0;
      expect(terminated).toBe(expected);
      expect(reward).toBe(expected ? 0 : -1);
      if (expected) terminations++;
    }
    expect(terminations).toBeGreaterThan(1000);
  });
});
