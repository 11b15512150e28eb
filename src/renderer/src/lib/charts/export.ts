/**
 * Charts exported as files that stand alone: the chart drawn again, off screen, at a fixed size, with a title
 * (and a subtitle saying what was compared), a legend naming every group, both axis titles, and the theme's
 * background, as PNG (a canvas at twice the pixel density) or SVG (the same drawing calls recorded by svgcanvas,
 * a Canvas 2D context that writes SVG elements). The on-screen chart is not touched.
 *
 * SVG notes: Chart.js takes a canvas or a 2D context; svgcanvas's Context is its own `canvas`, so it only needs a
 * `getContext()` for Chart.js's BasicPlatform (no DOM events, no resize observer). Chart.js strokes lines through a
 * cached Path2D, which svgcanvas cannot see; a `segment` option (even empty) makes it stroke them point by point.
 */
import type { Chart as ChartType, Plugin } from 'chart.js';
import { BasicPlatform } from 'chart.js';
import type { Context as SvgContext } from 'svgcanvas';
import { baseOptions, type AxesSpec, type ChartTheme, type LineConfig } from './config';
import type { LineDataset } from './datasets';
import { runLinesPlugin, type RunLines } from './run-lines';
import { registerCharts } from './setup';

/** The exported chart's size in CSS pixels (the SVG's width and height; the PNG has `PNG_PIXEL_RATIO` times more). */
export const EXPORT_SIZE = Object.freeze({ width: 1200, height: 720 });
export const PNG_PIXEL_RATIO = 2;

export interface ChartExport {
  /** The metric, as the panel's caption shows it. */
  title: string;
  /** What was compared (groups, smoothing, band), under the title. */
  subtitle?: string;
  /** The chart's datasets as drawn, without the hover fade. */
  datasets: readonly LineDataset[];
  /** Per-run lines under the means, if shown. */
  runLines?: readonly RunLines[];
  axes: AxesSpec;
  /** The legend's text per group key (e.g. `objective=clip (3 runs)`); a group missing here is listed by its key. */
  legendText?: ReadonlyMap<string, string>;
  theme: ChartTheme;
}

/** Fills the whole chart with the theme's background before anything is drawn (a PNG is transparent otherwise). */
function background(color: string): Plugin<'line'> {
  return {
    id: 'proximaExportBackground',
    beforeDraw(chart) {
      const { ctx } = chart;
      ctx.save();
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };
}

/** The configuration of the exported chart: legend of the visible means (and reference lines), titles, no events. */
export function exportConfig(spec: ChartExport, pixelRatio: number): LineConfig {
  const Chart = registerCharts();
  const { theme } = spec;
  const datasets = spec.datasets.map((d) => ({ ...d, faded: false, segment: {} }));
  const options = baseOptions(spec.axes, theme);
  const listed = (d: LineDataset | undefined): boolean => d !== undefined && !d.hidden && (d.role === 'mean' || d.role === 'reference');
  return {
    type: 'line',
    data: { datasets: datasets as never },
    plugins: [background(theme.bg), runLinesPlugin],
    platform: BasicPlatform,
    options: {
      ...options,
      responsive: false,
      maintainAspectRatio: false,
      devicePixelRatio: pixelRatio,
      events: [],
      // Room on the right for the last x tick's label, which SVG text may draw wider than the canvas measured it.
      layout: { padding: { top: 12, bottom: 12, left: 12, right: 28 } },
      color: theme.fg,
      plugins: {
        ...options.plugins,
        decimation: { enabled: true, algorithm: 'lttb', samples: EXPORT_SIZE.width, threshold: EXPORT_SIZE.width },
        title: { display: true, text: spec.title, color: theme.fg, font: { size: 18, weight: 'bold' } },
        subtitle: { display: spec.subtitle !== undefined, text: spec.subtitle ?? '', color: theme.muted, font: { size: 13 }, padding: { bottom: 8 } },
        legend: {
          display: true,
          position: 'bottom',
          labels: {
            color: theme.fg,
            boxWidth: 14,
            generateLabels: (chart) =>
              Chart.defaults.plugins.legend.labels
                .generateLabels(chart)
                .filter((item) => listed(datasets[item.datasetIndex ?? -1]))
                .map((item) => {
                  const d = datasets[item.datasetIndex ?? -1];
                  return { ...item, text: d.role === 'mean' ? (spec.legendText?.get(d.groupKey) ?? d.label) : d.label, fontColor: theme.fg };
                }),
          },
        },
        tooltip: { enabled: false },
        proximaRuns: { lines: () => spec.runLines ?? [] },
        zoom: false as never,
      },
    },
  };
}

/** Draws the chart once onto `target` (a canvas or an SVG context) and hands it to `read` before destroying it. */
function drawOnce<T>(target: HTMLCanvasElement | SvgContext, config: LineConfig, read: (chart: ChartType) => T): T {
  const Chart = registerCharts();
  const chart = new Chart(target as HTMLCanvasElement, config) as unknown as ChartType;
  try {
    return read(chart);
  } finally {
    chart.destroy();
  }
}

/** The chart as a PNG data URL, `EXPORT_SIZE` × `PNG_PIXEL_RATIO` pixels. */
export function chartPng(spec: ChartExport): string {
  const canvas = document.createElement('canvas');
  canvas.width = EXPORT_SIZE.width;
  canvas.height = EXPORT_SIZE.height;
  return drawOnce(canvas, exportConfig(spec, PNG_PIXEL_RATIO), () => canvas.toDataURL('image/png'));
}

/** The chart as an SVG document (text), `EXPORT_SIZE` in CSS pixels. */
export async function chartSvg(spec: ChartExport): Promise<string> {
  // Loaded on first use: only an SVG export needs it.
  const { Context } = await import('svgcanvas');
  const ctx = new Context({ width: EXPORT_SIZE.width, height: EXPORT_SIZE.height });
  // BasicPlatform acquires the context through the "canvas" it is given; the Context is its own canvas.
  (ctx as unknown as { getContext: () => SvgContext }).getContext = () => ctx;
  // svgcanvas writes the underline it supports as text-decoration="undefined" when there is none.
  const svg = drawOnce(ctx, exportConfig(spec, 1), () => ctx.getSerializedSvg()).replaceAll(' text-decoration="undefined"', '');
  return svg.startsWith('<?xml') ? svg : `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`;
}
