import { beforeEach, describe, expect, it } from 'vitest';
import { compareSeries } from '../../../src/backend/analysis/compare';
import { groupRuns } from '../../../src/backend/analysis/grouping';
import { summarize } from '../../../src/backend/analysis/summary';
import type { RunParams, RunRow } from '../../../src/backend/store/types';
import { newRun, useTempStore } from '../store/helpers';

const params = (values: RunParams['values']): RunParams => ({ values, explicit: [] });

describe('groupRuns', () => {
  const runs = new Map([
    [1, params({ objective: 'clip', entCoef: 0.01, seed: 1 })],
    [2, params({ objective: 'kl-adaptive', entCoef: 0, seed: 1 })],
    [3, params({ objective: 'clip', entCoef: 0.01, seed: 2 })],
    [4, params({ objective: 'clip', entCoef: 0, seed: 2, targetKl: 0.02 })],
  ]);

  it('labels groups with the fields sorted, whatever order they were asked in, in first-run order', () => {
    const { groupBy, groups } = groupRuns([1, 2, 3, 4], runs, ['objective', 'entCoef', 'objective']);
    expect(groupBy).toEqual(['entCoef', 'objective']);
    expect(groups).toEqual([
      { key: 'entCoef=0.01 objective=clip', params: { entCoef: 0.01, objective: 'clip' }, runIds: [1, 3] },
      { key: 'entCoef=0 objective=kl-adaptive', params: { entCoef: 0, objective: 'kl-adaptive' }, runIds: [2] },
      { key: 'entCoef=0 objective=clip', params: { entCoef: 0, objective: 'clip' }, runIds: [4] },
    ]);
  });

  it('puts every run in one group `all runs` when grouping by nothing', () => {
    expect(groupRuns([3, 1, 99], runs, [])).toEqual({ groupBy: [], groups: [{ key: 'all runs', params: {}, runIds: [3, 1] }] });
  });

  it('by default groups by every field that differs or is missing somewhere, never the seed', () => {
    const { groupBy, groups } = groupRuns([1, 3, 4], runs);
    expect(groupBy).toEqual(['entCoef', 'targetKl']);
    expect(groups.map((g) => g.key)).toEqual(['entCoef=0.01 targetKl=null', 'entCoef=0 targetKl=0.02']);
  });

  it('by default leaves out what follows from the algorithm when the algorithms differ, keeping real axes', () => {
    // PPO vs A2C (× entCoef): nSteps and nEpochs come with each algorithm's preset and schema.
    const mixed = new Map([
      [1, params({ algorithm: 'ppo', nSteps: 32, nEpochs: 20, entCoef: 0, seed: 0 })],
      [2, params({ algorithm: 'ppo', nSteps: 32, nEpochs: 20, entCoef: 0.01, seed: 0 })],
      [3, params({ algorithm: 'a2c', nSteps: 5, useRmsProp: true, entCoef: 0, seed: 0 })],
      [4, params({ algorithm: 'a2c', nSteps: 5, useRmsProp: true, entCoef: 0.01, seed: 1 })],
    ]);
    expect(groupRuns([1, 2, 3, 4], mixed).groupBy).toEqual(['algorithm', 'entCoef']);
    expect(groupRuns([1, 3], mixed).groups.map((g) => g.key)).toEqual(['algorithm=ppo', 'algorithm=a2c']);
    // Asked for, such a field groups like any other.
    expect(groupRuns([1, 3], mixed, ['nSteps']).groups.map((g) => g.key)).toEqual(['nSteps=32', 'nSteps=5']);
    // Without differing algorithms nothing changes: a field missing from some runs still differs.
    expect(groupRuns([1, 2], mixed).groupBy).toEqual(['entCoef']);
  });
});

describe('Compare and Summary', () => {
  const t = useTempStore();
  let runs: RunRow[];

  beforeEach(async () => {
    const { store } = t;
    // 2 objectives × 2 entropy coefficients × 2 seeds, created in an order that is not sorted by any field.
    const configs = [
      { objective: 'kl-adaptive', entCoef: 0.01 },
      { objective: 'clip', entCoef: 0 },
      { objective: 'clip', entCoef: 0.01 },
      { objective: 'kl-adaptive', entCoef: 0 },
    ];
    runs = await store.createRuns([1, 2].flatMap((seed) => configs.map((c) => newRun(seed, c, { params: c }))));
    await store.appendMetrics(
      runs.flatMap((run, i) => [1, 2, 3].map((u) => ({ runId: run.id, step: u * 64, values: { 'eval/mean_return': i * 10 + u } }))),
    );
  });

  const keysOf = async (groupBy: string[] | undefined): Promise<{ compare: string[]; summary: string[] }> => {
    const runIds = runs.map((r) => r.id);
    const compare = await compareSeries(t.store, { runIds, keys: ['eval/mean_return'], groupBy, maxPoints: 100, x: 'step', smoothing: 0, band: 'std' });
    const summary = await summarize(t.store, { runs, groupBy, metric: 'eval/mean_return' });
    expect(summary.groupBy).toEqual(compare.groupBy);
    return { compare: compare.groups.map((g) => g.key), summary: summary.groups.map((g) => g.key) };
  };

  it('show the same groups, labels and order for a chosen group-by', async () => {
    const { compare, summary } = await keysOf(['objective', 'entCoef']);
    expect(compare).toEqual(['entCoef=0.01 objective=kl-adaptive', 'entCoef=0 objective=clip', 'entCoef=0.01 objective=clip', 'entCoef=0 objective=kl-adaptive']);
    expect(summary).toEqual(compare);
  });

  it('agree with grouping off and with the default grouping', async () => {
    const off = await keysOf([]);
    expect(off.compare).toEqual(['all runs']);
    expect(off.summary).toEqual(off.compare);
    const byDefault = await keysOf(undefined);
    expect(byDefault.compare).toHaveLength(4);
    expect(byDefault.summary).toEqual(byDefault.compare);
  });
});
