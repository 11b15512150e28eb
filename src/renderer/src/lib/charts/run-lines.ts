/**
 * The thin per-run ("individual seeds") lines under the group means, drawn by a small Chart.js plugin instead of
 * as one dataset per run. A Compare chart of 100 runs would otherwise carry 100 extra datasets, each with a point
 * element per point and its options resolved on every update (Chart.js's per-dataset work grows with the square
 * of the dataset count): measured, that was most of a zoom step. Here each group's runs are one path, stroked once,
 * from the runs' own x/y arrays, only over the visible x window; and the y axis is widened to take them in.
 * The lines carry no tooltip and take no hover (the group means do both).
 */
import type { Chart, ChartType, Plugin, Scale } from 'chart.js';
import type { SeriesGroup } from '../../../../core/api/contract';
import { colorOf, withAlpha } from './datasets';

/** One group's runs, as drawn. */
export interface RunLines {
  groupKey: string;
  /** Stroke colour (with alpha). */
  color: string;
  runs: readonly { x: readonly number[]; y: readonly number[] }[];
}

export interface RunLinesOptions {
  /** The lines to draw (a function, so Chart.js's option resolver does not walk the arrays). */
  lines?: () => readonly RunLines[];
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    proximaRuns?: RunLinesOptions;
  }
}

/** The run lines of the groups not switched off; faded like their means when another group is highlighted. */
export function buildRunLines(
  groups: readonly SeriesGroup[],
  options: { hidden: ReadonlySet<string>; highlight: string | null; colors?: ReadonlyMap<string, string> },
): RunLines[] {
  const highlight = groups.some((g) => g.key === options.highlight) ? options.highlight : null;
  return groups.flatMap((group, index) => {
    if (options.hidden.has(group.key) || group.runs.length === 0) return [];
    const faded = highlight !== null && highlight !== group.key;
    return [{ groupKey: group.key, color: withAlpha(options.colors?.get(group.key) ?? colorOf(index), faded ? 0.12 : 0.45), runs: group.runs }];
  });
}

/** First index with x[i] ≥ value (x sorted ascending). */
function lowerBound(x: readonly number[], value: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index span of a run to draw for the x window: the points inside it and one on each side. */
export function visibleSpan(x: readonly number[], min: number, max: number): [number, number] {
  return [Math.max(0, lowerBound(x, min) - 1), Math.min(x.length, lowerBound(x, max) + 1)];
}

/** The smallest and largest y of the lines inside the x window (`positive`: only y > 0, for a log axis). */
export function runLinesExtent(lines: readonly RunLines[], min: number, max: number, positive: boolean): { min: number; max: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const group of lines) {
    for (const run of group.runs) {
      const from = lowerBound(run.x, min);
      for (let i = from; i < run.x.length && run.x[i] <= max; i++) {
        const y = run.y[i];
        if (!Number.isFinite(y) || (positive && y <= 0)) continue;
        if (y < lo) lo = y;
        if (y > hi) hi = y;
      }
    }
  }
  return lo <= hi ? { min: lo, max: hi } : null;
}

function xWindow(chart: Chart): { min: number; max: number } {
  const x = chart.scales['x'];
  const user = x?.getUserBounds();
  return { min: user?.minDefined ? user.min : -Infinity, max: user?.maxDefined ? user.max : Infinity };
}

const drawnThisPass = new WeakMap<object, boolean>();

function drawRunLines(chart: Chart<'line'>, lines: readonly RunLines[]): void {
  const xScale = chart.scales['x'];
  const yScale = chart.scales['y'];
  if (lines.length === 0 || !xScale || !yScale) return;
  const { ctx, chartArea: area } = chart;
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
  ctx.clip();
  ctx.lineWidth = 1;
  ctx.lineJoin = 'round';
  for (const group of lines) {
    ctx.beginPath();
    for (const run of group.runs) {
      const [from, to] = visibleSpan(run.x, xScale.min, xScale.max);
      let pen = false;
      for (let i = from; i < to; i++) {
        const px = xScale.getPixelForValue(run.x[i]);
        const py = yScale.getPixelForValue(run.y[i]);
        if (!Number.isFinite(px) || !Number.isFinite(py)) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        pen = true;
      }
    }
    ctx.strokeStyle = group.color;
    ctx.stroke();
  }
  ctx.restore();
}

export const runLinesPlugin: Plugin<'line', RunLinesOptions> = {
  id: 'proximaRuns',
  // Widen the y axis to the runs inside the x window, before its ticks are chosen.
  afterDataLimits(chart, { scale }: { scale: Scale }, options) {
    const lines = options.lines?.() ?? [];
    if (scale.axis !== 'y' || lines.length === 0) return;
    const window = xWindow(chart as unknown as Chart);
    const extent = runLinesExtent(lines, window.min, window.max, scale.type === 'logarithmic');
    if (!extent) return;
    scale.min = Math.min(scale.min, extent.min);
    scale.max = Math.max(scale.max, extent.max);
  },
  // Over the bands, under the means: drawn just before the first mean (or at the end when no mean is shown).
  beforeDatasetsDraw(chart) {
    drawnThisPass.set(chart, false);
  },
  beforeDatasetDraw(chart, { index }, options) {
    if (drawnThisPass.get(chart) || (chart.data.datasets[index] as { role?: string } | undefined)?.role !== 'mean') return;
    drawnThisPass.set(chart, true);
    drawRunLines(chart, options.lines?.() ?? []);
  },
  afterDatasetsDraw(chart, _args, options) {
    if (!drawnThisPass.get(chart)) drawRunLines(chart, options.lines?.() ?? []);
    drawnThisPass.set(chart, true);
  },
};
