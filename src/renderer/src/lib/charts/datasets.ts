/**
 * Chart.js datasets from aggregated series (`series.aggregate` groups): per group a band (two line datasets, the
 * upper filled down to the lower with `fill: '-1'`) and the group mean. The individual runs are drawn by a plugin
 * (run-lines.ts), not as datasets. Pure: no DOM, no Chart instance, so it is unit-tested.
 */
import type { SeriesGroup } from '../../../../core/api/contract';
import { toCsv, type Cell } from '../csv';

export interface Point {
  x: number;
  y: number;
}

export type DatasetRole = 'lower' | 'upper' | 'mean' | 'reference';

/** The subset of Chart.js line dataset options we set (structurally compatible with ChartDataset<'line'>). */
export interface LineDataset {
  label: string;
  data: Point[];
  role: DatasetRole;
  groupKey: string;
  borderColor: string;
  backgroundColor: string;
  borderWidth: number;
  pointRadius: number;
  pointHoverRadius: number;
  fill: false | string;
  hidden: boolean;
  /** Drawn faded because another group is highlighted. */
  faded: boolean;
  order: number;
  /** Runs behind each point (mean datasets only). */
  counts?: number[];
  /** Dash pattern (reference lines). */
  borderDash?: number[];
}

/** Colour-blind-safe palette (Okabe–Ito, then Tableau) that reads on light and dark backgrounds. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8C6D31', '#7F7F7F', '#BCBD22', '#17BECF'];

export function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length];
}

/** `#rrggbb` with an alpha in [0, 1] as `rgba(…)`. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Zips parallel x and y arrays into points, dropping non-finite y (gaps). */
export function toPoints(x: readonly number[], y: readonly number[]): Point[] {
  const out: Point[] = [];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v !== null && Number.isFinite(v)) out.push({ x: x[i], y: v });
  }
  return out;
}

export interface DatasetOptions {
  /** Group keys switched off in the legend. */
  hidden: ReadonlySet<string>;
  /** Group key under the pointer or keyboard focus: the others fade. A key naming none of the groups fades nothing. */
  highlight: string | null;
  /** Colour per group key (stable across redraws); falls back to the palette by position. */
  colors?: ReadonlyMap<string, string>;
}

export function buildDatasets(groups: readonly SeriesGroup[], options: DatasetOptions): LineDataset[] {
  const out: LineDataset[] = [];
  // A highlight left over from groups no longer shown (the legend item that set it was removed before its
  // mouseleave) must not fade the groups that are.
  const highlight = groups.some((g) => g.key === options.highlight) ? options.highlight : null;
  groups.forEach((group, index) => {
    const color = options.colors?.get(group.key) ?? colorOf(index);
    const hidden = options.hidden.has(group.key);
    const faded = highlight !== null && highlight !== group.key;
    const base = { groupKey: group.key, pointRadius: 0, hidden, faded };
    const bandAlpha = faded ? 0.05 : 0.2;
    out.push({ ...base, label: `${group.key} (lower)`, role: 'lower', data: toPoints(group.x, group.lower), borderColor: withAlpha(color, 0), backgroundColor: withAlpha(color, bandAlpha), borderWidth: 0, pointHoverRadius: 0, fill: false, order: 3 });
    out.push({ ...base, label: `${group.key} (upper)`, role: 'upper', data: toPoints(group.x, group.upper), borderColor: withAlpha(color, 0), backgroundColor: withAlpha(color, bandAlpha), borderWidth: 0, pointHoverRadius: 0, fill: '-1', order: 3 });
    out.push({ ...base, label: group.key, role: 'mean', data: toPoints(group.x, group.mean), counts: group.count, borderColor: withAlpha(color, faded ? 0.25 : 1), backgroundColor: color, borderWidth: highlight === group.key ? 3 : 2, pointHoverRadius: 3, fill: false, order: 1 });
  });
  return out;
}

/**
 * A reference metric's groups (e.g. TRPO's `train/kl_target` in the KL chart) as dashed lines in their group's colour,
 * one per group whose key is among `groupKeys` (the chart's own groups), hidden with it. No band, no tooltip.
 */
export function referenceDatasets(reference: readonly SeriesGroup[], groupKeys: ReadonlySet<string>, options: Pick<DatasetOptions, 'hidden' | 'colors'>): LineDataset[] {
  return reference
    .filter((group) => groupKeys.has(group.key))
    .map((group, index) => {
      const color = options.colors?.get(group.key) ?? colorOf(index);
      return {
        label: `${group.key} (${group.metric})`, role: 'reference' as const, groupKey: group.key, data: toPoints(group.x, group.mean), borderColor: withAlpha(color, 0.8),
        backgroundColor: withAlpha(color, 0), borderWidth: 1, borderDash: [6, 4], pointRadius: 0, pointHoverRadius: 0, fill: false as const, hidden: options.hidden.has(group.key), faded: false, order: 0,
      };
    });
}

/** The smallest and largest number of runs behind a point of the group (points with no runs are ignored). */
export function countRange(group: Pick<SeriesGroup, 'count'>): [number, number] {
  let min = Infinity;
  let max = 0;
  for (const c of group.count) {
    if (c <= 0) continue;
    min = Math.min(min, c);
    max = Math.max(max, c);
  }
  return max === 0 ? [0, 0] : [min, max];
}

/**
 * One chart's data as CSV, long format: for raw and smoothed, each group's mean/lower/upper/count per x, then each
 * run's series (`run` column set, value in `mean`).
 */
export function chartCsv(metric: string, raw: readonly SeriesGroup[], smoothed: readonly SeriesGroup[] | null): string {
  const rows: Cell[][] = [];
  const add = (kind: string, groups: readonly SeriesGroup[]): void => {
    for (const g of groups) {
      g.x.forEach((x, i) => rows.push([metric, kind, g.key, '', x, g.mean[i], g.lower[i], g.upper[i], g.count[i]]));
      for (const run of g.runs) run.x.forEach((x, i) => rows.push([metric, kind, g.key, run.runId, x, run.y[i], null, null, null]));
    }
  };
  add('raw', raw);
  if (smoothed) add('smoothed', smoothed);
  return toCsv(['metric', 'kind', 'group', 'run', 'x', 'mean', 'lower', 'upper', 'count'], rows);
}

/** One plain line (a single run's metric in Run detail). */
export function lineDataset(label: string, x: readonly number[], y: readonly number[], color: string): LineDataset {
  return { label, groupKey: label, role: 'mean', data: toPoints(x, y), borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 3, fill: false, hidden: false, faded: false, order: 1 };
}
