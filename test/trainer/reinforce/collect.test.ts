import { describe, expect, it } from 'vitest';
import type { VectorEnvLike, VectorStepResult } from '../../../src/core/envs/vector-env';
import { buildLayout, initParams } from '../../../src/trainer/nn/actor-critic';
import { createPrng } from '../../../src/trainer/nn/prng';
import { makeDistribution } from '../../../src/trainer/ppo/distributions';
import { RolloutBuffer, type RolloutContext } from '../../../src/trainer/ppo/rollout';
import { collectEpisodes } from '../../../src/trainer/reinforce/collect';

/**
 * Envs with a 1-number observation (the env's step in its episode) and reward 1 per step; env e's episodes last
 * `lengths[e]` steps, cut by the time limit (truncated) for even e, terminated for odd e.
 */
function fakeEnv(lengths: number[]): VectorEnvLike {
  const n = lengths.length;
  const t = new Array<number>(n).fill(0);
  const result: VectorStepResult = {
    observations: new Float32Array(n), rewards: new Float64Array(n), terminated: new Uint8Array(n), truncated: new Uint8Array(n),
    finalObservations: new Float32Array(n), finishedEpisodes: [],
  };
  return {
    numEnvs: n,
    obsDim: 1,
    reset: () => result.observations.fill(0),
    step() {
      result.finishedEpisodes = [];
      for (let e = 0; e < n; e++) {
        t[e] += 1;
        result.rewards[e] = 1;
        const ended = t[e] === lengths[e];
        result.truncated[e] = ended && e % 2 === 0 ? 1 : 0;
        result.terminated[e] = ended && e % 2 === 1 ? 1 : 0;
        result.observations[e] = t[e];
        if (ended) {
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

function setup(lengths: number[]) {
  const layout = buildLayout({ obsDim: 1, sharedLayers: [], piLayers: [4], vfLayers: [4], activation: 'tanh', useSde: false, action: { kind: 'discrete', n: 2 } });
  const prng = createPrng(1);
  const params = initParams(layout, true, 0, prng);
  for (let i = 0; i < params.length; i++) params[i] += 0.5 * prng.normal();
  const distribution = makeDistribution(layout, false, 1);
  const env = fakeEnv(lengths);
  const finished: number[] = [];
  const ctx: RolloutContext = {
    env, layout, params, distribution, normalize: null, prng, gamma: 0.9, bootstrapTruncated: false, sdeSampleFreq: -1,
    onEpisode: (e) => finished.push(e.length),
  };
  const state = { observations: Float32Array.from(env.reset()), episodeStarts: new Float32Array(lengths.length).fill(1) };
  const buffer = new RolloutBuffer(lengths.length, 1, distribution.actionDim, 2);
  return { ctx, state, buffer, finished };
}

describe('collectEpisodes', () => {
  it('with two envs holds exactly episodesPerBatch whole episodes, counts the cut ones as discarded, and carries the cut env to its next episode', () => {
    // env 0: episodes of 2 steps (truncated); env 1: of 3 steps (terminated).
    const s = setup([2, 3]);
    const first = collectEpisodes(s.ctx, s.state, s.buffer, 3, 1000);
    // Steps 0–3: env 0 finishes at steps 1 and 3, env 1 at step 2; env 1's next episode (from step 3) is cut.
    expect(first.episodes).toEqual([{ env: 0, start: 0, length: 2 }, { env: 1, start: 0, length: 3 }, { env: 0, start: 2, length: 2 }]);
    expect(s.buffer.nSteps).toBe(4);
    expect(first.envSteps).toBe(8);
    expect(first.discardedSteps).toBe(1);
    // Each trained episode is whole: it starts at an episode start, and its observations count 0, 1, … .
    for (const { env, start, length } of first.episodes) {
      expect(s.buffer.episodeStarts[start * 2 + env]).toBe(1);
      for (let t = 0; t < length; t++) expect(s.buffer.observations[(start + t) * 2 + env]).toBe(t);
    }
    // No truncation bootstrap: every reward is the env's 1.
    expect(Array.from(s.buffer.rewards.subarray(0, 8))).toEqual(new Array(8).fill(1));
    expect(Array.from(s.state.episodeStarts)).toEqual([1, 0]);

    // The next batch records env 1 only from its next episode (its current one began in the first batch).
    const second = collectEpisodes(s.ctx, s.state, s.buffer, 3, 1000);
    expect(second.episodes).toEqual([{ env: 0, start: 0, length: 2 }, { env: 0, start: 2, length: 2 }, { env: 1, start: 2, length: 3 }]);
    expect(second.envSteps).toBe(10);
    // env 1's steps 0–1 (the end of the cut episode) and env 0's step 4 (a new episode, cut).
    expect(second.discardedSteps).toBe(3);
    // Every finished episode is reported to the statistics, trained on or not.
    expect(s.finished).toEqual([2, 3, 2, 2, 3, 2, 3]);
  });

  it('takes episodes finishing on the same step in env order and discards those past the count', () => {
    const s = setup([2, 2]);
    const batch = collectEpisodes(s.ctx, s.state, s.buffer, 3, 1000);
    expect(batch.episodes).toEqual([{ env: 0, start: 0, length: 2 }, { env: 1, start: 0, length: 2 }, { env: 0, start: 2, length: 2 }]);
    expect(batch.discardedSteps).toBe(2);
    // env 1's last episode finished on the batch's last step: the next batch records it from step 0.
    expect(Array.from(s.state.episodeStarts)).toEqual([1, 1]);
    expect(collectEpisodes(s.ctx, s.state, s.buffer, 2, 1000).discardedSteps).toBe(0);
  });

  it('with one env discards nothing, and grows the buffer for long batches', () => {
    const s = setup([3]);
    const batch = collectEpisodes(s.ctx, s.state, s.buffer, 5, 1000);
    expect(batch.episodes.map((e) => [e.start, e.length])).toEqual([[0, 3], [3, 3], [6, 3], [9, 3], [12, 3]]);
    expect(batch).toMatchObject({ envSteps: 15, discardedSteps: 0 });
    expect(s.buffer.capacity).toBeGreaterThanOrEqual(15);
  });

  it('stops after maxSteps per env with the episodes finished so far', () => {
    const s = setup([4, 100]);
    const batch = collectEpisodes(s.ctx, s.state, s.buffer, 10, 9);
    expect(batch.episodes.map((e) => e.env)).toEqual([0, 0]);
    expect(batch).toMatchObject({ envSteps: 18, discardedSteps: 10 });
  });
});
