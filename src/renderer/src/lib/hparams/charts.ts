/**
 * What the Hyperparameters charts draw, pure (no DOM, no Chart instance, so it is unit-tested): the
 * parallel-coordinates datasets (chartjs-chart-pcp: one dataset per axis, one line per row) and the scatter points
 * of a value against one hyperparameter.
 *
 * - Rows without the chosen value are not drawn (`undrawn` counts them).
 * - Number axes draw values as they are, on a log scale when the axis suggests one; category axes draw each value
 *   at its index in `HparamAxis.values`, labelled with its text.
 * - Colour: each row on a blue→green→yellow ramp (viridis) by its value, the best end yellow (for goal `min` the
 *   lowest value). With a selection, the selected rows keep their colour and width 3, the others fade. Rows are drawn
 *   worst first and selected ones last, so the best and the selected lie on top.
 */
import type { HparamAxis, HparamGoal } from '../../../../core/api/contract';
import { withAlpha } from '../charts/datasets';
import { formatValue } from '../format';
import { isSelected, statOf, type HparamRow, type HparamStat, type ParamValue } from './rows';

/** Viridis from 0.2 to 0.95 (matplotlib's table): its darkest and lightest ends read badly on one of the themes. */
const RAMP = ['#414487', '#2a788e', '#22a884', '#7ad151', '#dde318'];

/** The ramp colour at t in [0, 1] (clamped), as `#rrggbb`. */
export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = Number.parseInt(RAMP[i].slice(1), 16);
  const b = Number.parseInt(RAMP[i + 1].slice(1), 16);
  const channel = (shift: number): number => Math.round(((a >> shift) & 255) * (1 - f) + ((b >> shift) & 255) * f);
  return `#${((channel(16) << 16) | (channel(8) << 8) | channel(0)).toString(16).padStart(6, '0')}`;
}

export interface ChartTheme {
  fg: string;
  muted: string;
  grid: string;
}

export interface DrawnRows {
  /** The drawn rows in drawing order. */
  rows: HparamRow[];
  values: number[];
  colors: string[];
  widths: number[];
  /** Rows left out for want of the value. */
  undrawn: number;
}

/** The rows that have `stat`, in drawing order, with their colours and line widths. */
export function drawnRows(rows: readonly HparamRow[], stat: HparamStat, goal: HparamGoal, selection: ReadonlySet<number>, theme: ChartTheme): DrawnRows {
  const withValue = rows.map((row) => ({ row, value: statOf(row, stat) })).filter((r): r is { row: HparamRow; value: number } => r.value !== null);
  const lo = Math.min(...withValue.map((r) => r.value));
  const hi = Math.max(...withValue.map((r) => r.value));
  const goodness = (v: number): number => {
    const t = hi > lo ? (v - lo) / (hi - lo) : 1;
    return goal === 'max' ? t : 1 - t;
  };
  const anySelected = selection.size > 0;
  // The theme's muted text colour, nearly transparent (a grey where the theme gives no #rrggbb).
  const faded = withAlpha(/^#[0-9a-f]{6}$/i.test(theme.muted) ? theme.muted : '#7f7f7f', 0.18);
  const ordered = withValue
    .map((r) => ({ ...r, t: goodness(r.value), selected: anySelected && isSelected(r.row, selection) }))
    .sort((a, b) => Number(a.selected) - Number(b.selected) || a.t - b.t);
  return {
    rows: ordered.map((r) => r.row),
    values: ordered.map((r) => r.value),
    colors: ordered.map((r) => (!anySelected ? withAlpha(rampColor(r.t), 0.85) : r.selected ? rampColor(r.t) : faded)),
    widths: ordered.map((r) => (r.selected ? 3 : 1.5)),
    undrawn: rows.length - withValue.length,
  };
}

/** The position of a row's value on an axis: the number itself, or the category's index (-1 if unknown). */
export function axisPosition(axis: HparamAxis, value: ParamValue | undefined): number {
  if (axis.kind === 'number') return typeof value === 'number' ? value : NaN;
  return axis.values.indexOf(value ?? null);
}

/** A log tick's label: 3 significant digits, as JavaScript writes the number (`0.0003`, `1e-7`). */
const logTickText = (value: number): string => String(Number(value.toPrecision(3)));

/** Whether two positive numbers are equal to 6 significant digits (a log tick and a tried value). */
const sameValue = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));

/**
 * Tick options of an axis. Category axes show their values' texts at integer positions only. A log axis (`log`)
 * labels only the powers of 10 and the values the runs tried (Chart.js puts a tick at every 1–9 × 10^k, whose
 * labels overlap); a linear one keeps Chart.js's labels, horizontal, skipping those that would overlap.
 */
export function axisTicks(axis: HparamAxis, theme: ChartTheme, log = axis.log): Record<string, unknown> {
  if (axis.kind === 'number' && log) {
    const tried = axis.values.filter((v): v is number => typeof v === 'number');
    const labelled = (v: number): boolean => sameValue(10 ** Math.round(Math.log10(v)), v) || tried.some((t) => sameValue(t, v));
    return { color: theme.muted, maxRotation: 0, autoSkip: false, callback: (value: number | string) => (labelled(Number(value)) ? logTickText(Number(value)) : '') };
  }
  if (axis.kind === 'number') return { color: theme.muted, maxRotation: 0, autoSkipPadding: 10 };
  const labels = axis.values.map((v) => formatValue(v));
  return { color: theme.muted, stepSize: 1, autoSkip: false, callback: (value: number | string) => (Number.isInteger(Number(value)) ? (labels[Number(value)] ?? '') : '') };
}

/** The chart types of ./pcp-lines.ts: parallel coordinates on a linear and on a log axis. */
export const PCP_CHART = 'hparamsPcp';
export const LOG_PCP_CHART = 'hparamsLogPcp';

/** The per-line style a dataset of those chart types carries (one entry per line). */
export interface RowStyles {
  rowColors: string[];
  rowWidths: number[];
}

/**
 * One parallel-coordinates dataset (./pcp-lines.ts): one vertical axis; its elements are the line segments ending on
 * it, drawn in `rowColors` / `rowWidths` (the same arrays in every dataset). `borderColor` and `borderWidth` are the
 * shared options (the hit area of a line is twice its width).
 */
export interface PcpDataset extends RowStyles {
  type: typeof PCP_CHART | typeof LOG_PCP_CHART;
  label: string;
  data: number[];
  borderColor: string;
  borderWidth: number;
  /** A hovered line: the theme's text colour, 3 px. */
  hoverBorderColor: string;
  hoverBorderWidth: number;
  ticks: Record<string, unknown>;
  grid: { color: string };
}

export interface PcpData {
  /** One label per drawn row (the lines). */
  labels: string[];
  datasets: PcpDataset[];
  drawn: DrawnRows;
}

/** Parallel coordinates: one axis per hyperparameter, then the value axis (`valueLabel`). */
export function pcpData(
  rows: readonly HparamRow[],
  axes: readonly HparamAxis[],
  options: { stat: HparamStat; goal: HparamGoal; selection: ReadonlySet<number>; valueLabel: string; theme: ChartTheme },
): PcpData {
  const drawn = drawnRows(rows, options.stat, options.goal, options.selection, options.theme);
  const style = { rowColors: drawn.colors, rowWidths: drawn.widths, borderColor: options.theme.fg, borderWidth: 2, hoverBorderColor: options.theme.fg, hoverBorderWidth: 3, grid: { color: options.theme.grid } };
  const datasets: PcpDataset[] = axes.map((axis) => ({
    type: axis.log ? LOG_PCP_CHART : PCP_CHART,
    label: axis.name,
    data: drawn.rows.map((row) => axisPosition(axis, row.params[axis.name])),
    ticks: axisTicks(axis, options.theme),
    ...style,
  }));
  datasets.push({ type: PCP_CHART, label: options.valueLabel, data: drawn.values, ticks: { color: options.theme.muted }, ...style });
  return { labels: drawn.rows.map((r) => r.label), datasets, drawn };
}

export interface ScatterData {
  points: { x: number; y: number }[];
  colors: string[];
  radii: number[];
  drawn: DrawnRows;
  /** Whether the x axis is drawn on a log scale (asked for, and possible: a number axis of positive values). */
  logX: boolean;
}

/** The chosen value against one hyperparameter; `logX` is honoured only where every x is positive. */
export function scatterData(
  rows: readonly HparamRow[],
  axis: HparamAxis,
  options: { stat: HparamStat; goal: HparamGoal; selection: ReadonlySet<number>; logX: boolean; theme: ChartTheme },
): ScatterData {
  const drawn = drawnRows(rows, options.stat, options.goal, options.selection, options.theme);
  const points = drawn.rows.map((row, i) => ({ x: axisPosition(axis, row.params[axis.name]), y: drawn.values[i] }));
  return {
    points,
    colors: drawn.colors,
    radii: drawn.widths.map((w) => (w > 2 ? 6 : 4)),
    drawn,
    logX: options.logX && canLog(axis),
  };
}

/** Whether an axis can be drawn on a log scale: numbers, all positive. */
export function canLog(axis: HparamAxis): boolean {
  return axis.kind === 'number' && axis.values.length > 0 && axis.values.every((v) => typeof v === 'number' && v > 0);
}
