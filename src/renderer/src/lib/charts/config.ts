/**
 * The line-chart configuration every workbench chart shares, on screen and in exports: pre-parsed `{x, y}` points
 * (`parsing: false`, `normalized: true`: sorted by x, so Chart.js can binary-search the visible window), no
 * animation, LTTB decimation of long series, linear x, linear or log y, and the x window the view chose.
 * Pure: builds plain option objects (no Chart instance), so the chart benchmark times exactly what the app draws.
 */
import type { ChartConfiguration, ChartOptions, TooltipItem } from 'chart.js';
import type { LineDataset } from './datasets';
import type { XRange } from './zoom';

/** Colours a chart takes from the theme (app.css variables). */
export interface ChartTheme {
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  accent: string;
}

export interface AxesSpec {
  xLabel: string;
  /** Shown as the y axis title when given (exports name the metric there; on screen the panel's caption does). */
  yLabel?: string;
  logY: boolean;
  /** The x window to show; null = all of the data. */
  xRange: XRange | null;
}

/** Points the decimation plugin keeps per series once a series is longer than that. */
export const DECIMATION_SAMPLES = 400;

export function lineScales(axes: AxesSpec, theme: ChartTheme): ChartOptions<'line'>['scales'] {
  return {
    x: {
      type: 'linear',
      min: axes.xRange?.min,
      max: axes.xRange?.max,
      title: { display: true, text: axes.xLabel, color: theme.muted },
      // A zoomed window's ends are rarely round numbers: no ticks at them.
      ticks: { color: theme.muted, maxTicksLimit: 8, includeBounds: false },
      grid: { color: theme.grid },
    },
    y: {
      type: axes.logY ? 'logarithmic' : 'linear',
      title: { display: axes.yLabel !== undefined, text: axes.yLabel ?? '', color: theme.muted },
      ticks: { color: theme.muted, maxTicksLimit: 6 },
      grid: { color: theme.grid },
    },
  };
}

/** Options shared by the on-screen and the exported chart (plugins are added by each). */
export function baseOptions(axes: AxesSpec, theme: ChartTheme): ChartOptions<'line'> {
  return {
    parsing: false,
    normalized: true,
    animation: false,
    spanGaps: true,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    scales: lineScales(axes, theme),
    plugins: {
      legend: { display: false },
      // Chart.js's default threshold is 4 × the chart's width in pixels: a 1,000-point mean in a 450 px chart
      // would never be decimated. Decimate whatever is longer than the samples kept.
      decimation: { enabled: true, algorithm: 'lttb', samples: DECIMATION_SAMPLES, threshold: DECIMATION_SAMPLES },
    },
  };
}

/** Tooltip on the group means only, each with the number of runs behind the point. */
export function meanTooltip(format: (value: number) => string): NonNullable<ChartOptions<'line'>['plugins']>['tooltip'] {
  return {
    filter: (item: TooltipItem<'line'>) => (item.dataset as unknown as LineDataset).role === 'mean',
    callbacks: {
      label: (item: TooltipItem<'line'>) => {
        const ds = item.dataset as unknown as LineDataset;
        const n = ds.counts?.[item.dataIndex];
        return `${ds.label}: ${format(item.parsed.y ?? Number.NaN)}${n !== undefined ? ` (n=${n})` : ''}`;
      },
    },
  };
}

export type LineConfig = ChartConfiguration<'line', { x: number; y: number }[]>;
