import type { Chart, ChartEvent } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { pointerPlugin, readPointer } from '../../src/renderer/src/lib/charts/pointer';

/** Just what the plugin reads of a chart: its active elements, datasets and x scale (10 units per pixel). */
function fakeChart(activeDataset: number | null): Chart<'line'> {
  return {
    getActiveElements: () => (activeDataset === null ? [] : [{ datasetIndex: activeDataset, index: 0 }]),
    data: { datasets: [{ groupKey: 'objective=clip' }, { groupKey: 'objective=kl-adaptive' }] },
    scales: { x: { getValueForPixel: (px: number) => px * 10 } },
  } as unknown as Chart<'line'>;
}

const event = (type: ChartEvent['type'], x = 50): ChartEvent => ({ type, x, y: 40, native: null });

describe('chart pointer', () => {
  it('reports the group of the nearest curve and the x under the pointer inside the plot area', () => {
    expect(readPointer(fakeChart(1), { event: event('mousemove', 50), inChartArea: true })).toEqual({ groupKey: 'objective=kl-adaptive', x: 500 });
    expect(readPointer(fakeChart(null), { event: event('mousemove', 50), inChartArea: true })).toEqual({ groupKey: null, x: 500 });
  });

  it('reports nothing under the pointer once it is over the axes or off the chart (where Chart.js calls no onHover)', () => {
    // Chart.js still has the last curve active when the pointer jumps out of the plot area in one move.
    expect(readPointer(fakeChart(0), { event: event('mousemove', 3), inChartArea: false })).toEqual({ groupKey: null, x: null });
    expect(readPointer(fakeChart(0), { event: event('mouseout', 50), inChartArea: true })).toEqual({ groupKey: null, x: null });
  });

  it('hands every event to the options callbacks, the leaving ones as null', () => {
    const seen: [string | null, number | null][] = [];
    const options = { onGroup: (g: string | null) => seen.push([g, null]), onX: (x: number | null) => seen.push([null, x]) };
    const afterEvent = pointerPlugin.afterEvent as (chart: Chart<'line'>, args: unknown, options: unknown) => void;
    afterEvent(fakeChart(0), { event: event('mousemove', 20), inChartArea: true, replay: false, cancelable: false }, options);
    afterEvent(fakeChart(0), { event: event('mouseout', 20), inChartArea: false, replay: false, cancelable: false }, options);
    expect(seen).toEqual([['objective=clip', null], [null, 200], [null, null], [null, null]]);
  });
});
