import { describe, expect, it } from 'vitest';
import type { SeriesGroup } from '../../src/core/api/contract';
import { buildDatasets, chartCsv, countRange, referenceDatasets, toPoints, withAlpha } from '../../src/renderer/src/lib/charts/datasets';

const group = (key: string, count = [2, 2, 1]): SeriesGroup => ({
  key, params: {}, runIds: [1, 2], metric: 'eval/mean_return', x: [0, 10, 20], mean: [1, 2, 3], lower: [0, 1, 2], upper: [2, 3, 4], count,
  runs: [{ runId: 1, x: [0, 10], y: [1, 2] }, { runId: 2, x: [0, 10, 20], y: [1, 2, 3] }],
});

describe('chart datasets', () => {
  it('draws each group as a band (upper fills to lower) and a mean', () => {
    const ds = buildDatasets([group('objective=clip'), group('objective=kl-adaptive')], { hidden: new Set(), highlight: null });
    expect(ds.map((d) => d.role)).toEqual(['lower', 'upper', 'mean', 'lower', 'upper', 'mean']);
    expect(ds[1].fill).toBe('-1');
    expect(ds[1].data).toEqual([{ x: 0, y: 2 }, { x: 10, y: 3 }, { x: 20, y: 4 }]);
    expect(ds[2].borderColor).not.toBe(ds[5].borderColor);
  });

  it('hides and fades groups', () => {
    const ds = buildDatasets([group('a'), group('b')], { hidden: new Set(['b']), highlight: 'a' });
    expect(ds.filter((d) => d.groupKey === 'b').every((d) => d.hidden)).toBe(true);
    const meanA = ds.find((d) => d.groupKey === 'a' && d.role === 'mean');
    const meanB = ds.find((d) => d.groupKey === 'b' && d.role === 'mean');
    expect(meanA?.borderWidth).toBe(3);
    expect(meanB?.borderColor).toContain('0.25');
  });

  it("draws a reference metric dashed in its group's colour, only for the chart's groups, hidden with them", () => {
    const reference = [{ ...group('algorithm=trpo'), metric: 'train/kl_target', mean: [0.01, 0.01, 0.01] }, { ...group('algorithm=ppo'), metric: 'train/kl_target' }];
    const colors = new Map([['algorithm=trpo', '#0072B2']]);
    const lines = referenceDatasets(reference, new Set(['algorithm=trpo', 'algorithm=a2c']), { hidden: new Set(['algorithm=a2c']), colors });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ role: 'reference', groupKey: 'algorithm=trpo', borderDash: [6, 4], borderColor: 'rgba(0, 114, 178, 0.8)', hidden: false, fill: false });
    expect(lines[0]?.data).toEqual([{ x: 0, y: 0.01 }, { x: 10, y: 0.01 }, { x: 20, y: 0.01 }]);
    expect(referenceDatasets(reference, new Set(['algorithm=trpo']), { hidden: new Set(['algorithm=trpo']) })[0]?.hidden).toBe(true);
  });

  it('drops non-finite points', () => {
    expect(toPoints([0, 1, 2], [1, Number.NaN, 3])).toEqual([{ x: 0, y: 1 }, { x: 2, y: 3 }]);
    expect(withAlpha('#0072B2', 0.5)).toBe('rgba(0, 114, 178, 0.5)');
  });

  it('reports the range of runs behind points', () => {
    expect(countRange(group('a'))).toEqual([1, 2]);
    expect(countRange({ count: [0, 0] })).toEqual([0, 0]);
  });

  it('exports raw and smoothed data as CSV', () => {
    const csv = chartCsv('eval/mean_return', [group('a')], [group('a')]);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('metric,kind,group,run,x,mean,lower,upper,count');
    // 3 group points + 5 run points, for raw and smoothed.
    expect(lines).toHaveLength(1 + 2 * 8);
    expect(lines[1]).toBe('eval/mean_return,raw,a,,0,1,0,2,2');
    expect(lines.some((l) => l.startsWith('eval/mean_return,smoothed,a,2,20,3'))).toBe(true);
  });
});
