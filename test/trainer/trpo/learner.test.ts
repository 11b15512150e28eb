import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../src/core/metrics/keys';
import { resolvePreset } from '../../../src/core/training/presets';
import type { TrpoConfig } from '../../../src/core/training/config';
import { train } from '../../../src/trainer/train';
import { describeOnBackends } from '../../support/backends';
import { record } from '../../support/record-training';

/** A short TRPO run on CartPole: 2 envs × 64 steps, critic minibatches of 64, 2 critic passes, evaluation every 512 steps. */
const tiny = (overrides: Partial<TrpoConfig> = {}): TrpoConfig =>
  resolvePreset('zoo', 'CartPole-v1', {
    totalTimesteps: 1024, nEnvs: 2, nSteps: 64, batchSize: 64, nCriticUpdates: 2, evalFreq: 512, evalEpisodes: 2,
    finalEvalEpisodes: 3, backend: 'cpu', seed: 3, ...overrides,
  }, 'trpo') as TrpoConfig;



const TRPO_KEYS = [
  METRIC.policyObjective, METRIC.valueLoss, METRIC.klDivergence, METRIC.explainedVariance, METRIC.lineSearchSuccess,
  METRIC.nUpdates, METRIC.klTarget, METRIC.lineSearchSteps, METRIC.stepFraction, METRIC.surrogateImprovement,
  METRIC.cgResidual, METRIC.learningRate, METRIC.entropy,
];

describe('TRPO training', () => {
  it('reports sb3-contrib’s metrics and its own after each update, keeps every accepted step inside the trust region, and leaks no tensors', async () => {
    const run = await record(tiny());
    expect(run.updates.length).toBe(8);
    run.updates.forEach((u, i) => {
      for (const key of TRPO_KEYS) expect(Number.isFinite(u[key]), key).toBe(true);
      expect(u[METRIC.nUpdates]).toBe(i + 1);
      expect(u[METRIC.learningRate]).toBe(1e-3);
      expect(u[METRIC.klTarget]).toBe(0.01);
      if (u[METRIC.lineSearchSuccess] === 1) {
        expect(u[METRIC.klDivergence]).toBeGreaterThan(0);
        expect(u[METRIC.klDivergence]).toBeLessThan(0.01);
        expect(u[METRIC.surrogateImprovement]).toBeGreaterThan(0);
      } else {
        expect(u[METRIC.klDivergence]).toBe(0);
        expect(u[METRIC.stepFraction]).toBe(0);
      }
    });
    expect(run.updates.filter((u) => u[METRIC.lineSearchSuccess] === 1).length).toBeGreaterThan(4);
    expect(new Set(run.tensors).size).toBe(1);
    expect(run.evals.length).toBe(2); // 512 and the final one
    expect(run.result.finalEval?.episodes).toBe(3);
  });

  it('trains a gSDE policy (Pendulum-v1 zoo preset) and logs its std', async () => {
    const run = await record(resolvePreset('zoo', 'Pendulum-v1', { totalTimesteps: 512, nSteps: 128, backend: 'cpu', evalFreq: 0, finalEvalEpisodes: 1 }, 'trpo') as TrpoConfig);
    expect(run.updates.length).toBe(2);
    for (const u of run.updates) {
      expect(u[METRIC.std]).toBeGreaterThan(0);
      expect(Number.isFinite(u[METRIC.cgResidual])).toBe(true);
    }
    expect(run.updates.some((u) => u[METRIC.lineSearchSuccess] === 1)).toBe(true);
  });
});

describeOnBackends('TRPO training', (backend) => {
  it('is deterministic for the same config, seed and backend, and leaks no tensors', async () => {
    const a = await record(tiny({ backend, totalTimesteps: 768 }));
    expect(a.result.backend).toBe(backend);
    const b = await record(tiny({ backend, totalTimesteps: 768 }));
    expect(b.updates).toEqual(a.updates);
    expect(b.evals).toEqual(a.evals);
    expect(Array.from(b.checkpoints.at(-1)!.weights)).toEqual(Array.from(a.checkpoints.at(-1)!.weights));
    expect(new Set([...a.tensors, ...b.tensors]).size).toBe(1);
    const c = await record(tiny({ backend, totalTimesteps: 768, seed: 4 }));
    expect(c.updates).not.toEqual(a.updates);
  });

  it('resumes from a checkpoint exactly', async () => {
    const full = await record(tiny({ backend, checkpointFreq: 512, evalFreq: 0 }));
    const mid = full.checkpoints.find((c) => c.step === 512)!;
    expect(mid).toBeDefined();
    // Through a structured clone, as over IPC.
    const resumed = await record(tiny({ backend, checkpointFreq: 512, evalFreq: 0 }), structuredClone(mid));
    expect(resumed.updates).toEqual(full.updates.slice(4));
    expect(Array.from(resumed.checkpoints.at(-1)!.weights)).toEqual(Array.from(full.checkpoints.at(-1)!.weights));
    expect(resumed.result.finalEval).toEqual(full.result.finalEval);
  });
});

describe('TRPO learning smoke test', () => {
  // Measured at 2e4 steps (wasm, 20 deterministic episodes): seeds 0, 1, 2 → 500, 495.7, 246.5; a random policy scores ~22.
  it('CartPole-v1 (zoo preset, seed 0) reaches an evaluation return of 150 within 20k steps', async () => {
    const config = resolvePreset('zoo', 'CartPole-v1', { totalTimesteps: 20_000, backend: 'wasm', seed: 0, evalFreq: 0, finalEvalEpisodes: 10 }, 'trpo') as TrpoConfig;
    const result = await train(config, {});
    expect(result.finalEval!.mean).toBeGreaterThanOrEqual(150);
  }, 120_000);
});
