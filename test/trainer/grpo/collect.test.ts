import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../src/core/envs';
import { makeVectorEnv } from '../../../src/core/envs/vector-env';
import { modelSpecOf } from '../../../src/core/training/network-layout';
import { buildLayout, initParams } from '../../../src/trainer/nn/actor-critic';
import { createPrng } from '../../../src/trainer/nn/prng';
import { collectGroups, type GroupBatch } from '../../../src/trainer/grpo/collect';
import { makeDistribution } from '../../../src/trainer/ppo/distributions';
import { RolloutBuffer, type RolloutContext } from '../../../src/trainer/ppo/rollout';

/** A random-ish CartPole policy on `nEnvs` envs, collecting `groups` groups of `groupSize`. */
function collect(nEnvs: number, groupSize: number, groups: number, seed = 3): { batch: GroupBatch; buffer: RolloutBuffer; finished: number[] } {
  const env = makeVectorEnv('CartPole-v1', nEnvs);
  const layout = buildLayout(modelSpecOf({ sharedLayers: [], piLayers: [8], activation: 'tanh', useSde: false }, env.obsDim, env.singleActionSpace));
  const prng = createPrng(seed);
  const params = initParams(layout, true, 0, prng);
  for (let i = 0; i < params.length; i++) params[i] += 0.3 * prng.normal();
  const distribution = makeDistribution(layout, false, 1);
  const finished: number[] = [];
  const ctx: RolloutContext = {
    env, layout, params, distribution, normalize: null, prng, gamma: 1, bootstrapTruncated: false, sdeSampleFreq: -1,
    onEpisode: (e) => finished.push(e.length),
  };
  const state = { observations: Float32Array.from(env.reset({ seed: 100 })), episodeStarts: new Float32Array(nEnvs).fill(1) };
  const buffer = new RolloutBuffer(nEnvs, env.obsDim, distribution.actionDim, 4);
  return { batch: collectGroups(ctx, env, state, buffer, groupSize, groups), buffer, finished };
}

/** The observation row of step `t` of column `env`. */
const obsAt = (buffer: RolloutBuffer, t: number, env: number): number[] =>
  Array.from(buffer.observations.subarray((t * buffer.nEnvs + env) * buffer.obsDim, (t * buffer.nEnvs + env + 1) * buffer.obsDim));

describe('collectGroups', () => {
  it.each([1, 3])('starts every episode of a group from the same state, bit for bit (%i envs)', (nEnvs) => {
    const { batch, buffer } = collect(nEnvs, 4, 3);
    expect(batch.groups).toHaveLength(3);
    batch.groups.forEach((group, g) => {
      expect(group.map((e) => [e.group, e.member])).toEqual([0, 1, 2, 3].map((m) => [g, m]));
      // The start state of the group's seed, as a fresh env reset with it gives.
      const [expected] = makeEnv('CartPole-v1').reset({ seed: batch.seeds[g] });
      for (const episode of group) expect(obsAt(buffer, episode.start, episode.env)).toEqual(Array.from(expected));
      // The episodes differ by the policy's sampling only: their action sequences are not all the same.
      const actions = group.map((e) => Array.from({ length: e.length }, (_, t) => buffer.actions[(e.start + t) * buffer.nEnvs + e.env]).join(''));
      expect(new Set(actions).size).toBeGreaterThan(1);
    });
    expect(new Set(batch.groups.map((g) => obsAt(buffer, g[0].start, g[0].env).join())).size).toBe(3);
  });

  it('records whole episodes: each begins its rows and no other row of it begins an episode', () => {
    const { batch, buffer } = collect(3, 4, 2);
    for (const episode of batch.groups.flat()) {
      for (let t = 0; t < episode.length; t++) expect(buffer.episodeStarts[(episode.start + t) * buffer.nEnvs + episode.env]).toBe(t === 0 ? 1 : 0);
    }
  });

  it('wastes nothing with one env; with more, the steps of envs left without an episode are counted as discarded', () => {
    const one = collect(1, 4, 2);
    const lengths = one.batch.groups.flat().map((e) => e.length);
    expect(one.batch.discardedSteps).toBe(0);
    expect(one.batch.envSteps).toBe(lengths.reduce((a, b) => a + b, 0));
    expect(one.finished).toEqual(lengths);

    const three = collect(3, 4, 2);
    const trained = three.batch.groups.flat().reduce((n, e) => n + e.length, 0);
    expect(three.batch.envSteps).toBe(three.buffer.nSteps * 3);
    expect(three.batch.envSteps - three.batch.discardedSteps).toBe(trained);
    expect(three.batch.discardedSteps).toBeGreaterThan(0);
  });

  it('is a function of the random stream: the same seed gives the same batch', () => {
    const a = collect(2, 3, 2, 9);
    const b = collect(2, 3, 2, 9);
    expect(b.batch).toEqual(a.batch);
    expect(collect(2, 3, 2, 10).batch.seeds).not.toEqual(a.batch.seeds);
  });
});
