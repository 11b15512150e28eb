/**
 * The ratios-across-epochs figure's charts: the per-epoch quantile fan of r (5–95 % and 25–75 % bands, the median)
 * with the clip band [1−ε, 1+ε] shaded, and per epoch the KL estimate and the clip fraction.
 */
import type { ChartOptions } from 'chart.js';
import type { ChartTheme } from '../charts/config';
import { LEARN_COLORS, points, withAlpha, type LearnDataset } from './chart';
import type { EpochRow } from './ratio-data';

export interface EpochLabels {
  q05: string;
  q95: string;
  q25: string;
  q75: string;
  median: string;
  kl: string;
  clip: string;
  x: string;
  ratio: string;
}

const column = (rows: readonly EpochRow[], pick: (row: EpochRow) => number) => points(rows.map((r) => r.epoch), rows.map(pick));

export function fanDatasets(rows: readonly EpochRow[], labels: EpochLabels): LearnDataset[] {
  const c = LEARN_COLORS.positive;
  const radius = rows.length === 1 ? 4 : 0;
  return [
    { label: labels.q05, data: column(rows, (r) => r.q05), borderColor: withAlpha(c, 0.4), borderWidth: 1, pointRadius: radius },
    { label: labels.q95, data: column(rows, (r) => r.q95), borderColor: withAlpha(c, 0.4), borderWidth: 1, pointRadius: radius, fill: '-1', backgroundColor: withAlpha(c, 0.15) },
    { label: labels.q25, data: column(rows, (r) => r.q25), borderColor: withAlpha(c, 0.6), borderWidth: 1, pointRadius: radius },
    { label: labels.q75, data: column(rows, (r) => r.q75), borderColor: withAlpha(c, 0.6), borderWidth: 1, pointRadius: radius, fill: '-1', backgroundColor: withAlpha(c, 0.3) },
    { label: labels.median, data: column(rows, (r) => r.q50), borderColor: c, borderWidth: 2.5, pointRadius: radius || 2 },
  ];
}

export function fanOptions(rows: readonly EpochRow[], clipRange: number, labels: EpochLabels, theme: ChartTheme): ChartOptions<'line'> {
  const axis = (title: string) => ({ title: { display: true, text: title, color: theme.muted }, ticks: { color: theme.muted, maxTicksLimit: 8 }, grid: { color: theme.grid } });
  return {
    scales: {
      x: { type: 'linear', min: 1, max: Math.max(2, rows.length), ...axis(labels.x), ticks: { color: theme.muted, stepSize: 1, precision: 0 } },
      y: { type: 'linear', ...axis(labels.ratio), suggestedMin: 1 - clipRange * 1.5, suggestedMax: 1 + clipRange * 1.5 },
    },
    plugins: {
      legend: { display: true, labels: { color: theme.fg, boxWidth: 12, filter: (item) => item.datasetIndex === 1 || item.datasetIndex === 3 || item.datasetIndex === 4 } },
      learnShade: { y: [{ axis: 'y', from: 1 - clipRange, to: 1 + clipRange, color: withAlpha(LEARN_COLORS.neutral, 0.12) }] },
    },
  };
}

export function epochStatsDatasets(rows: readonly EpochRow[], labels: EpochLabels): LearnDataset[] {
  return [
    { label: labels.kl, data: column(rows, (r) => r.kl), borderColor: LEARN_COLORS.trpo, borderWidth: 2, pointRadius: 3, yAxisID: 'y' },
    { label: labels.clip, data: column(rows, (r) => r.clipFraction), borderColor: LEARN_COLORS.clipped, borderWidth: 2, pointRadius: 3, borderDash: [5, 3], yAxisID: 'yClip' },
  ];
}

export function epochStatsOptions(rows: readonly EpochRow[], labels: EpochLabels, theme: ChartTheme): ChartOptions<'line'> {
  const axis = (title: string, color: string) => ({ title: { display: true, text: title, color }, ticks: { color: theme.muted, maxTicksLimit: 6 }, grid: { color: theme.grid } });
  return {
    scales: {
      x: { type: 'linear', min: 1, max: Math.max(2, rows.length), ...axis(labels.x, theme.muted), ticks: { color: theme.muted, stepSize: 1, precision: 0 } },
      y: { type: 'linear', min: 0, ...axis(labels.kl, LEARN_COLORS.trpo) },
      yClip: { type: 'linear', position: 'right', min: 0, ...axis(labels.clip, LEARN_COLORS.clipped), grid: { display: false } },
    },
    plugins: { legend: { display: true, labels: { color: theme.fg, boxWidth: 12 } } },
  };
}
