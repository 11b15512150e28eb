import { describe, expect, it } from 'vitest';
import type { SweepRequest } from '../../../src/core/api/contract';
import { resolveTrials } from '../../../src/backend/api/sweeps';
import { ApiFailure } from '../../../src/backend/api/handlers';
import { sweepFromTemplate } from '../../../src/core/sweep/templates';
import { resolvePreset } from '../../../src/core/training/presets';

const base: SweepRequest = { name: 's', env: 'CartPole-v1', preset: 'zoo', seeds: [0] };

function rejected(request: SweepRequest): { path: string; message: string }[] {
  try {
    resolveTrials(request);
  } catch (error) {
    if (error instanceof ApiFailure) return error.issues ?? [];
    throw error;
  }
  throw new Error('the sweep was accepted');
}

describe('resolveTrials over algorithms', () => {
  it("expands an algorithm grid with each algorithm's version of the preset", () => {
    const { trials, notes } = resolveTrials({ ...base, grid: { algorithm: ['ppo', 'a2c', 'trpo', 'reinforce'] }, seeds: [0, 1] });
    expect(trials.map((t) => [t.config.algorithm, t.seed])).toEqual([['ppo', 0], ['ppo', 1], ['a2c', 0], ['a2c', 1], ['trpo', 0], ['trpo', 1], ['reinforce', 0], ['reinforce', 1]]);
    for (const trial of trials) {
      const { algorithm } = trial.config;
      expect(trial.config).toEqual(resolvePreset(algorithm === 'reinforce' ? 'tuned' : 'zoo', 'CartPole-v1', { seed: trial.seed }, algorithm));
    }
    expect(notes).toEqual(['reinforce trials use its "tuned" preset (it has no "zoo")']);
  });

  it('takes the algorithm from an override or a random axis', () => {
    expect(resolveTrials({ ...base, overrides: { algorithm: 'trpo' } }).trials[0]?.config).toMatchObject({ algorithm: 'trpo', nSteps: 512 });
    const random = resolveTrials({ ...base, random: { algorithm: { values: ['a2c', 'trpo'] } }, samples: 6 });
    expect(new Set(random.trials.map((t) => t.config.algorithm))).toEqual(new Set(['a2c', 'trpo']));
    expect(random.trials).toHaveLength(6);
  });

  it('names both algorithms when a field of one is given to another', () => {
    expect(rejected({ ...base, overrides: { algorithm: 'trpo', entCoef: 0.01 } })).toEqual([
      {
        path: 'overrides.entCoef',
        message: "belongs to PPO/A2C/REINFORCE/GRPO; this config's algorithm is TRPO (sb3-contrib TRPO has no entropy bonus)",
        coded: { code: 'belongsToHint', params: { owners: 'PPO/A2C/REINFORCE/GRPO', algorithm: 'TRPO', hint: { code: 'hintTrpoEntropy', params: {} } } },
      },
    ]);
    expect(rejected({ ...base, grid: { algorithm: ['a2c', 'trpo'] }, overrides: { nEpochs: 4 } })[0]).toEqual({
      path: 'overrides.nEpochs',
      message: expect.stringMatching(/^belongs to PPO\/GRPO; this config's algorithm is A2C/),
      coded: expect.objectContaining({ code: 'belongsToHint' }),
    });
    expect(rejected({ ...base, grid: { algorithm: ['ppo', 'sac'] } })[0]?.path).toBe('grid.algorithm');
  });

  it('sets a field only some of the algorithms have in their trials alone, without repeating the others over its grid', () => {
    const { trials, notes } = resolveTrials({ ...base, grid: { algorithm: ['ppo', 'a2c', 'trpo'], nEpochs: [5, 10] }, overrides: { cgDamping: 0.01 }, seeds: [0, 1] });
    expect(trials.map((t) => [t.config.algorithm, t.seed, t.params])).toEqual([
      ['ppo', 0, { algorithm: 'ppo', nEpochs: 5 }],
      ['ppo', 1, { algorithm: 'ppo', nEpochs: 5 }],
      ['ppo', 0, { algorithm: 'ppo', nEpochs: 10 }],
      ['ppo', 1, { algorithm: 'ppo', nEpochs: 10 }],
      ['a2c', 0, { algorithm: 'a2c' }],
      ['a2c', 1, { algorithm: 'a2c' }],
      ['trpo', 0, { cgDamping: 0.01, algorithm: 'trpo' }],
      ['trpo', 1, { cgDamping: 0.01, algorithm: 'trpo' }],
    ]);
    expect(trials.filter((t) => t.config.algorithm === 'trpo').every((t) => t.config.algorithm === 'trpo' && t.config.cgDamping === 0.01)).toBe(true);
    expect(notes).toEqual([
      'overrides.cgDamping applies to the TRPO trials only (PPO/A2C have no cgDamping)',
      'grid.nEpochs applies to the PPO trials only (A2C/TRPO have no nEpochs)',
    ]);
  });

  it('keeps random draws that repeat a choice as separate trials, as before', () => {
    const { trials } = resolveTrials({ ...base, random: { objective: { values: ['clip'] } }, samples: 3 });
    expect(trials).toHaveLength(3);
  });

  it('resolves the two ancestor templates to 15 and 10 trials', () => {
    const ancestors = resolveTrials(sweepFromTemplate('ppo-a2c-trpo', 'CartPole-v1'));
    expect(ancestors.trials).toHaveLength(15);
    expect(ancestors.trials.map((t) => t.config.algorithm).filter((a, i, all) => all.indexOf(a) === i)).toEqual(['ppo', 'a2c', 'trpo']);
    const baseline = resolveTrials(sweepFromTemplate('reinforce-baseline', 'CartPole-v1'));
    expect(baseline.trials.map((t) => t.config.algorithm === 'reinforce' && t.config.useBaseline)).toEqual([true, true, true, true, true, false, false, false, false, false]);
    expect(baseline.notes).toEqual([]);
  });

  it('resolves PPO (critic) vs GRPO (group baseline): PPO\'s zoo preset, GRPO\'s tuned one, 5 seeds each', () => {
    const { trials } = resolveTrials(sweepFromTemplate('ppo-vs-grpo', 'CartPole-v1'));
    expect(trials.map((t) => t.config.algorithm)).toEqual([...new Array(5).fill('ppo'), ...new Array(5).fill('grpo')]);
    expect(trials.at(-1)?.config).toEqual({ ...resolvePreset('tuned', 'CartPole-v1', {}, 'grpo'), seed: 4 });
  });

  it('previews the demonstrations into trials that differ only in the compared field and the seed', () => {
    const clip = resolveTrials(sweepFromTemplate('why-clip', 'CartPole-v1')).trials;
    expect(clip.map((t) => (t.config.algorithm === 'ppo' ? t.config.objective : null))).toEqual([...new Array(5).fill('clip'), ...new Array(5).fill('none')]);
    const overrides = { totalTimesteps: 50_000, learningRate: 1e-3, learningRateSchedule: 'constant', batchSize: 64, evalFreq: 2_048 };
    expect(clip[7].config).toEqual(resolvePreset('zoo', 'CartPole-v1', { ...overrides, objective: 'none', seed: 2 }));
    const kl = resolveTrials(sweepFromTemplate('kl-targets', 'CartPole-v1')).trials;
    expect(kl.map((t) => (t.config.algorithm === 'ppo' ? [t.config.objective, t.config.klTarget, t.config.learningRateSchedule] : null))).toEqual([
      ['kl-adaptive', 0.003, 'constant'],
      ['kl-adaptive', 0.01, 'constant'],
      ['kl-adaptive', 0.03, 'constant'],
    ]);
    const entropy = resolveTrials(sweepFromTemplate('entropy-exploration', 'MountainCarContinuous-v0')).trials;
    expect(entropy.map((t) => (t.config.algorithm === 'ppo' ? [t.config.entCoef, t.config.evalFreq, t.seed] : null))).toEqual([
      ...[0, 1, 2, 3, 4].map((seed) => [0, 10_000, seed]),
      ...[0, 1, 2, 3, 4].map((seed) => [0.2, 10_000, seed]),
    ]);
    const entropyOverrides = { totalTimesteps: 60_000, evalFreq: 10_000, normalizeObs: true, normalizeReward: true, learningRate: 1e-3, learningRateSchedule: 'constant' };
    expect(entropy[9].config).toEqual(resolvePreset('sb3-defaults', 'MountainCarContinuous-v0', { ...entropyOverrides, entCoef: 0.2, seed: 4 }));
  });

  it('resolves true reward vs learned from preferences into valid PPO configs, 5 seeds each', () => {
    const { trials } = resolveTrials(sweepFromTemplate('true-vs-learned-reward', 'CartPole-v1'));
    expect(trials.map((t) => t.config.algorithm === 'ppo' && t.config.rewardSource)).toEqual([...new Array(5).fill('env'), ...new Array(5).fill('preferences')]);
    expect(trials.at(-1)?.config).toMatchObject({ preferenceLabelBudget: 2000, preferenceLabelsPerUpdate: 10, preferenceSegmentLength: 25, seed: 4 });
  });
});
