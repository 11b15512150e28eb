import { describe, expect, it } from 'vitest';
import { parsePpoConfig, parseTrainConfig, type PpoConfig, type TrainConfig } from '../../../src/core/training/config';
import { formPacks, packKey, packRefusal } from '../../../src/core/training/packing';
import { resolvePreset } from '../../../src/core/training/presets';

const base = parsePpoConfig(resolvePreset('zoo', 'CartPole-v1', {}));

describe('packing', () => {
  it('keys trials by what fixes the batched shapes, not by scalar hyperparameters', () => {
    expect(packRefusal(base)).toBeNull();
    expect(packKey({ ...base, seed: 9, learningRate: 5e-4, clipRange: 0.3, gamma: 0.9, gaeLambda: 0.9, objective: 'kl-adaptive', klEstimator: 'exact', totalTimesteps: 7 })).toBe(packKey(base));
    for (const change of [{ nEnvs: 4 }, { nSteps: 64 }, { batchSize: 128 }, { nEpochs: 10 }, { piLayers: [32, 32] }, { vfLayers: [64] }, { sharedLayers: [64] }, { activation: 'relu' as const }, { envId: 'Acrobot-v1' }, { backend: 'wasm' as const }]) {
      expect(packKey({ ...base, ...change }), JSON.stringify(change)).not.toBe(packKey(base));
    }
  });

  it('says why a trial cannot be packed', () => {
    expect(packRefusal({ ...base, rolloutMode: 'episodes' })).toMatch(/whole-episode/);
    expect(packRefusal({ ...base, rewardSource: 'preferences' })).toMatch(/preferences/);
    expect(packRefusal(parseTrainConfig(resolvePreset('zoo', 'CartPole-v1', {}, 'a2c')))).toMatch(/only PPO.*a2c/);
  });

  it('forms packs of at most maxMembers compatible trials in queue order; an unpackable trial trains alone', () => {
    const trials: { id: number; config: TrainConfig }[] = [
      { id: 1, config: { ...base, seed: 1 } },
      { id: 2, config: { ...base, nEnvs: 4 } as PpoConfig },
      { id: 3, config: { ...base, seed: 3, learningRate: 3e-4 } },
      { id: 4, config: { ...base, rolloutMode: 'episodes' } },
      { id: 5, config: { ...base, seed: 5 } },
      { id: 6, config: { ...base, nEnvs: 4, seed: 6 } as PpoConfig },
    ];
    const groups = formPacks(trials, (t) => t.config, 2);
    expect(groups.map((g) => [g.trials.map((t) => t.id), g.solo === null])).toEqual([
      [[1, 3], true],
      [[2, 6], true],
      [[4], false],
      [[5], true],
    ]);
    expect(groups[2].solo).toMatch(/whole-episode/);
    expect(formPacks(trials, (t) => t.config, 1).every((g) => g.trials.length === 1)).toBe(true);
    expect(() => formPacks(trials, (t) => t.config, 0)).toThrow(/maxMembers/);
  });
});
