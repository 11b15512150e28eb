import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../src/core/metrics/keys';
import { resolvePreset } from '../../src/core/training/presets';
import type { PpoConfig } from '../../src/core/training/config';
import { loadPolicy } from '../../src/trainer/ppo/policy';
import { checkpointSchedule, every, train } from '../../src/trainer/train';
import { describeOnBackends } from '../support/backends';
import { record } from '../support/record-training';

/** A short CartPole run: 4 envs × 64 steps, 4 minibatches of 64, 2 epochs, evaluation every 512 steps. */
const tiny = (overrides: Partial<PpoConfig> = {}): PpoConfig =>
  resolvePreset('zoo', 'CartPole-v1', {
    totalTimesteps: 2048, nEnvs: 4, nSteps: 64, batchSize: 64, nEpochs: 2, evalFreq: 512, evalEpisodes: 2,
    finalEvalEpisodes: 3, backend: 'cpu', seed: 3, ...overrides,
  });



describe('train', () => {
  it('reports every metric key after each update and does not leak tensors', async () => {
    const run = await record(tiny());
    expect(run.updates.length).toBe(8);
    for (const key of [METRIC.policyLoss, METRIC.valueLoss, METRIC.entropy, METRIC.approxKl, METRIC.approxKlK1, METRIC.clipFraction, METRIC.ratioMean, METRIC.ratioMax, METRIC.explainedVariance, METRIC.learningRate, METRIC.clipRange, METRIC.gradNorm, METRIC.entCoef]) {
      expect(Number.isFinite(run.updates[7][key]), key).toBe(true);
    }
    // β does not apply to the clipped objective: it is not logged (not drawn as a flat 1).
    expect(run.updates.some((u) => METRIC.beta in u)).toBe(false);
    // Linear schedules (lin_0.001, lin_0.2) decay with progress.
    expect(run.updates[7][METRIC.learningRate]).toBeLessThan(run.updates[0][METRIC.learningRate]);
    expect(run.updates[0][METRIC.clipRange]).toBeCloseTo(0.2 * (1 - 256 / 2048), 10);
    expect(new Set(run.tensors).size).toBe(1);
    expect(run.evals.length).toBe(4); // 512, 1024, 1536 and the final one
    expect(run.result.finalEval?.episodes).toBe(3);
    expect(run.result.backend).toBe('cpu');
  });

  it('starts each update at ratio 1: rollout and update log-probs agree (categorical and gSDE)', async () => {
    for (const config of [
      tiny({ nEpochs: 1, batchSize: 256, totalTimesteps: 256 }),
      resolvePreset('zoo', 'Pendulum-v1', { totalTimesteps: 256, nSteps: 64, batchSize: 256, nEpochs: 1, learningRate: 1e-9, backend: 'cpu', evalFreq: 0, finalEvalEpisodes: 1 }),
    ]) {
      const run = await record(config);
      expect(run.updates[0][METRIC.ratioMean]).toBeCloseTo(1, 5);
      expect(run.updates[0][METRIC.ratioMax]).toBeCloseTo(1, 4);
      expect(run.updates[0][METRIC.approxKl]).toBeLessThan(1e-8);
    }
  });

  it('adapts β after each update by the paper’s rule', async () => {
    const run = await record(tiny({ objective: 'kl-adaptive', klTarget: 0.002, beta: 1 }));
    for (let i = 0; i + 1 < run.updates.length; i++) {
      const { [METRIC.beta]: beta, 'train/kl_after_update': kl } = run.updates[i];
      const expected = kl < 0.002 / 1.5 ? beta / 2 : kl > 0.002 * 1.5 ? beta * 2 : beta;
      expect(run.updates[i + 1][METRIC.beta]).toBe(expected);
    }
    expect(new Set(run.updates.map((u) => u[METRIC.beta])).size).toBeGreaterThan(1);
  });

  it('stops the epochs early past 1.5 × targetKl', async () => {
    const run = await record(tiny({ targetKl: 1e-7, nEpochs: 5, learningRateSchedule: 'constant' }));
    for (const u of run.updates) expect(u[METRIC.epochsDone]).toBeLessThan(5);
    // n_updates counts as SB3's does: every epoch begun, the stopped one included.
    let nUpdates = 0;
    for (const u of run.updates) {
      nUpdates += u[METRIC.epochsDone] + 1;
      expect(u[METRIC.nUpdates]).toBe(nUpdates);
    }
  });

  it('runs the seed-blog preset on whole episodes and the policy loads from its checkpoint', async () => {
    const run = await record(resolvePreset('seed-blog', 'CartPole-v1', { totalTimesteps: 300, backend: 'cpu', evalFreq: 0, finalEvalEpisodes: 2 }));
    for (const u of run.updates) expect(Number.isFinite(u[METRIC.policyLoss])).toBe(true);
    const last = run.checkpoints.at(-1)!;
    const policy = loadPolicy(structuredClone(last));
    const out = policy.act([0.01, 0, -0.02, 0], true);
    expect([0, 1]).toContain(out.action);
    expect(out.probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(Number.isFinite(out.value)).toBe(true);
  });

  it('trains Box policies with normalization; the checkpoint carries the statistics', async () => {
    const run = await record(resolvePreset('zoo', 'MountainCarContinuous-v0', { totalTimesteps: 64, backend: 'cpu', evalFreq: 0, finalEvalEpisodes: 1 }));
    const last = run.checkpoints.at(-1)!;
    expect(last.meta.normalization?.obsRms.count).toBeGreaterThan(64);
    const out = loadPolicy(last).act([-0.5, 0], false);
    expect((out.action as number[])[0]).toBeGreaterThanOrEqual(-1);
    expect((out.action as number[])[0]).toBeLessThanOrEqual(1);
    expect(out.std![0]).toBeGreaterThan(0);
  });
});

describeOnBackends('train', (backend) => {
  it('is deterministic for the same config, seed and backend, and leaks no tensors', async () => {
    const a = await record(tiny({ backend, totalTimesteps: 1024 }));
    expect(a.result.backend).toBe(backend);
    const b = await record(tiny({ backend, totalTimesteps: 1024 }));
    expect(b.updates).toEqual(a.updates);
    expect(b.evals).toEqual(a.evals);
    expect(new Set([...a.tensors, ...b.tensors]).size).toBe(1);
    const c = await record(tiny({ backend, totalTimesteps: 1024, seed: 4 }));
    expect(c.updates).not.toEqual(a.updates);
  });

  it('resumes from a checkpoint exactly', async () => {
    const full = await record(tiny({ backend, checkpointFreq: 1024, evalFreq: 0 }));
    const mid = full.checkpoints.find((c) => c.step === 1024)!;
    expect(mid).toBeDefined();
    // Through a structured clone, as over IPC.
    const resumed = await record(tiny({ backend, checkpointFreq: 1024, evalFreq: 0 }), structuredClone(mid));
    expect(resumed.updates).toEqual(full.updates.slice(4));
    expect(resumed.result.finalEval).toEqual(full.result.finalEval);
  });
});

describe('every', () => {
  it('is due once per period counted from step 0, first after the start step, never for period 0', () => {
    const due = every(512, 600);
    expect([700, 1024, 1100, 2100, 2200, 2560].map(due)).toEqual([false, true, false, true, false, true]);
    expect(every(0, 0)(1e9)).toBe(false);
  });
});

describe('checkpoints by default', () => {
  it('a default config checkpoints every 5% of the budget (rounded to rollouts), so an interrupted run can resume', async () => {
    // 32 rollouts of 256 steps; 5% of 8192 is 410 steps: a checkpoint once 410 more steps are done, and the final one.
    const run = await record(tiny({ totalTimesteps: 8192, evalFreq: 0, checkpointFreq: null }));
    const steps = run.checkpoints.map((c) => c.step);
    expect(steps.at(-1)).toBe(8192);
    expect(steps.length).toBe(20);
    for (let i = 1; i < steps.length; i++) expect(steps[i]! - steps[i - 1]!).toBeLessThanOrEqual(410 + 256);
    // Without it, only the final checkpoint: nothing to resume from after an interruption.
    const off = await record(tiny({ totalTimesteps: 8192, evalFreq: 0, checkpointFreq: 0, checkpointMinutes: 0 }));
    expect(off.checkpoints.map((c) => c.step)).toEqual([8192]);
  });

  it('checkpoints by wall time too, whichever comes first', () => {
    let clock = 0;
    const due = checkpointSchedule(0, 5, 0, () => clock);
    expect(due(100)).toBe(false);
    clock = 5 * 60_000 - 1;
    expect(due(200)).toBe(false);
    clock = 5 * 60_000;
    expect(due(300)).toBe(true);
    clock += 60_000;
    expect(due(400)).toBe(false); // the period restarts at the last checkpoint
    const both = checkpointSchedule(1000, 5, 0, () => clock);
    expect(both(999)).toBe(false);
    expect(both(1000)).toBe(true);
  });
});

describe('learning smoke test', () => {
  it('CartPole-v1 (zoo preset, seed 0) reaches an evaluation return of 200 within 50k steps', async () => {
    const result = await train(resolvePreset('zoo', 'CartPole-v1', { totalTimesteps: 50_000, backend: 'wasm', seed: 0, evalFreq: 0, finalEvalEpisodes: 10 }), {});
    expect(result.finalEval!.mean).toBeGreaterThanOrEqual(200);
  }, 120_000);
});

describe('backend and estimator options', () => {
  it('auto calibrates every loadable backend and keeps the fastest', async () => {
    const { initBackend } = await import('../../src/trainer/tf-backend');
    const { backend, calibration } = await initBackend('auto', undefined, { reps: 5 });
    expect(Object.keys(calibration!).sort()).toEqual(expect.arrayContaining(['cpu', 'wasm']));
    const fastest = Object.entries(calibration!).sort((a, b) => a[1] - b[1])[0][0];
    expect(backend).toBe(fastest);
    expect(tf.getBackend()).toBe(fastest === 'tfjs-node' ? 'tensorflow' : fastest);
  });

  it('trains with n-step returns, per-batch advantage normalization and value clipping', async () => {
    const run = await record(tiny({ advantageEstimator: 'nstep', nStepHorizon: 8, normalizeAdvantage: 'per-batch', clipRangeVf: 0.2, entCoef: 0.01, entCoefSchedule: 'exponential', entCoefEnd: 0.001, totalTimesteps: 1024 }));
    expect(run.updates.every((u) => Number.isFinite(u[METRIC.valueLoss]))).toBe(true);
    expect(run.updates[3][METRIC.entCoef]).toBeLessThan(run.updates[0][METRIC.entCoef]);
  });
});
