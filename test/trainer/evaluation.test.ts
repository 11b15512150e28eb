/**
 * Periodic evaluation by default: about 20 evaluations over any budget (rounded to rollouts), an explicit evalFreq
 * winning, and evaluation never changing what training does (it has its own env and its own random stream).
 */
import { describe, expect, it } from 'vitest';
import { derivedSizes, parseTrainConfig, PPO_DEFAULTS, type PpoConfig, type TrainConfig } from '../../src/core/training/config';
import { resolvePreset } from '../../src/core/training/presets';
import { evaluatePolicy } from '../../src/trainer/ppo/evaluate';
import { createTrainingState } from '../../src/trainer/ppo/state';
import { record } from '../support/record-training';

const cartPole = (overrides: Partial<PpoConfig> = {}): PpoConfig =>
  resolvePreset('zoo', 'CartPole-v1', {
    totalTimesteps: 2048, nEnvs: 4, nSteps: 64, batchSize: 64, nEpochs: 1, evalEpisodes: 2, finalEvalEpisodes: 2, backend: 'cpu', seed: 3, ...overrides,
  });

describe('evaluation frequency', () => {
  it('defaults to about 20 evaluations over the budget, rounded down to whole rollouts', () => {
    expect(PPO_DEFAULTS.evalFreq).toBeNull();
    // 5% of 30,000 is 1,500 steps; rollouts of 8 × 32 = 256 steps: every 5 rollouts.
    const zoo = resolvePreset('zoo', 'CartPole-v1', { totalTimesteps: 30_000 });
    expect(zoo.evalFreq).toBeNull();
    expect(derivedSizes(zoo).evalEvery).toBe(1_280);
    // A budget of fewer than 20 rollouts evaluates after every rollout.
    expect(derivedSizes(parseTrainConfig({ totalTimesteps: 10_000 })).evalEvery).toBe(2_048);
    // Whole-episode batches have no fixed rollout: 5% of the budget.
    expect(derivedSizes(resolvePreset('tuned', 'CartPole-v1', { totalTimesteps: 30_000 }, 'reinforce')).evalEvery).toBe(1_500);
  });

  it('keeps an explicit value: a number, or 0 for only the final evaluation', () => {
    expect(derivedSizes(cartPole({ evalFreq: 512 })).evalEvery).toBe(512);
    expect(derivedSizes(cartPole({ evalFreq: 0 })).evalEvery).toBe(0);
    // A stored config of an older run (explicit 25,000, as every resolved config then had) reads the same.
    const stored = { ...PPO_DEFAULTS, evalFreq: 25_000 } as TrainConfig;
    expect(parseTrainConfig(stored).evalFreq).toBe(25_000);
    expect(derivedSizes(parseTrainConfig(stored)).evalEvery).toBe(25_000);
  });

  it('draws at least 20 evaluation points by default, the final one included', async () => {
    const run = await record(cartPole({ totalTimesteps: 5_120, evalFreq: null }));
    expect(run.evals.length).toBeGreaterThanOrEqual(20);
  }, 60_000);
});

describe('evaluation does not change training', () => {
  for (const evalDeterministic of [true, false]) {
    it(`gives the same updates with and without periodic evaluation (${evalDeterministic ? 'greedy' : 'sampled'} evaluation)`, async () => {
      const without = await record(cartPole({ evalFreq: 0, evalDeterministic }));
      const withEvals = await record(cartPole({ evalFreq: 256, evalDeterministic }));
      expect(withEvals.evals.length).toBe(8);
      expect(withEvals.updates).toEqual(without.updates);
    });
  }

  it('gives the same updates with and without periodic evaluation for a gSDE policy', async () => {
    const pendulum = (evalFreq: number) =>
      resolvePreset('zoo', 'Pendulum-v1', { totalTimesteps: 512, nEnvs: 2, nSteps: 64, batchSize: 64, nEpochs: 1, useSde: true, evalFreq, evalEpisodes: 1, finalEvalEpisodes: 1, evalDeterministic: false, backend: 'cpu', seed: 2 });
    const without = await record(pendulum(0));
    const withEvals = await record(pendulum(128));
    expect(withEvals.evals.length).toBe(4);
    expect(withEvals.updates).toEqual(without.updates);
  });
});

describe('time-bounded evaluation', () => {
  it('stops once its time is up, but only after an episode has finished', () => {
    const state = createTrainingState(cartPole());
    const play = (maxSeconds: number | null) => evaluatePolicy(state.evalEnv, state.layout, state.params, state.distribution, state.normalize, 5, true, state.evalPrng, maxSeconds);
    expect(play(0).episodes).toBe(1);
    expect(play(null).episodes).toBe(5);
    expect(play(60).episodes).toBe(5);
  });
});

describe('resuming with evaluations', () => {
  it('continues the evaluations\' stream exactly, and reads a checkpoint written before that stream existed', async () => {
    const config = cartPole({ evalFreq: 256, evalDeterministic: false, checkpointFreq: 1024 });
    const full = await record(config);
    const mid = full.checkpoints.find((c) => c.step === 1024)!;
    const resumed = await record(config, structuredClone(mid));
    expect(resumed.updates).toEqual(full.updates.slice(4));
    expect(resumed.evals).toEqual(full.evals.slice(4));
    const { evalPrngState: _dropped, ...olderMeta } = structuredClone(mid.meta);
    const older = await record(config, { ...structuredClone(mid), meta: olderMeta });
    expect(older.updates).toEqual(full.updates.slice(4));
    expect(older.evals).toHaveLength(resumed.evals.length);
  });
});
