import { beforeEach, describe, expect, it } from 'vitest';
import { hparamsTable } from '../../../src/backend/analysis/hparams';
import { summarize } from '../../../src/backend/analysis/summary';
import { analysisHandlers } from '../../../src/backend/api/analysis';
import type { ServiceParts } from '../../../src/backend/api/handlers';
import type { RunRow } from '../../../src/backend/store/types';
import { requestSchemas } from '../../../src/core/api/contract';
import { newRun, useTempStore } from '../store/helpers';

const t = useTempStore();
const EVAL = 'eval/mean_return';

describe('hparamsTable', () => {
  let runs: RunRow[];
  /** Eval curves per run (3 points each), in creation order: learningRate × objective × 4 seeds. */
  const curves: number[][] = [];

  beforeEach(async () => {
    curves.length = 0;
    const configs = [
      { learningRate: 1e-3, objective: 'clip' },
      { learningRate: 1e-4, objective: 'clip' },
      { learningRate: 1e-3, objective: 'kl-adaptive' },
      { learningRate: 1e-2, objective: 'kl-adaptive' },
    ];
    runs = await t.store.createRuns([1, 2, 3, 4].flatMap((seed) => configs.map((c) => newRun(seed, c, { params: c, status: 'completed' }))));
    const samples = runs.flatMap((run, i) => {
      // A curve that rises then falls for odd runs (best ≠ last), one outlier seed in the first group.
      const peak = i * 10 + (i === 12 ? 500 : 0);
      const curve = [peak - 5, peak, i % 2 === 1 ? peak - 20 : peak + 1];
      curves.push(curve);
      return curve.map((v, u) => ({ runId: run.id, step: (u + 1) * 64, values: { [EVAL]: v, 'train/value_loss': 100 - v } }));
    });
    await t.store.appendMetrics(samples);
  });

  it('groups as Summary does and gives each group its mean final, mean best and Summary\'s IQM', async () => {
    const result = await hparamsTable(t.store, { runs, metric: EVAL, goal: 'max' });
    const summary = await summarize(t.store, { runs, metric: EVAL });
    expect(result.groupBy).toEqual(['learningRate', 'objective']);
    expect(result.groupBy).toEqual(summary.groupBy);
    expect(result.groups.map((g) => g.key)).toEqual(summary.groups.map((g) => g.key));
    expect(result.groups.map((g) => g.key)).toEqual([
      'learningRate=0.001 objective=clip',
      'learningRate=0.0001 objective=clip',
      'learningRate=0.001 objective=kl-adaptive',
      'learningRate=0.01 objective=kl-adaptive',
    ]);
    for (const [i, g] of result.groups.entries()) {
      const members = [0, 1, 2, 3].map((s) => s * 4 + i);
      expect(g.runIds).toEqual(members.map((m) => runs[m].id));
      const finals = members.map((m) => curves[m][2]);
      const bests = members.map((m) => Math.max(...curves[m]));
      expect(g.final).toBeCloseTo(finals.reduce((a, b) => a + b) / 4, 10);
      expect(g.best).toBeCloseTo(bests.reduce((a, b) => a + b) / 4, 10);
      expect(g.iqm).toBeCloseTo(summary.groups[i].iqm, 10);
      expect(g.scored).toBe(4);
    }
    // The outlier seed pulls the first group's mean up but not its IQM (the middle two of four final scores).
    const first = result.groups[0];
    const sortedFinals = [0, 1, 2, 3].map((s) => curves[s * 4][2]).sort((a, b) => a - b);
    expect(first.iqm).toBeCloseTo((sortedFinals[1] + sortedFinals[2]) / 2, 10);
    expect(first.final as number).toBeGreaterThan((first.iqm as number) + 100);
  });

  it('gives each run its group, seed, axis values, last value as final and highest value as best', async () => {
    const result = await hparamsTable(t.store, { runs, metric: EVAL, goal: 'max' });
    expect(result.runs.map((r) => r.runId)).toEqual(runs.map((r) => r.id));
    const second = result.runs[1];
    expect(second).toEqual({
      runId: runs[1].id,
      seed: 1,
      status: 'completed',
      group: 'learningRate=0.0001 objective=clip',
      params: { learningRate: 1e-4, objective: 'clip' },
      final: curves[1][2],
      best: curves[1][1],
      points: 3,
    });
    expect(second.best as number).toBeGreaterThan(second.final as number);
  });

  it('takes the lowest value as best when lower is better', async () => {
    const result = await hparamsTable(t.store, { runs, metric: 'train/value_loss', goal: 'min' });
    for (const [i, row] of result.runs.entries()) {
      expect(row.final).toBe(100 - curves[i][2]);
      expect(row.best).toBe(Math.min(...curves[i].map((v) => 100 - v)));
    }
  });

  it('scores eval/mean_return by the final evaluation, which also counts towards the best', async () => {
    await t.store.updateRun(runs[0].id, { finalEval: { mean: 9_999, std: 1, episodes: 10 } });
    const updated = (await t.store.getRun(runs[0].id)) as RunRow;
    const result = await hparamsTable(t.store, { runs: [updated, ...runs.slice(1)], metric: EVAL, goal: 'max' });
    expect(result.runs[0]).toMatchObject({ final: 9_999, best: 9_999, points: 3 });
  });

  it('describes number axes (log when they span a factor of 10) and category axes', async () => {
    const result = await hparamsTable(t.store, { runs, metric: EVAL, goal: 'max' });
    expect(result.axes).toEqual([
      { name: 'learningRate', kind: 'number', values: [1e-4, 1e-3, 1e-2], log: true },
      { name: 'objective', kind: 'category', values: ['clip', 'kl-adaptive'], log: false },
    ]);
    // A span of exactly 10 is enough; the seeds (1 to 4) are not.
    const decade = await hparamsTable(t.store, { runs: runs.filter((_, i) => i % 4 !== 1), metric: EVAL, goal: 'max' });
    expect(decade.axes[0]).toEqual({ name: 'learningRate', kind: 'number', values: [1e-3, 1e-2], log: true });
    expect((await hparamsTable(t.store, { runs, groupBy: ['seed'], metric: EVAL, goal: 'max' })).axes).toEqual([
      { name: 'seed', kind: 'number', values: [1, 2, 3, 4], log: false },
    ]);
  });

  it('makes a field some runs lack a category axis with null last, and leaves runs without the metric unscored', async () => {
    const extra = await t.store.createRuns([
      newRun(1, { targetKl: 0.02 }, { params: { targetKl: 0.02 } }),
      newRun(1, { targetKl: 0.01 }, { params: { targetKl: 0.01 } }),
      newRun(1, { entCoef: 0.5 }, { params: {} }),
    ]);
    await t.store.appendMetrics([{ runId: extra[0].id, step: 64, values: { [EVAL]: NaN } }, { runId: extra[1].id, step: 64, values: { [EVAL]: 7 } }]);
    const result = await hparamsTable(t.store, { runs: extra, metric: EVAL, goal: 'max' });
    expect(result.groupBy).toEqual(['entCoef', 'targetKl']);
    expect(result.axes).toEqual([
      { name: 'entCoef', kind: 'number', values: [0, 0.5], log: false },
      { name: 'targetKl', kind: 'category', values: [0.01, 0.02, null], log: false },
    ]);
    expect(result.runs.map((r) => [r.final, r.best, r.points])).toEqual([[null, null, 0], [7, 7, 1], [null, null, 0]]);
    expect(result.groups.map((g) => [g.final, g.iqm, g.scored])).toEqual([[null, null, 0], [7, 7, 1], [null, null, 0]]);
  });
});

describe('hparams.get', () => {
  it('validates its parameters at the boundary with readable messages', () => {
    const schema = requestSchemas['hparams.get'];
    expect(schema.parse({ runIds: [1] })).toEqual({ runIds: [1], metric: EVAL, goal: 'max' });
    const noRuns = schema.safeParse({ runIds: [] });
    expect(noRuns.error?.issues[0]?.message).toBe('select at least one run');
    const goal = schema.safeParse({ runIds: [1], goal: 'highest' });
    expect(goal.error?.issues[0]?.path).toEqual(['goal']);
    expect(schema.safeParse({ runIds: [1], metric: '' }).error?.issues[0]?.message).toBe('choose a metric');
  });

  it('answers for the existing runs and says when none exists', async () => {
    const handlers = analysisHandlers({ store: t.store } as ServiceParts);
    const [run] = await t.store.createRuns([newRun(3, { objective: 'clip' })]);
    await t.store.appendMetrics([{ runId: run.id, step: 64, values: { [EVAL]: 42 } }]);
    const result = await handlers['hparams.get']({ runIds: [run.id, 999], metric: EVAL, goal: 'max' });
    expect(result.runs.map((r) => [r.runId, r.final])).toEqual([[run.id, 42]]);
    expect(result.groups).toEqual([{ key: 'all runs', params: {}, runIds: [run.id], final: 42, best: 42, iqm: 42, scored: 1 }]);
    await expect(handlers['hparams.get']({ runIds: [999], metric: EVAL, goal: 'max' })).rejects.toThrow('none of the selected runs exists');
  });
});
