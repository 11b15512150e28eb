/**
 * PPO's KL objectives with the exact KL (new runs) and the k3 estimate (runs stored before `klEstimator` existed):
 * a stored config without the field trains exactly as it did.
 */
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../src/core/metrics/keys';
import type { PpoConfig } from '../../src/core/training/config';
import { resolvePreset } from '../../src/core/training/presets';
import { record } from '../support/record-training';

const tiny = (overrides: Partial<PpoConfig> = {}): PpoConfig =>
  resolvePreset('zoo', 'CartPole-v1', {
    totalTimesteps: 768, nEnvs: 2, nSteps: 128, batchSize: 64, nEpochs: 3, objective: 'kl-adaptive', beta: 1, klTarget: 0.003,
    learningRateSchedule: 'constant', evalFreq: 0, finalEvalEpisodes: 1, backend: 'cpu', seed: 2, ...overrides,
  });

describe('PPO klEstimator', () => {
  it('reads a stored kl-adaptive config without klEstimator as k3 and reproduces its run update for update', async () => {
    const { klEstimator: _field, ...stored } = tiny();
    const legacy = await record(stored as PpoConfig);
    const k3 = await record(tiny({ klEstimator: 'k3' }));
    expect(legacy.updates).toEqual(k3.updates);
    expect(legacy.checkpoints.at(-1)?.weights).toEqual(k3.checkpoints.at(-1)?.weights);
  });

  it('trains new runs with the exact KL: another penalty and another β path than k3', async () => {
    const exact = await record(tiny());
    const k3 = await record(tiny({ klEstimator: 'k3' }));
    expect(exact.updates.map((u) => u[METRIC.policyLoss])).not.toEqual(k3.updates.map((u) => u[METRIC.policyLoss]));
    for (const u of exact.updates) {
      expect(Number.isFinite(u[METRIC.klAfterUpdate])).toBe(true);
      expect(u[METRIC.klAfterUpdate]).toBeGreaterThan(0);
    }
    // β follows the paper's rule on d = the exact KL after each update.
    exact.updates.slice(1).forEach((u, i) => {
      const d = exact.updates[i][METRIC.klAfterUpdate];
      const before = exact.updates[i][METRIC.beta];
      expect(u[METRIC.beta]).toBe(d < 0.003 / 1.5 ? before / 2 : d > 0.003 * 1.5 ? before * 2 : before);
    });
    expect(new Set(exact.tensors).size).toBe(1);
  });

  it('with clip+kl on a Gaussian policy (Pendulum-v1) and gSDE', async () => {
    for (const useSde of [false, true]) {
      const run = await record(resolvePreset('zoo', 'Pendulum-v1', {
        totalTimesteps: 512, nEnvs: 2, nSteps: 128, batchSize: 64, nEpochs: 2, objective: 'clip+kl', useSde, evalFreq: 0, finalEvalEpisodes: 1, backend: 'cpu',
      }));
      expect(run.result.stepsDone).toBe(512);
      for (const u of run.updates) expect(Number.isFinite(u[METRIC.loss])).toBe(true);
    }
  });
});
