/**
 * The trust-region figure: a TRPO run and a PPO run side by side, per update: the KL each step moved the policy by
 * against TRPO's bound (its targetKl), and the size of the step each took — TRPO's line-search fraction of the full
 * natural-gradient step, PPO's fraction of clipped samples.
 */
import type { ChartOptions } from 'chart.js';
import { mean } from '../../../../core/math/stats';
import type { ChartTheme } from '../charts/config';
import { LEARN_COLORS, points, type LearnDataset } from './chart';

/** One run's per-update series (x = update number). */
export interface Line {
  x: readonly number[];
  y: readonly number[];
}

export interface TrustData {
  trpoKl: Line;
  trpoStep: Line;
  ppoKl: Line;
  ppoClip: Line;
  /** TRPO's bound on KL per step (its config's targetKl). */
  bound: number;
}

export interface TrustLabels {
  trpoKl: string;
  ppoKl: string;
  bound: string;
  trpoStep: string;
  ppoClip: string;
  x: string;
  kl: string;
  step: string;
}

const finite = (ys: readonly number[]): number[] => ys.filter(Number.isFinite);
const share = (ys: readonly number[], test: (y: number) => boolean): number => {
  const f = finite(ys);
  return f.length === 0 ? NaN : f.filter(test).length / f.length;
};

/** The figure's numbers: mean KL and step of each, and the share of updates that stayed within the bound. */
export function trustSummary(d: TrustData): { trpoKl: number; ppoKl: number; trpoWithin: number; ppoWithin: number; trpoStep: number; ppoClip: number } {
  // A float tolerance: TRPO's line search accepts KL ≤ bound, measured again after the step.
  const within = (y: number) => y <= d.bound * (1 + 1e-6);
  return {
    trpoKl: mean(finite(d.trpoKl.y)),
    ppoKl: mean(finite(d.ppoKl.y)),
    trpoWithin: share(d.trpoKl.y, within),
    ppoWithin: share(d.ppoKl.y, within),
    trpoStep: mean(finite(d.trpoStep.y)),
    ppoClip: mean(finite(d.ppoClip.y)),
  };
}

export function klDatasets(d: TrustData, labels: TrustLabels): LearnDataset[] {
  const last = Math.max(d.trpoKl.x.at(-1) ?? 1, d.ppoKl.x.at(-1) ?? 1);
  return [
    { label: labels.trpoKl, data: points(d.trpoKl.x, d.trpoKl.y), borderColor: LEARN_COLORS.trpo, borderWidth: 1.8, pointRadius: 0 },
    { label: labels.ppoKl, data: points(d.ppoKl.x, d.ppoKl.y), borderColor: LEARN_COLORS.ppo, borderWidth: 1.8, pointRadius: 0 },
    { label: labels.bound, data: [{ x: 1, y: d.bound }, { x: last, y: d.bound }], borderColor: LEARN_COLORS.clipped, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 },
  ];
}

export function stepDatasets(d: TrustData, labels: TrustLabels): LearnDataset[] {
  return [
    { label: labels.trpoStep, data: points(d.trpoStep.x, d.trpoStep.y), borderColor: LEARN_COLORS.trpo, borderWidth: 1.8, pointRadius: 0 },
    { label: labels.ppoClip, data: points(d.ppoClip.x, d.ppoClip.y), borderColor: LEARN_COLORS.ppo, borderWidth: 1.8, pointRadius: 0 },
  ];
}

export function trustOptions(yTitle: string, labels: TrustLabels, theme: ChartTheme, yMax?: number): ChartOptions<'line'> {
  const axis = (title: string) => ({ title: { display: true, text: title, color: theme.muted }, ticks: { color: theme.muted, maxTicksLimit: 6 }, grid: { color: theme.grid } });
  return {
    scales: { x: { type: 'linear', bounds: 'data', ...axis(labels.x) }, y: { type: 'linear', min: 0, ...(yMax === undefined ? {} : { suggestedMax: yMax }), grace: '5%', ...axis(yTitle) } },
    plugins: { legend: { display: true, labels: { color: theme.fg, boxWidth: 12 } } },
  };
}
