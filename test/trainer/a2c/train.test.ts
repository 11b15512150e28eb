import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../src/core/metrics/keys';
import type { A2cConfig } from '../../../src/core/training/config';
import { resolvePreset } from '../../../src/core/training/presets';
import { describeOnBackends } from '../../support/backends';
import { record } from '../../support/record-training';

/** A short CartPole A2C run (zoo: 8 envs × 5 steps per update, RMSprop), evaluation every 400 steps. */
const tiny = (overrides: Partial<A2cConfig> = {}): A2cConfig =>
  resolvePreset('zoo', 'CartPole-v1', { totalTimesteps: 1600, evalFreq: 400, evalEpisodes: 2, finalEvalEpisodes: 3, backend: 'cpu', seed: 3, ...overrides }, 'a2c');

describe('a2c train', () => {
  it('reports SB3’s A2C metrics after each update, counts one update per rollout, and does not leak tensors', async () => {
    const run = await record(tiny({ learningRateSchedule: 'linear', entCoef: 0.01, entCoefSchedule: 'linear' }));
    expect(run.updates.length).toBe(1600 / 40);
    for (const key of [METRIC.policyLoss, METRIC.valueLoss, METRIC.entropy, METRIC.entropyLoss, METRIC.explainedVariance, METRIC.learningRate, METRIC.gradNorm, METRIC.entCoef, METRIC.loss]) {
      expect(Number.isFinite(run.updates.at(-1)![key]), key).toBe(true);
    }
    run.updates.forEach((u, i) => {
      expect(u[METRIC.nUpdates]).toBe(i + 1);
      expect(u[METRIC.totalTimesteps]).toBe(40 * (i + 1));
      // Schedules at progress_remaining after the rollout (SB3): lin_7e-4 and a linear entCoef to 0.
      expect(u[METRIC.learningRate]).toBeCloseTo(7e-4 * (1 - (40 * (i + 1)) / 1600), 12);
      expect(u[METRIC.entCoef]).toBeCloseTo(0.01 * (1 - (40 * (i + 1)) / 1600), 12);
    });
    expect(new Set(run.tensors).size).toBe(1);
    expect(run.evals.length).toBe(4);
  });

  it('trains a Box policy with gSDE and normalization (zoo Pendulum-v1) and reports the policy std', async () => {
    const run = await record(resolvePreset('zoo', 'Pendulum-v1', { totalTimesteps: 640, backend: 'cpu', evalFreq: 0, finalEvalEpisodes: 1 }, 'a2c'));
    expect(run.updates.length).toBe(10);
    expect(run.updates.every((u) => Number.isFinite(u[METRIC.loss]) && u[METRIC.std] > 0)).toBe(true);
    expect(run.checkpoints.at(-1)!.meta.normalization?.obsRms.count).toBeGreaterThan(640);
  });
});

describeOnBackends('a2c train', (backend) => {
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

  it('resumes from a mid-run checkpoint exactly (RMSprop square averages included)', async () => {
    const full = await record(tiny({ backend, checkpointFreq: 800, evalFreq: 0 }));
    const mid = full.checkpoints.find((c) => c.step === 800)!;
    expect(mid).toBeDefined();
    const resumed = await record(tiny({ backend, checkpointFreq: 800, evalFreq: 0 }), structuredClone(mid));
    expect(resumed.updates).toEqual(full.updates.slice(20));
    expect(resumed.result.finalEval).toEqual(full.result.finalEval);
  });
});

describe('a2c learning smoke test', () => {
  // Measured at 20k steps (wasm), seeds 0–4: rollout/ep_return_mean 155.5, 151.8, 152.0, 155.7, 163.7 and final
  // 20-episode evaluations 470, 325, 263, 492, 476; a random policy averages about 22, the untrained greedy one ~9.
  it('CartPole-v1 (zoo preset, seed 0) clearly beats random within 20k steps', async () => {
    const run = await record(resolvePreset('zoo', 'CartPole-v1', { totalTimesteps: 20_000, backend: 'wasm', seed: 0, evalFreq: 0, finalEvalEpisodes: 20 }, 'a2c'));
    expect(run.updates.at(-1)![METRIC.epReturnMean]).toBeGreaterThanOrEqual(100);
    expect(run.result.finalEval!.mean).toBeGreaterThanOrEqual(150);
  }, 120_000);
});
