import { describe, expect, it } from 'vitest';
import type { HparamsResult } from '../../src/core/api/contract';
import { filterRows, isSelected, rowsOf, sortRows, statOf, toggleRow, type HparamFilter } from '../../src/renderer/src/lib/hparams/rows';

/** 3 groups × 2 seeds over learningRate × objective; the third group has one run without a value. */
const result: HparamsResult = {
  metric: 'eval/mean_return',
  goal: 'max',
  groupBy: ['learningRate', 'objective'],
  axes: [
    { name: 'learningRate', kind: 'number', values: [1e-4, 1e-3], log: true },
    { name: 'objective', kind: 'category', values: ['clip', 'kl-adaptive'], log: false },
  ],
  runs: [
    { runId: 1, seed: 0, status: 'completed', group: 'learningRate=0.001 objective=clip', params: { learningRate: 1e-3, objective: 'clip' }, final: 300, best: 320, points: 5 },
    { runId: 2, seed: 0, status: 'completed', group: 'learningRate=0.0001 objective=clip', params: { learningRate: 1e-4, objective: 'clip' }, final: 100, best: 150, points: 5 },
    { runId: 3, seed: 0, status: 'completed', group: 'learningRate=0.001 objective=kl-adaptive', params: { learningRate: 1e-3, objective: 'kl-adaptive' }, final: 450, best: 500, points: 5 },
    { runId: 4, seed: 1, status: 'completed', group: 'learningRate=0.001 objective=clip', params: { learningRate: 1e-3, objective: 'clip' }, final: 200, best: 250, points: 5 },
    { runId: 5, seed: 1, status: 'completed', group: 'learningRate=0.0001 objective=clip', params: { learningRate: 1e-4, objective: 'clip' }, final: 120, best: 130, points: 5 },
    { runId: 6, seed: 1, status: 'running', group: 'learningRate=0.001 objective=kl-adaptive', params: { learningRate: 1e-3, objective: 'kl-adaptive' }, final: null, best: null, points: 0 },
  ],
  groups: [
    { key: 'learningRate=0.001 objective=clip', params: { learningRate: 1e-3, objective: 'clip' }, runIds: [1, 4], final: 250, best: 285, iqm: 250, scored: 2 },
    { key: 'learningRate=0.0001 objective=clip', params: { learningRate: 1e-4, objective: 'clip' }, runIds: [2, 5], final: 110, best: 140, iqm: 110, scored: 2 },
    { key: 'learningRate=0.001 objective=kl-adaptive', params: { learningRate: 1e-3, objective: 'kl-adaptive' }, runIds: [3, 6], final: 450, best: 500, iqm: 450, scored: 1 },
  ],
};

const none: HparamFilter = { text: '', min: null, max: null, stat: 'final' };

describe('Hyperparameters rows', () => {
  it('makes one row per group or per run, in the result\'s order', () => {
    const groups = rowsOf(result, 'groups');
    expect(groups.map((r) => [r.id, r.runIds, r.seed])).toEqual([
      ['group:learningRate=0.001 objective=clip', [1, 4], null],
      ['group:learningRate=0.0001 objective=clip', [2, 5], null],
      ['group:learningRate=0.001 objective=kl-adaptive', [3, 6], null],
    ]);
    const runs = rowsOf(result, 'runs');
    expect(runs.map((r) => [r.label, r.group, r.seed])).toEqual(result.runs.map((r) => [`run ${r.runId}`, r.group, r.seed]));
    expect(rowsOf(null, 'runs')).toEqual([]);
    // A run's IQM is its final value; a group's is its own.
    expect(statOf(runs[0], 'iqm')).toBe(300);
    expect(statOf(groups[0], 'iqm')).toBe(250);
  });

  it('filters by text terms, all of which must match a label or a field=value', () => {
    const runs = rowsOf(result, 'runs');
    expect(filterRows(runs, { ...none, text: 'KL-adaptive' }).map((r) => r.runIds[0])).toEqual([3, 6]);
    expect(filterRows(runs, { ...none, text: 'clip learningRate=0.0001' }).map((r) => r.runIds[0])).toEqual([2, 5]);
    expect(filterRows(runs, { ...none, text: 'seed=1 clip' }).map((r) => r.runIds[0])).toEqual([4, 5]);
    expect(filterRows(runs, { ...none, text: 'run 6' }).map((r) => r.runIds[0])).toEqual([6]);
    expect(filterRows(runs, { ...none, text: 'entCoef' })).toEqual([]);
  });

  it("finds a run by `run 6` or `run=6` with its label in Chinese too, and by the Chinese label", () => {
    const runs = rowsOf(result, 'runs', (id) => `运行 ${id}`);
    expect(filterRows(runs, { ...none, text: 'run 6' }).map((r) => r.runIds[0])).toEqual([6]);
    expect(filterRows(runs, { ...none, text: 'run=6' }).map((r) => r.runIds[0])).toEqual([6]);
    expect(filterRows(runs, { ...none, text: '运行 6' }).map((r) => r.runIds[0])).toEqual([6]);
    // Groups have no run id.
    expect(filterRows(rowsOf(result, 'groups'), { ...none, text: 'run=3' })).toEqual([]);
  });

  it('filters by a range of the chosen value, leaving out rows without one', () => {
    const runs = rowsOf(result, 'runs');
    expect(filterRows(runs, { ...none, min: 150 }).map((r) => r.runIds[0])).toEqual([1, 3, 4]);
    expect(filterRows(runs, { ...none, min: 150, max: 300 }).map((r) => r.runIds[0])).toEqual([1, 4]);
    expect(filterRows(runs, { ...none, max: 140, stat: 'best' }).map((r) => r.runIds[0])).toEqual([5]);
    expect(filterRows(rowsOf(result, 'groups'), { ...none, min: 200, stat: 'iqm' }).map((r) => r.label)).toEqual([
      'learningRate=0.001 objective=clip',
      'learningRate=0.001 objective=kl-adaptive',
    ]);
  });

  it('sorts by any column, missing values last either way, ties in the result\'s order', () => {
    const runs = rowsOf(result, 'runs');
    const ids = (by: string, dir: 'asc' | 'desc'): number[] => sortRows(runs, { by, dir }).map((r) => r.runIds[0]);
    expect(ids('final', 'desc')).toEqual([3, 1, 4, 5, 2, 6]);
    expect(ids('final', 'asc')).toEqual([2, 5, 4, 1, 3, 6]);
    expect(ids('param:learningRate', 'asc')).toEqual([2, 5, 1, 3, 4, 6]);
    expect(ids('param:objective', 'desc')).toEqual([3, 6, 1, 2, 4, 5]);
    expect(ids('seed', 'desc')).toEqual([4, 5, 6, 1, 2, 3]);
    expect(ids('order', 'desc')).toEqual([6, 5, 4, 3, 2, 1]);
    expect(sortRows(rowsOf(result, 'groups'), { by: 'iqm', dir: 'desc' }).map((r) => r.iqm)).toEqual([450, 250, 110]);
  });

  it('selects a group as all its runs and deselects it when any click comes again', () => {
    const [group] = rowsOf(result, 'groups');
    const runs = rowsOf(result, 'runs');
    let selection: ReadonlySet<number> = new Set([4]);
    expect(isSelected(group, selection)).toBe(false);
    selection = toggleRow(selection, group);
    expect([...selection].sort()).toEqual([1, 4]);
    expect(isSelected(group, selection)).toBe(true);
    // The same runs as rows: both selected; one of them toggled off unselects the group.
    expect(runs.filter((r) => isSelected(r, selection)).map((r) => r.runIds[0])).toEqual([1, 4]);
    selection = toggleRow(selection, runs[0]);
    expect(isSelected(group, selection)).toBe(false);
    expect(toggleRow(toggleRow(new Set(), group), group).size).toBe(0);
  });
});
