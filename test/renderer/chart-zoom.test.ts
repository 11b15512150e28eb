import type { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { sameRange, shownRange, zoomOptions, type XRange } from '../../src/renderer/src/lib/charts/zoom';

const chartShowing = (min: number, max: number): Chart => ({ scales: { x: { min, max } } }) as unknown as Chart;

describe('chart zoom', () => {
  it('tells equal windows apart from different ones, null being the whole range', () => {
    expect(sameRange(null, null)).toBe(true);
    expect(sameRange({ min: 0, max: 10 }, null)).toBe(false);
    expect(sameRange({ min: 1_000, max: 5_000 }, { min: 1_000 + 1e-6, max: 5_000 })).toBe(true);
    expect(sameRange({ min: 1_000, max: 5_000 }, { min: 1_010, max: 5_000 })).toBe(false);
  });

  it('reads the window a chart draws', () => {
    expect(shownRange(chartShowing(2, 8))).toEqual({ min: 2, max: 8 });
    expect(shownRange({ scales: {} } as unknown as Chart)).toBeNull();
  });

  it('zooms and pans x only, wheel with Ctrl and pan with Shift, reporting each new window', () => {
    const seen: XRange[] = [];
    const options = zoomOptions((r) => seen.push(r), '#2f6fde');
    expect(options.zoom?.mode).toBe('x');
    expect(options.pan?.mode).toBe('x');
    expect(options.zoom?.wheel).toMatchObject({ enabled: true, modifierKey: 'ctrl' });
    expect(options.zoom?.drag).toMatchObject({ enabled: true, backgroundColor: 'rgba(47, 111, 222, 0.12)' });
    expect(options.zoom?.drag?.modifierKey).toBeUndefined();
    expect(options.pan).toMatchObject({ enabled: true, modifierKey: 'shift' });
    options.zoom?.onZoom?.({ chart: chartShowing(100, 400), trigger: 'wheel' });
    options.pan?.onPan?.({ chart: chartShowing(50, 350) });
    expect(seen).toEqual([{ min: 100, max: 400 }, { min: 50, max: 350 }]);
  });
});
