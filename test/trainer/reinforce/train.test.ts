import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../src/core/metrics/keys';
import type { ReinforceConfig } from '../../../src/core/training/config';
import { resolvePreset } from '../../../src/core/training/presets';
import { describeOnBackends } from '../../support/backends';
import { record } from '../../support/record-training';

/** A short CartPole REINFORCE run: 3 envs, 4 whole episodes per batch, evaluation every 1000 steps. */
const tiny = (overrides: Partial<ReinforceConfig> = {}): ReinforceConfig =>
  resolvePreset('tuned', 'CartPole-v1', {
    totalTimesteps: 3000, nEnvs: 3, episodesPerBatch: 4, evalFreq: 1000, evalEpisodes: 2, finalEvalEpisodes: 3, backend: 'cpu', seed: 3, ...overrides,
  }, 'reinforce');

describe('reinforce train', () => {
  it('counts every env step, discarded ones included, in the budget, and does not leak tensors', async () => {
    const run = await record(tiny());
    expect(run.result.stepsDone).toBeGreaterThanOrEqual(3000);
    expect(run.updates.at(-1)![METRIC.totalTimesteps]).toBe(run.result.stepsDone);
    expect(run.updates.some((u) => u[METRIC.discardedSteps] > 0)).toBe(true);
    run.updates.forEach((u, i) => {
      expect(u[METRIC.episodesPerUpdate]).toBe(4);
      expect(u[METRIC.nUpdates]).toBe(i + 1);
    });
    expect(new Set(run.tensors).size).toBe(1);
    expect(run.evals.length).toBeGreaterThanOrEqual(3);
  });

  it('trains a Gaussian policy (Pendulum-v1, tuned preset)', async () => {
    const run = await record(resolvePreset('tuned', 'Pendulum-v1', { totalTimesteps: 1600, backend: 'cpu', evalFreq: 0, finalEvalEpisodes: 1 }, 'reinforce'));
    // Pendulum's episodes are all 200 steps: 4 envs × 2 rounds of episodes per batch of 8, nothing discarded.
    expect(run.updates.map((u) => u[METRIC.totalTimesteps])).toEqual([1600]);
    expect(run.updates[0][METRIC.discardedSteps]).toBe(0);
    expect(run.updates[0][METRIC.std]).toBeGreaterThan(0);
  });
});

describeOnBackends('reinforce train', (backend) => {
  it('is deterministic for the same config, seed and backend, and leaks no tensors', async () => {
    const a = await record(tiny({ backend }));
    expect(a.result.backend).toBe(backend);
    const b = await record(tiny({ backend }));
    expect(b.updates).toEqual(a.updates);
    expect(b.evals).toEqual(a.evals);
    expect(new Set([...a.tensors, ...b.tensors]).size).toBe(1);
    const c = await record(tiny({ backend, seed: 4 }));
    expect(c.updates).not.toEqual(a.updates);
  });

  it('resumes exactly from a checkpoint taken with an env mid-episode (not recorded until its next episode)', async () => {
    const full = await record(tiny({ backend, checkpointFreq: 1000, evalFreq: 0 }));
    const mid = full.checkpoints[0];
    expect(mid.step).toBeLessThan(full.result.stepsDone);
    expect(mid.meta.rolloutEpisodeStarts).toContain(0);
    const done = full.updates.findIndex((u) => u[METRIC.totalTimesteps] === mid.step);
    expect(done).toBeGreaterThan(0);
    const resumed = await record(tiny({ backend, checkpointFreq: 1000, evalFreq: 0 }), structuredClone(mid));
    expect(resumed.updates).toEqual(full.updates.slice(done + 1));
    expect(resumed.result.finalEval).toEqual(full.result.finalEval);
  });
});

describe('reinforce learning smoke test', () => {
  // Measured at 30k steps (wasm), seeds 0–2: rollout/ep_return_mean 88.3, 85.8, 87.4 and final 20-episode
  // evaluations 350, 390, 293; a random policy averages about 22, the untrained greedy one ~9.
  it('CartPole-v1 (tuned preset, seed 0) clearly beats random within 30k steps', async () => {
    const run = await record(resolvePreset('tuned', 'CartPole-v1', { totalTimesteps: 30_000, backend: 'wasm', seed: 0, evalFreq: 0, finalEvalEpisodes: 20 }, 'reinforce'));
    expect(run.updates.at(-1)![METRIC.epReturnMean]).toBeGreaterThanOrEqual(60);
    expect(run.result.finalEval!.mean).toBeGreaterThanOrEqual(150);
  }, 120_000);
});
