/**
 * What the Learn figures draw beyond the workbench's line charts: shaded x intervals (the clipped objective's flat
 * regions) and y intervals (β's KL band), as a Chart.js plugin configured per chart through
 * `options.plugins.learnShade`. Pure apart from the canvas it is handed.
 */
import type { Chart, ChartDataset, Plugin } from 'chart.js';

export interface ShadeOptions {
  /** Intervals of x shaded across the plot's height (bounds clamped to the axis). */
  x?: { from: number; to: number; color: string }[];
  /** Intervals of y on the axis `axis` shaded across the plot's width. */
  y?: { axis: string; from: number; to: number; color: string }[];
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType> {
    learnShade?: ShadeOptions & { _type?: TType };
  }
}

export const shadePlugin: Plugin<'line'> = {
  id: 'learnShade',
  beforeDatasetsDraw(chart: Chart<'line'>, _args, options: ShadeOptions) {
    const { ctx, chartArea: area, scales } = chart;
    ctx.save();
    const x = scales['x'];
    for (const band of options.x ?? []) {
      if (!x) break;
      const left = Math.max(area.left, x.getPixelForValue(Math.max(band.from, x.min)));
      const right = Math.min(area.right, x.getPixelForValue(Math.min(band.to, x.max)));
      if (right <= left) continue;
      ctx.fillStyle = band.color;
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
    }
    for (const band of options.y ?? []) {
      const y = scales[band.axis];
      if (!y) continue;
      const top = Math.max(area.top, y.getPixelForValue(Math.min(band.to, y.max)));
      const bottom = Math.min(area.bottom, y.getPixelForValue(Math.max(band.from, y.min)));
      if (bottom <= top) continue;
      ctx.fillStyle = band.color;
      ctx.fillRect(area.left, top, area.right - area.left, bottom - top);
    }
    ctx.restore();
  },
};

/** A colour with an alpha, from a `#rrggbb` theme colour (others are returned as they are). */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color.trim());
  if (!m) return color;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}

/** The figures' series colours: distinct in light and dark themes. */
export const LEARN_COLORS = Object.freeze({ positive: '#2f6fde', negative: '#d9480f', neutral: '#7a869a', clipped: '#c2255c', trpo: '#7048e8', ppo: '#2b8a3e' });

export type LearnDataset = ChartDataset<'line', { x: number; y: number }[]>;

/** A line of (x, y) pairs, skipping non-finite values. */
export function points(xs: readonly number[], ys: readonly number[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) out.push({ x: xs[i]!, y: ys[i]! });
  return out;
}
