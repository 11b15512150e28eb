/**
 * Chart.js with only what the workbench draws: line charts on linear or log axes, bands (Filler), tooltips and
 * LTTB decimation of long series. Animations are off everywhere: live updates redraw at most 4 times a second.
 */
import { Chart, Decimation, Filler, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip } from 'chart.js';

let registered = false;

export function registerCharts(): typeof Chart {
  if (!registered) {
    Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Tooltip, Decimation);
    Chart.defaults.animation = false;
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    registered = true;
  }
  return Chart;
}

/** The theme colours charts need, read from the CSS variables of app.css. */
export function chartTheme(): { fg: string; muted: string; grid: string } {
  const style = getComputedStyle(document.documentElement);
  return {
    fg: style.getPropertyValue('--fg').trim() || '#1d2330',
    muted: style.getPropertyValue('--muted').trim() || '#5b6475',
    grid: style.getPropertyValue('--border').trim() || '#d5dae3',
  };
}

/** Saves a data URL or text as a file through a temporary link (works in Electron and in the browser). */
export function download(filename: string, content: string, type = 'text/csv'): void {
  const url = content.startsWith('data:') ? content : URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  if (!content.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
