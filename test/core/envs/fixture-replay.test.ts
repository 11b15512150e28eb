// Every step of the Gymnasium trajectories, both ways: one step from each recorded state, and open-loop replay of
// the recorded actions from the seeded reset; also the seeded resets and the registry entries.
// With the default numerics ('glibc') the port is held to the bit. With numerics 'native' (Math.sin/cos) one step
// is held to the tolerances: state within 1e-12 relative, observations within one float32 ulp, rewards
// and flags exact.
import { describe, expect, it } from 'vitest';
import { ENV_IDS, type Env, getEnvSpec, makeEnv } from '../../../src/core/envs/index';
import { bound, loadFixture, maxRelError, maxUlpError } from './fixtures';

const STATE_TOL = 1e-12;

function actionOf(env: Env, a: number): number | Float32Array {
  return env.actionSpace.type === 'Discrete' ? a : Float32Array.of(a);
}

describe.each(ENV_IDS)('%s against Gymnasium', (id) => {
  const fixture = loadFixture(id);

  it('has the registered spec and spaces', () => {
    const spec = getEnvSpec(id);
    expect(spec.maxEpisodeSteps).toBe(fixture.registry.max_episode_steps);
    expect(spec.rewardThreshold).toBe(fixture.registry.reward_threshold);
    expect(Array.from(spec.observationSpace.low)).toEqual(fixture.observation_space.low.map(bound));
    expect(Array.from(spec.observationSpace.high)).toEqual(fixture.observation_space.high.map(bound));
    expect(spec.observationSpace.shape).toEqual(fixture.observation_space.shape);
    const as = fixture.action_space;
    if (as.type === 'Discrete') {
      expect(spec.actionSpace.type).toBe('Discrete');
      expect(spec.actionSpace.type === 'Discrete' && spec.actionSpace.n).toBe(as.n);
    } else {
      expect(spec.actionSpace.type).toBe('Box');
      if (spec.actionSpace.type === 'Box') {
        expect(Array.from(spec.actionSpace.low)).toEqual(as.low.map(bound));
        expect(Array.from(spec.actionSpace.high)).toEqual(as.high.map(bound));
        expect(spec.actionSpace.shape).toEqual(as.shape);
      }
    }
    expect(makeEnv(id).unwrapped.stateLayout).toEqual(fixture.state_layout);
  });

  for (const ep of fixture.episodes) {
    describe(`episode ${ep.index} (seed ${ep.reset_seed}, ${ep.policy}, ${ep.length} steps)`, () => {
      it('seeded reset reproduces the recorded state and observation to the bit', () => {
        const env = makeEnv(id);
        const [obs] = env.reset({ seed: ep.reset_seed });
        expect(env.unwrapped.state).toEqual(ep.reset_state);
        expect(Array.from(obs)).toEqual(ep.reset_observation);
      });

      it('one step from every recorded state matches to the bit', () => {
        const env = makeEnv(id);
        env.reset({ seed: ep.reset_seed });
        for (let k = 0; k < ep.length; k++) {
          env.unwrapped.state = k === 0 ? ep.reset_state : ep.states[k - 1];
          const [obs, reward, terminated, truncated] = env.step(actionOf(env, ep.actions[k]));
          expect([k, env.unwrapped.state, Array.from(obs), reward, terminated, truncated]).toEqual([
            k,
            ep.states[k],
            ep.observations[k],
            ep.rewards[k],
            ep.terminated[k],
            ep.truncated[k],
          ]);
        }
      });

      it('open-loop replay from the seeded reset stays on the trajectory to the bit', () => {
        const env = makeEnv(id);
        env.reset({ seed: ep.reset_seed });
        let episodeReturn = 0;
        for (let k = 0; k < ep.length; k++) {
          const [obs, reward, terminated, truncated] = env.step(actionOf(env, ep.actions[k]));
          expect([k, env.unwrapped.state, Array.from(obs), reward, terminated, truncated]).toEqual([
            k,
            ep.states[k],
            ep.observations[k],
            ep.rewards[k],
            ep.terminated[k],
            ep.truncated[k],
          ]);
          episodeReturn += reward;
        }
        expect(episodeReturn).toBe(ep.episode_return);
      });

      it("with numerics 'native', one step matches within the issue's tolerances", () => {
        const env = makeEnv(id, { numerics: 'native' });
        env.reset({ seed: ep.reset_seed });
        let worstState = 0;
        let worstObs = 0;
        for (let k = 0; k < ep.length; k++) {
          env.unwrapped.state = k === 0 ? ep.reset_state : ep.states[k - 1];
          const [obs, reward, terminated, truncated] = env.step(actionOf(env, ep.actions[k]));
          worstState = Math.max(worstState, maxRelError(env.unwrapped.state, ep.states[k]));
          worstObs = Math.max(worstObs, maxUlpError(obs, ep.observations[k]));
          expect([k, reward, terminated, truncated]).toEqual([k, ep.rewards[k], ep.terminated[k], ep.truncated[k]]);
        }
        expect(worstState).toBeLessThanOrEqual(STATE_TOL);
        expect(worstObs).toBeLessThanOrEqual(1);
      });
    });
  }
});
