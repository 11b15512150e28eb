import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../src/core/metrics/keys';
import { parseTrainConfig, type PpoConfig } from '../../../src/core/training/config';
import { resolvePreset } from '../../../src/core/training/presets';
import { record } from '../../support/record-training';

/** A short CartPole run on learned rewards: 4 envs × 64 steps, 30 labels per update, budget 100. */
const tiny = (overrides: Partial<PpoConfig> = {}): PpoConfig =>
  resolvePreset('zoo', 'CartPole-v1', {
    totalTimesteps: 2048, nEnvs: 4, nSteps: 64, batchSize: 64, nEpochs: 2, evalFreq: 0, evalEpisodes: 2,
    finalEvalEpisodes: 3, backend: 'cpu', seed: 3, rewardSource: 'preferences', preferenceLabelBudget: 100,
    preferenceLabelsPerUpdate: 30, preferenceSegmentLength: 20, preferenceEpochs: 2, ...overrides,
  }) as PpoConfig;

describe('PPO on a reward learned from preferences', () => {
  it('spends labels up to the budget, logs the held-out check, and keeps the environment’s episode returns', async () => {
    const run = await record(tiny());
    expect(run.updates.map((m) => m[METRIC.preferenceLabelsUsed])).toEqual([30, 60, 90, 100, 100, 100, 100, 100]);
    for (const m of run.updates) {
      expect(m[METRIC.preferenceLoss]).toBeGreaterThan(0);
      expect(m[METRIC.preferenceHeldOutAccuracy]).toBeGreaterThanOrEqual(0);
      expect(m[METRIC.preferenceHeldOutAccuracy]).toBeLessThanOrEqual(1);
      // CartPole pays 1 per step: an episode's logged return equals its length only if it is the env's reward.
      expect(m[METRIC.epReturnMean]).toBe(m[METRIC.epLengthMean]);
    }
    // Rewards on env: no preference metrics.
    const env = await record(tiny({ rewardSource: 'env', totalTimesteps: 512 }));
    expect(env.updates[0][METRIC.preferenceLabelsUsed]).toBeUndefined();
  });

  it('the learned reward changes what PPO learns (the rollout rewards are replaced)', async () => {
    const learned = await record(tiny({ totalTimesteps: 512 }));
    const env = await record(tiny({ rewardSource: 'env', totalTimesteps: 512 }));
    expect(learned.updates[1][METRIC.valueLoss]).not.toBe(env.updates[1][METRIC.valueLoss]);
  });

  it('is deterministic and resumes from a checkpoint exactly (reward model, preferences and stream included)', async () => {
    const full = await record(tiny({ checkpointFreq: 1024 }));
    const again = await record(tiny({ checkpointFreq: 1024 }));
    expect(again.updates).toEqual(full.updates);
    const mid = full.checkpoints.find((c) => c.step === 1024)!;
    expect(mid.meta.preferenceReward).toBeDefined();
    const resumed = await record(tiny({ checkpointFreq: 1024 }), structuredClone(mid));
    expect(resumed.updates).toEqual(full.updates.slice(4));
    expect(resumed.result.finalEval).toEqual(full.result.finalEval);
  });
});

describe('preference config', () => {
  it('a stored PPO config without the fields reads as the environment’s reward', () => {
    const config = parseTrainConfig({ algorithm: 'ppo', envId: 'CartPole-v1' }) as PpoConfig;
    expect(config.rewardSource).toBe('env');
  });

  it('rejects settings a learned reward cannot run with, naming the field', () => {
    expect(() => parseTrainConfig({ envId: 'CartPole-v1', rewardSource: 'preferences', normalizeReward: true })).toThrow(/normalizeReward/);
    expect(() => parseTrainConfig({ envId: 'CartPole-v1', rewardSource: 'preferences', nSteps: 16, batchSize: 16, preferenceSegmentLength: 25 })).toThrow(/preferenceSegmentLength/);
    expect(() => parseTrainConfig({ envId: 'CartPole-v1', preferenceErrorRate: 1.5 })).toThrow(/preferenceErrorRate/);
    expect(() => parseTrainConfig({ algorithm: 'a2c', envId: 'CartPole-v1', rewardSource: 'preferences' })).toThrow(/belongs to PPO/);
  });
});
