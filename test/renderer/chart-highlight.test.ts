import { describe, expect, it } from 'vitest';
import type { SeriesGroup } from '../../src/core/api/contract';
import { buildDatasets } from '../../src/renderer/src/lib/charts/datasets';

const group = (key: string): SeriesGroup => ({
  key, params: {}, runIds: [1, 2], metric: 'eval/mean_return', x: [0, 10], mean: [1, 2], lower: [0, 1], upper: [2, 3], count: [2, 2],
  runs: [{ runId: 1, x: [0, 10], y: [1, 2] }],
});

describe('hover highlight', () => {
  it('fades every group but the highlighted one', () => {
    const ds = buildDatasets([group('a'), group('b')], { hidden: new Set(), highlight: 'a' });
    expect(ds.filter((d) => d.faded).map((d) => d.groupKey)).toEqual(['b', 'b', 'b']);
    expect(ds.find((d) => d.role === 'mean' && d.groupKey === 'b')?.borderColor).toContain('0.25');
  });

  it('fades nothing when the highlighted group is not in the chart (a stale key after switching sweeps)', () => {
    // The legend button that set the highlight was removed with the old sweep's groups, so no mouseleave ever
    // cleared it: the chart must not fade all of the new sweep's curves.
    const ds = buildDatasets([group('entCoef=0'), group('entCoef=0.01')], { hidden: new Set(), highlight: 'objective=clip' });
    expect(ds.filter((d) => d.faded)).toEqual([]);
    for (const mean of ds.filter((d) => d.role === 'mean')) expect(mean.borderColor).toMatch(/, 1\)$/);
  });
});
