import type { Chart, Scale } from 'chart.js';
import { describe, expect, it } from 'vitest';
import type { SeriesGroup } from '../../src/core/api/contract';
import { buildRunLines, runLinesExtent, runLinesPlugin, visibleSpan } from '../../src/renderer/src/lib/charts/run-lines';

const group = (key: string, runs: { x: number[]; y: number[] }[]): SeriesGroup => ({
  key, params: {}, runIds: runs.map((_, i) => i), metric: 'm', x: [0, 10], mean: [1, 2], lower: [0, 1], upper: [2, 3], count: [2, 2],
  runs: runs.map((r, i) => ({ runId: i, ...r })),
});

const a = group('a', [{ x: [0, 10, 20, 30], y: [1, 5, -3, 2] }, { x: [0, 10, 20, 30], y: [0, 8, 1, Number.NaN] }]);
const b = group('b', [{ x: [0, 10], y: [100, 200] }]);

describe('run lines', () => {
  it('keeps the runs of the shown groups, faded like their means', () => {
    const lines = buildRunLines([a, b], { hidden: new Set(['b']), highlight: null, colors: new Map([['a', '#0072B2']]) });
    expect(lines.map((l) => l.groupKey)).toEqual(['a']);
    expect(lines[0].color).toBe('rgba(0, 114, 178, 0.45)');
    expect(lines[0].runs).toHaveLength(2);
    expect(buildRunLines([a, b], { hidden: new Set(), highlight: 'b' })[0].color).toContain('0.12');
    // A highlight naming no group fades nothing (bug 3).
    expect(buildRunLines([a, b], { hidden: new Set(), highlight: 'gone' })[0].color).toContain('0.45');
  });

  it('draws the points inside the x window and one on each side', () => {
    expect(visibleSpan([0, 10, 20, 30, 40], 12, 28)).toEqual([1, 4]);
    expect(visibleSpan([0, 10, 20], -Infinity, Infinity)).toEqual([0, 3]);
    expect(visibleSpan([0, 10, 20], 50, 60)).toEqual([2, 3]);
  });

  it('finds the y extent of the runs inside the window, only positive values for a log axis', () => {
    const lines = buildRunLines([a, b], { hidden: new Set(), highlight: null });
    expect(runLinesExtent(lines, -Infinity, Infinity, false)).toEqual({ min: -3, max: 200 });
    expect(runLinesExtent(lines, 15, 35, false)).toEqual({ min: -3, max: 2 });
    expect(runLinesExtent(lines, 15, 35, true)).toEqual({ min: 1, max: 2 });
    expect(runLinesExtent(lines, 100, 200, false)).toBeNull();
  });

  it('widens the y axis to take in the runs, never narrows it', () => {
    const lines = buildRunLines([a], { hidden: new Set(), highlight: null });
    const chart = { scales: { x: { getUserBounds: () => ({ min: 5, max: 25, minDefined: true, maxDefined: true }) } } } as unknown as Chart<'line'>;
    const y = { axis: 'y', type: 'linear', min: 0, max: 4 } as unknown as Scale;
    const hook = runLinesPlugin.afterDataLimits as (c: Chart<'line'>, args: { scale: Scale }, o: unknown) => void;
    hook(chart, { scale: y }, { lines: () => lines });
    expect([y.min, y.max]).toEqual([-3, 8]);
    const x = { axis: 'x', type: 'linear', min: 0, max: 30 } as unknown as Scale;
    hook(chart, { scale: x }, { lines: () => lines });
    expect([x.min, x.max]).toEqual([0, 30]);
  });
});
