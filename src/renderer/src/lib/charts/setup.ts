/**
 * Chart.js with only what the workbench draws: line charts on linear or log axes, bands (Filler), tooltips, LTTB
 * decimation of long series, zoom and pan (chartjs-plugin-zoom), and the legend and titles exports draw. Animations
 * are off everywhere: live updates redraw at most 4 times a second.
 */
import { Chart, Decimation, Filler, Legend, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, SubTitle, Title, Tooltip } from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { ChartTheme } from './config';

let registered = false;

export function registerCharts(): typeof Chart {
  if (!registered) {
    Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Tooltip, Decimation, Legend, Title, SubTitle, zoomPlugin);
    Chart.defaults.animation = false;
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    registered = true;
  }
  return Chart;
}

/** The theme colours charts need, read from the CSS variables of app.css. */
export function chartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  return {
    bg: style.getPropertyValue('--bg').trim() || '#ffffff',
    accent: style.getPropertyValue('--accent').trim() || '#2f6fde',
    fg: style.getPropertyValue('--fg').trim() || '#1d2330',
    muted: style.getPropertyValue('--muted').trim() || '#5b6475',
    grid: style.getPropertyValue('--border').trim() || '#d5dae3',
  };
}

/** Saves a data URL, a text or a Blob as a file through a temporary link (works in Electron and in the browser). */
export function download(filename: string, content: string | Blob, type = 'text/csv'): void {
  const isDataUrl = typeof content === 'string' && content.startsWith('data:');
  const url = isDataUrl ? (content as string) : URL.createObjectURL(typeof content === 'string' ? new Blob([content], { type }) : content);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  if (!isDataUrl) setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
