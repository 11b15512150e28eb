/**
 * What is under the pointer of a chart: the group of the nearest curve (for the hover highlight) and the x value
 * (for the crosshair every chart of the view draws at the same x).
 *
 * A Chart.js plugin rather than the chart's `onHover`, because Chart.js calls `onHover` only while the pointer is
 * inside the plot area: a pointer that left it fast, over the axes or off the canvas, never got its "nothing
 * hovered" call and the highlight stuck. `afterEvent` sees every event, `mouseout` included.
 */
import type { Chart, ChartEvent, ChartType, Plugin } from 'chart.js';

export interface PointerOptions {
  /** The group key of the nearest curve, or null once the pointer is outside the plot area or off the chart. */
  onGroup?: (groupKey: string | null) => void;
  /** The x value under the pointer (axis units), or null once it is outside the plot area or off the chart. */
  onX?: (x: number | null) => void;
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    proximaPointer?: PointerOptions;
  }
}

interface EventArgs {
  event: ChartEvent;
  inChartArea: boolean;
}

/** The group key and x value under the pointer after Chart.js handled `args.event`. */
export function readPointer(chart: Pick<Chart, 'getActiveElements' | 'data' | 'scales'>, args: EventArgs): { groupKey: string | null; x: number | null } {
  const { event, inChartArea } = args;
  if (event.type === 'mouseout' || !inChartArea || event.x === null) return { groupKey: null, x: null };
  const first = chart.getActiveElements()[0];
  const dataset = first ? (chart.data.datasets[first.datasetIndex] as { groupKey?: string } | undefined) : undefined;
  const x = chart.scales['x']?.getValueForPixel(event.x);
  return { groupKey: dataset?.groupKey ?? null, x: x !== undefined && Number.isFinite(x) ? x : null };
}

export const pointerPlugin: Plugin<'line', PointerOptions> = {
  id: 'proximaPointer',
  afterEvent(chart, args, options) {
    const { groupKey, x } = readPointer(chart, args);
    options.onGroup?.(groupKey);
    options.onX?.(x);
  },
};
