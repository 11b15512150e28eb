/**
 * Zoom and pan on the x axis with chartjs-plugin-zoom: drag to zoom into a span, Ctrl+wheel (or a trackpad pinch,
 * which browsers report as Ctrl+wheel) to zoom around the pointer, Shift+drag to pan. A plain wheel keeps scrolling
 * the page: a view is a column of charts, and a chart that swallowed the wheel would trap the page under the pointer.
 * Double-click resets (the chart component listens for it; the plugin has no such gesture).
 *
 * The zoomed window is reported as an `XRange` so the view can hold one window for all its charts; a chart never
 * keeps a zoom of its own (`lineScales` draws whatever range it is given).
 */
import type { Chart } from 'chart.js';
import type { ZoomPluginOptions } from 'chartjs-plugin-zoom/types/options';
import { withAlpha } from './datasets';

/** A window of the x axis, in its units (environment steps, updates or seconds); `null` means the whole range. */
export interface XRange {
  min: number;
  max: number;
}

/** The catalog key of how zoom gestures are described to the user (the views' hint line). */
export const ZOOM_HINT_KEY = 'charts.zoomHint';

/** Whether two windows are the same (both null, or equal ends up to a millionth of their span). */
export function sameRange(a: XRange | null, b: XRange | null): boolean {
  if (a === null || b === null) return a === b;
  const tolerance = 1e-6 * Math.max(Math.abs(a.max - a.min), Math.abs(b.max - b.min), 1e-12);
  return Math.abs(a.min - b.min) <= tolerance && Math.abs(a.max - b.max) <= tolerance;
}

/** The x window a chart shows now. */
export function shownRange(chart: Pick<Chart, 'scales'>): XRange | null {
  const x = chart.scales['x'];
  return x && Number.isFinite(x.min) && Number.isFinite(x.max) ? { min: x.min, max: x.max } : null;
}

/** The plugin's options: x only, every gesture reporting the new window through `onrange` as it changes. `accent` is `#rrggbb`. */
export function zoomOptions(onrange: (range: XRange) => void, accent: string): ZoomPluginOptions {
  const report = ({ chart }: { chart: Chart }): void => {
    const range = shownRange(chart);
    if (range) onrange(range);
  };
  return {
    zoom: {
      mode: 'x',
      wheel: { enabled: true, modifierKey: 'ctrl', speed: 0.15 },
      pinch: { enabled: true },
      drag: { enabled: true, threshold: 6, borderColor: accent, borderWidth: 1, backgroundColor: withAlpha(accent, 0.12) },
      onZoom: report,
    },
    pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPan: report },
  };
}
