/**
 * The clipped-objective figure's chart, for one sign of the advantage: L(r) = min(r·A, clip(r, 1−ε, 1+ε)·A) with
 * A = ±1 and the unclipped r·A over r ∈ [0.5, 1.5] (left axis), the flat region shaded, and a ratio histogram on the
 * right axis split into the samples inside [1−ε, 1+ε] and those outside (the clipped fraction).
 */
import type { ChartOptions } from 'chart.js';
import { clippedObjective, flatRegion, type RatioHistogram } from '../../../../core/math/clipped-objective';
import { RATIO_HISTOGRAM } from '../../../../core/metrics/ratio-stats';
import type { ChartTheme } from '../charts/config';
import { LEARN_COLORS, withAlpha, type LearnDataset } from './chart';

const CURVE_POINTS = 201;

export interface ClipLabels {
  objective: string;
  unclipped: string;
  inside: string;
  outside: string;
  x: string;
  y: string;
  yHist: string;
}

/** L and r·A for A = `advantage` over the histogram's range, and the histogram (when given) as two stepped areas. */
export function clipDatasets(advantage: 1 | -1, clipRange: number, histogram: RatioHistogram | null, labels: ClipLabels): LearnDataset[] {
  const { low, high } = RATIO_HISTOGRAM;
  const rs = Array.from({ length: CURVE_POINTS }, (_, i) => low + ((high - low) * i) / (CURVE_POINTS - 1));
  const color = advantage > 0 ? LEARN_COLORS.positive : LEARN_COLORS.negative;
  const datasets: LearnDataset[] = [
    { label: labels.objective, data: rs.map((r) => ({ x: r, y: clippedObjective(r, advantage, clipRange) })), borderColor: color, borderWidth: 2.5, pointRadius: 0, yAxisID: 'y' },
    { label: labels.unclipped, data: rs.map((r) => ({ x: r, y: r * advantage })), borderColor: LEARN_COLORS.neutral, borderDash: [4, 4], borderWidth: 1, pointRadius: 0, yAxisID: 'y' },
  ];
  if (histogram) {
    const split = histogramSteps(histogram, clipRange);
    datasets.push(
      { label: labels.inside, data: split.inside, stepped: 'after', borderWidth: 0, pointRadius: 0, fill: 'origin', backgroundColor: withAlpha(LEARN_COLORS.neutral, 0.35), yAxisID: 'yHist' },
      { label: labels.outside, data: split.outside, stepped: 'after', borderWidth: 0, pointRadius: 0, fill: 'origin', backgroundColor: withAlpha(LEARN_COLORS.clipped, 0.55), yAxisID: 'yHist' },
    );
  }
  return datasets;
}

/**
 * The histogram as step points (x = a bin's left edge, y = its fraction; one closing point at `high`), once for the
 * bins whose centre lies inside [1−ε, 1+ε] and once for the others (0 where a bin belongs to the other set).
 */
export function histogramSteps(histogram: RatioHistogram, clipRange: number): { inside: { x: number; y: number }[]; outside: { x: number; y: number }[] } {
  const width = (histogram.high - histogram.low) / histogram.bins.length;
  const inside: { x: number; y: number }[] = [];
  const outside: { x: number; y: number }[] = [];
  histogram.bins.forEach((fraction, i) => {
    const x = histogram.low + i * width;
    const isInside = Math.abs(x + width / 2 - 1) <= clipRange;
    inside.push({ x, y: isInside ? fraction : 0 });
    outside.push({ x, y: isInside ? 0 : fraction });
  });
  inside.push({ x: histogram.high, y: 0 });
  outside.push({ x: histogram.high, y: 0 });
  return { inside, outside };
}

/** Axes (x: r; y: L; yHist: the fraction per bin, on the right) and the flat region's shading. */
export function clipOptions(advantage: 1 | -1, clipRange: number, histogram: RatioHistogram | null, labels: ClipLabels, theme: ChartTheme): ChartOptions<'line'> {
  const flat = flatRegion(advantage, clipRange)!;
  const histMax = histogram ? Math.max(...histogram.bins, 1e-3) : 1;
  const axis = (title: string) => ({ title: { display: true, text: title, color: theme.muted }, ticks: { color: theme.muted, maxTicksLimit: 6 }, grid: { color: theme.grid } });
  return {
    scales: {
      x: { type: 'linear', min: RATIO_HISTOGRAM.low, max: RATIO_HISTOGRAM.high, ...axis(labels.x) },
      y: { type: 'linear', ...axis(labels.y) },
      yHist: { type: 'linear', position: 'right', min: 0, max: histMax * 1.15, display: histogram !== null, ...axis(labels.yHist), grid: { display: false } },
    },
    plugins: {
      legend: { display: true, labels: { color: theme.fg, boxWidth: 12 } },
      tooltip: { enabled: true },
      learnShade: { x: [{ from: flat.from, to: flat.to, color: withAlpha(advantage > 0 ? LEARN_COLORS.positive : LEARN_COLORS.negative, 0.12) }] },
    },
  };
}
