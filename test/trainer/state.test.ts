import { describe, expect, it } from 'vitest';
import { resolvePreset } from '../../src/core/training/presets';
import type { PpoConfig } from '../../src/core/training/config';
import { parsePpoConfig } from '../../src/core/training/config';
import { buildLayout, initParams } from '../../src/trainer/nn/actor-critic';
import { createPrng } from '../../src/trainer/nn/prng';
import { createTrainingState, modelSpecFor, rolloutContext, toCheckpoint } from '../../src/trainer/ppo/state';

const config = (overrides: Partial<PpoConfig> = {}): PpoConfig =>
  parsePpoConfig(resolvePreset('zoo', 'Pendulum-v1', { nSteps: 16, batchSize: 16, backend: 'cpu', seed: 5, beta: 0.7, ...overrides }));

describe('createTrainingState', () => {
  it('starts fresh: seeded init, counters at zero, β from the config, every env at an episode start', () => {
    const c = config();
    const state = createTrainingState(c);
    const expected = initParams(buildLayout(modelSpecFor(c, state.env)), c.orthoInit, c.logStdInit, createPrng(c.seed));
    expect(state.params).toEqual(expected);
    expect({ stepsDone: state.stepsDone, iteration: state.iteration, nUpdates: state.nUpdates, beta: state.beta }).toEqual({ stepsDone: 0, iteration: 0, nUpdates: 0, beta: 0.7 });
    expect(state.adam.t).toBe(0);
    expect(Array.from(state.rollout.episodeStarts)).toEqual([1, 1, 1, 1]);
    expect(state.rollout.observations.length).toBe(4 * 3);
    expect(state.distribution.kind).toBe('gsde');
    expect(state.buffer.capacity).toBe(16);
    expect(state.minibatch.logProbOld.length).toBe(16);
  });

  it('restores exactly what toCheckpoint saved, through a structured clone', () => {
    const c = config({ normalizeObs: true, normalizeReward: true });
    const a = createTrainingState(c);
    a.params[3] += 0.25;
    a.adam.m[1] = 0.5;
    a.adam.t = 7;
    a.stepsDone = 640;
    a.iteration = 10;
    a.nUpdates = 95;
    a.beta = 2.8;
    a.prng.normal();
    a.env.step(new Float32Array(4).fill(0.3));
    a.rollout.episodeStarts.fill(0);
    a.recentEpisodes.returns.push(-1200);
    a.recentEpisodes.lengths.push(200);
    const checkpoint = structuredClone(toCheckpoint(a, 'cpu', undefined));
    const b = createTrainingState(c, checkpoint);
    expect(b.params).toEqual(a.params);
    expect(b.adam).toEqual(a.adam);
    expect({ s: b.stepsDone, i: b.iteration, n: b.nUpdates, beta: b.beta }).toEqual({ s: 640, i: 10, n: 95, beta: 2.8 });
    expect(b.prng.state()).toEqual(a.prng.state());
    expect(b.env.snapshot()).toEqual(a.env.snapshot());
    expect(b.evalEnv.snapshot()).toEqual(a.evalEnv.snapshot());
    expect(b.rollout).toEqual(a.rollout);
    expect(b.normalize!.toJSON()).toEqual(a.normalize!.toJSON());
    expect(b.recentEpisodes).toEqual({ returns: [-1200], lengths: [200] });
    expect(toCheckpoint(b, 'cpu', undefined)).toEqual(checkpoint);
  });

  it('refuses a checkpoint of another format or model size', () => {
    const c = config();
    const checkpoint = toCheckpoint(createTrainingState(c), 'cpu', undefined);
    expect(() => createTrainingState(c, { ...checkpoint, meta: { ...checkpoint.meta, format: 'other' as 'proxima-ppo/1' } })).toThrow('unknown checkpoint format');
    expect(() => createTrainingState(config({ piLayers: [8] }), checkpoint)).toThrow(/parameters, this config needs/);
  });
});

describe('rolloutContext', () => {
  it('keeps the last statsWindowSize episodes and passes each on', () => {
    const state = createTrainingState(config({ statsWindowSize: 2 }));
    const seen: number[] = [];
    const ctx = rolloutContext(state, (e) => seen.push(e.return));
    for (const r of [1, 2, 3]) ctx.onEpisode({ return: r, length: 10 * r });
    expect(seen).toEqual([1, 2, 3]);
    expect(state.recentEpisodes).toEqual({ returns: [2, 3], lengths: [20, 30] });
    expect(ctx.params).toBe(state.params);
  });
});
