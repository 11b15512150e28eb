import { describe, expect, it } from 'vitest';
import type { VectorEnvLike, VectorStepResult } from '../../src/core/envs/vector-env';
import { buildLayout, forwardJs, initParams } from '../../src/trainer/nn/actor-critic';
import { createPrng } from '../../src/trainer/nn/prng';
import { makeDistribution } from '../../src/trainer/ppo/distributions';
import { collectRollout, RolloutBuffer, type RolloutContext } from '../../src/trainer/ppo/rollout';

/**
 * Two envs with a 1-number observation: env 0's episodes are cut by a time limit every 2 steps, env 1's terminate
 * every 3; reward 1 per step; the observation counts the env's steps (its final one is reported, then reset to 0).
 */
function fakeEnv(): VectorEnvLike & { actions: number[][] } {
  const t = [0, 0];
  const result: VectorStepResult = {
    observations: new Float32Array(2), rewards: new Float64Array(2), terminated: new Uint8Array(2), truncated: new Uint8Array(2),
    finalObservations: new Float32Array(2), finishedEpisodes: [],
  };
  const actions: number[][] = [];
  return {
    numEnvs: 2,
    obsDim: 1,
    actions,
    reset: () => result.observations.fill(0),
    step(a) {
      actions.push(Array.from(a));
      result.finishedEpisodes = [];
      for (let e = 0; e < 2; e++) {
        t[e] += 1;
        result.rewards[e] = 1;
        result.truncated[e] = e === 0 && t[e] === 2 ? 1 : 0;
        result.terminated[e] = e === 1 && t[e] === 3 ? 1 : 0;
        result.observations[e] = t[e];
        if (result.truncated[e] || result.terminated[e]) {
          result.finalObservations[e] = t[e];
          result.finishedEpisodes.push({ env: e, return: t[e], length: t[e] });
          t[e] = 0;
          result.observations[e] = 0;
        }
      }
      return result;
    },
  };
}

function setup(action: 'discrete' | 'box') {
  const spec = {
    obsDim: 1, sharedLayers: [], piLayers: [4], vfLayers: [4], activation: 'tanh' as const, useSde: false,
    action: action === 'discrete' ? { kind: 'discrete' as const, n: 2 } : { kind: 'box' as const, dim: 1, low: Float32Array.from([-0.01]), high: Float32Array.from([0.01]) },
  };
  const layout = buildLayout(spec);
  const prng = createPrng(1);
  const params = initParams(layout, true, 0, prng);
  for (let i = 0; i < params.length; i++) params[i] += 0.5 * prng.normal();
  const distribution = makeDistribution(layout, false, 1);
  const env = fakeEnv();
  const episodes: number[] = [];
  const ctx: RolloutContext = { env, layout, params, distribution, normalize: null, prng, gamma: 0.9, bootstrapTruncated: true, sdeSampleFreq: -1, onEpisode: (e) => episodes.push(e.return) };
  const state = { observations: Float32Array.from(env.reset()), episodeStarts: Float32Array.from([1, 1]) };
  const buffer = new RolloutBuffer(2, 1, distribution.actionDim, 2);
  return { ctx, state, buffer, env, episodes, layout, params, distribution };
}

const value = (s: ReturnType<typeof setup>, obs: number): number => forwardJs(s.layout, s.params, Float32Array.from([obs]), 1).values[0];

describe('collectRollout', () => {
  it('stores [step][env] transitions, bootstraps truncation from V(final obs) but not termination, and carries episode starts', () => {
    const s = setup('discrete');
    expect(collectRollout(s.ctx, s.state, s.buffer, { kind: 'steps', nSteps: 3 })).toBe(6);
    expect(s.buffer.nSteps).toBe(3);
    expect(Array.from(s.buffer.observations.subarray(0, 6))).toEqual([0, 0, 1, 1, 0, 2]);
    // env 0 is truncated at step 1 (final obs 2): r + γ·V(2). env 1 terminates at step 2: plain r.
    expect(s.buffer.rewards[1 * 2 + 0]).toBeCloseTo(1 + 0.9 * value(s, 2), 6);
    expect(s.buffer.rewards[2 * 2 + 1]).toBe(1);
    expect(Array.from(s.buffer.episodeStarts.subarray(0, 6))).toEqual([1, 1, 0, 0, 1, 0]);
    expect(Array.from(s.buffer.lastEpisodeStarts)).toEqual([0, 1]);
    expect(s.buffer.lastValues[0]).toBeCloseTo(value(s, 1), 6);
    expect(s.episodes).toEqual([2, 3]);
    // The stored values and log-probs are the policy's at the stored observations (ratio 1 at the first minibatch).
    const forward = forwardJs(s.layout, s.params, s.buffer.observations.subarray(0, 6), 6);
    const logProb = new Float64Array(6);
    s.distribution.evaluate(s.params, { head: forward.head, latentPi: forward.latentPi, batch: 6 }, s.buffer.actions, logProb, new Float64Array(6));
    for (let i = 0; i < 6; i++) {
      expect(s.buffer.values[i]).toBe(forward.values[i]);
      expect(s.buffer.logProbs[i]).toBeCloseTo(logProb[i], 6);
    }
  });

  it('in episodes mode runs until every env has finished an episode, growing the buffer', () => {
    const s = setup('discrete');
    expect(collectRollout(s.ctx, s.state, s.buffer, { kind: 'episodes', maxSteps: 100 })).toBe(6);
    expect(s.buffer.capacity).toBe(4);
  });

  it('steps Box envs with the clipped action and stores the sampled one', () => {
    const s = setup('box');
    collectRollout(s.ctx, s.state, s.buffer, { kind: 'steps', nSteps: 2 });
    const sampled = Array.from(s.buffer.actions.subarray(0, 4));
    expect(sampled.some((a) => Math.abs(a) > 0.01)).toBe(true);
    expect(s.env.actions.flat()).toEqual(sampled.map((a) => Math.fround(Math.min(0.01, Math.max(-0.01, a)))));
  });
});
