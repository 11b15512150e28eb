import { describe, expect, it } from 'vitest';
import { curveTable, mergeRunRecords, recordKey, returnAt, type RunRecord } from '../../bench/learn-records';

function record(experiment: string, env: string, seed: number, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    experiment, env, seed, finalMean: 0, finalStd: 0, episodes: 20, wallSeconds: 1, stepsDone: 100, sps: 100, crossedAt: null, backend: 'wasm',
    evaluations: [], ...extra,
  };
}

describe('mergeRunRecords', () => {
  it('keeps the records of the base that no later set has (the --report bug dropped them)', () => {
    const base = [record('a2c-zoo', 'CartPole-v1', 0), record('trpo-zoo', 'Acrobot-v1', 1)];
    const merged = mergeRunRecords(base, [record('preferences', 'CartPole-v1', 0)]);
    expect(merged.map(recordKey)).toEqual(['a2c-zoo|CartPole-v1|0', 'trpo-zoo|Acrobot-v1|1', 'preferences|CartPole-v1|0']);
  });

  it('replaces a record of the same experiment, env and seed with the later one, in its place', () => {
    const base = [record('zoo', 'CartPole-v1', 0, { finalMean: 300 }), record('zoo', 'CartPole-v1', 1, { finalMean: 400 })];
    const merged = mergeRunRecords(base, [record('zoo', 'CartPole-v1', 0, { finalMean: 500 })], [record('zoo', 'Acrobot-v1', 0, { finalMean: -80 })]);
    expect(merged.map((r) => [recordKey(r), r.finalMean])).toEqual([
      ['zoo|CartPole-v1|0', 500],
      ['zoo|CartPole-v1|1', 400],
      ['zoo|Acrobot-v1|0', -80],
    ]);
  });

  it('lets the run that finished later win when both say when they finished', () => {
    const newer = record('zoo', 'CartPole-v1', 0, { finalMean: 500, finishedAt: '2026-12-03T10:00:00.000Z' });
    const older = record('zoo', 'CartPole-v1', 0, { finalMean: 100, finishedAt: '2026-12-01T10:00:00.000Z' });
    expect(mergeRunRecords([newer], [older])[0].finalMean).toBe(500);
    expect(mergeRunRecords([older], [newer])[0].finalMean).toBe(500);
    // Without a date on one side, order decides.
    expect(mergeRunRecords([newer], [record('zoo', 'CartPole-v1', 0, { finalMean: 7 })])[0].finalMean).toBe(7);
  });

  it('does not modify its inputs', () => {
    const base = [record('zoo', 'CartPole-v1', 0)];
    mergeRunRecords(base, [record('zoo', 'CartPole-v1', 0, { finalMean: 1 }), record('zoo', 'CartPole-v1', 2)]);
    expect(base).toEqual([record('zoo', 'CartPole-v1', 0)]);
  });
});

describe('the learning-curve table', () => {
  const curve = (...means: number[]) => means.map((mean, i) => ({ step: 10_240 * (i + 1), mean }));
  const runs = [
    record('zoo', 'CartPole-v1', 0, { evaluations: curve(100, 500) }),
    record('zoo', 'CartPole-v1', 1, { evaluations: curve(300, 500) }),
    record('preferences', 'CartPole-v1', 0, { evaluations: curve(50, 150) }),
    record('zoo', 'Acrobot-v1', 0, { evaluations: curve(-500, -80) }),
  ];

  it('takes the first evaluation at or after a step, mean ± population std over seeds', () => {
    expect(returnAt(runs.slice(0, 2), 10_000)).toEqual({ mean: 200, std: 100, seeds: 2 });
    expect(returnAt(runs.slice(0, 2), 10_241)).toEqual({ mean: 500, std: 0, seeds: 2 });
    expect(returnAt(runs.slice(0, 2), 30_000)).toBeNull();
  });

  it('prints one row per experiment on the env, a dash past the last evaluation', () => {
    const table = curveTable(runs, 'CartPole-v1', [{ experiment: 'zoo', label: 'PPO' }, { experiment: 'preferences', label: 'RLHF' }], [10_000, 20_000, 40_000]);
    expect(table.split('\n')).toEqual([
      '| run | seeds | 10k steps | 20k steps | 40k steps |',
      '| --- | --- | --- | --- | --- |',
      '| PPO | 2 | 200 ± 100 | 500 ± 0 | — |',
      '| RLHF | 1 | 50 ± 0 | 150 ± 0 | — |',
    ]);
  });
});
