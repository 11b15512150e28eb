/**
 * The adaptive-penalty figure: per update of a kl-adaptive run, the KL measured after it (left log axis, with the
 * band [d_targ/1.5, 1.5·d_targ] shaded) and the β it used (right log axis), each halving and doubling marked.
 */
import type { ChartOptions } from 'chart.js';
import { betaChanges, klBand, type BetaChange } from '../../../../core/math/adaptive-beta';
import type { ChartTheme } from '../charts/config';
import { LEARN_COLORS, points, withAlpha, type LearnDataset } from './chart';

export interface BetaSeries {
  /** Update numbers (1-based) of the β points, and the β each update used. */
  x: readonly number[];
  beta: readonly number[];
  /** Update numbers and the KL measured after each update. */
  klX: readonly number[];
  kl: readonly number[];
}

export interface BetaLabels {
  kl: string;
  beta: string;
  halve: string;
  double: string;
  band: string;
  x: string;
}

/** What the figure says in numbers: the changes, and how many updates ended inside the band. */
export function betaSummary(series: BetaSeries, klTarget: number): { changes: BetaChange[]; halvings: number; doublings: number; inBand: number; updates: number } {
  const changes = betaChanges(series.beta);
  const band = klBand(klTarget);
  const finite = series.kl.filter(Number.isFinite);
  return {
    changes,
    halvings: changes.filter((c) => c.kind === 'halve').length,
    doublings: changes.filter((c) => c.kind === 'double').length,
    inBand: finite.filter((k) => k >= band.low && k <= band.high).length,
    updates: finite.length,
  };
}

export function betaDatasets(series: BetaSeries, changes: readonly BetaChange[], labels: BetaLabels): LearnDataset[] {
  const marks = (kind: BetaChange['kind']) => changes.filter((c) => c.kind === kind).map((c) => ({ x: series.x[c.index]!, y: c.to }));
  return [
    { label: labels.kl, data: points(series.klX, series.kl).filter((p) => p.y > 0), borderColor: LEARN_COLORS.trpo, borderWidth: 1.5, pointRadius: 0, yAxisID: 'y' },
    { label: labels.beta, data: points(series.x, series.beta).filter((p) => p.y > 0), borderColor: LEARN_COLORS.negative, borderWidth: 2, pointRadius: 0, stepped: 'before', yAxisID: 'yBeta' },
    { label: labels.halve, data: marks('halve'), showLine: false, pointStyle: 'triangle', pointRotation: 180, pointRadius: 5, borderColor: LEARN_COLORS.positive, backgroundColor: LEARN_COLORS.positive, yAxisID: 'yBeta' },
    { label: labels.double, data: marks('double'), showLine: false, pointStyle: 'triangle', pointRadius: 5, borderColor: LEARN_COLORS.clipped, backgroundColor: LEARN_COLORS.clipped, yAxisID: 'yBeta' },
  ];
}

export function betaOptions(klTarget: number, labels: BetaLabels, theme: ChartTheme): ChartOptions<'line'> {
  const band = klBand(klTarget);
  const axis = (title: string, color: string) => ({ title: { display: true, text: title, color }, ticks: { color: theme.muted, maxTicksLimit: 6 }, grid: { color: theme.grid } });
  return {
    scales: {
      x: { type: 'linear', bounds: 'data', ...axis(labels.x, theme.muted) },
      y: { type: 'logarithmic', ...axis(labels.kl, LEARN_COLORS.trpo) },
      yBeta: { type: 'logarithmic', position: 'right', ...axis(labels.beta, LEARN_COLORS.negative), grid: { display: false } },
    },
    plugins: {
      legend: { display: true, labels: { color: theme.fg, boxWidth: 12, usePointStyle: true } },
      learnShade: { y: [{ axis: 'y', from: band.low, to: band.high, color: withAlpha(LEARN_COLORS.trpo, 0.14) }] },
    },
  };
}
