/**
 * The page side of bench/charts/compare.ts: the Compare view's chart panels (the real ChartPanel, MetricChart and
 * Chart.js configuration) mounted in a grid like CompareView's at 1440 px, fed with generated groups, and timed
 * with performance.now(). Exposed as `window.proximaCompareBench`.
 */
import { flushSync, mount, unmount } from 'svelte';
import type { SeriesGroup } from '../../../src/core/api/contract';
import { downsample, minMaxIndices } from '../../../src/core/math/downsample';
import ChartPanel from '../../../src/renderer/src/components/ChartPanel.svelte';
import { pointBudget } from '../../../src/renderer/src/lib/charts/budget';
import { colorOf } from '../../../src/renderer/src/lib/charts/datasets';
import type { XRange } from '../../../src/renderer/src/lib/charts/zoom';
import type { BenchCase } from '../compare-case';

/** A noisy learning curve: a seeded LCG, so every run of the bench draws the same data. */
function curve(seed: number, phase: number, points: number): number[] {
  let s = (seed * 2654435761) >>> 0;
  const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  return Array.from({ length: points }, (_, i) => 500 * (1 - Math.exp(-i / (200 + phase * 30))) + 40 * rand());
}

/** `groups` groups of runs / groups runs × points points, aggregated as `series.aggregate` returns them. */
function makeGroups(c: BenchCase, metric: string, offset: number): SeriesGroup[] {
  const x = Array.from({ length: c.points }, (_, i) => i * 1_000);
  const perGroup = c.runs / c.groups;
  const maxPoints = pointBudget(c.runs);
  return Array.from({ length: c.groups }, (_, g) => {
    const runs = Array.from({ length: perGroup }, (_, r) => ({ runId: g * 1_000 + r, x, y: curve(g * 1_000 + r + offset, g, c.points) }));
    const mean = x.map((_, i) => runs.reduce((sum, run) => sum + run.y[i], 0) / runs.length);
    const sd = x.map((_, i) => Math.sqrt(runs.reduce((sum, run) => sum + (run.y[i] - mean[i]) ** 2, 0) / runs.length));
    const sent = c.budget
      ? runs.map((r) => {
          const d = downsample(r.x, r.y, maxPoints);
          return { runId: r.runId, x: Array.from(d.x), y: Array.from(d.y) };
        })
      : runs;
    // The group's series are downsampled too, as aggregateSeries does (the mean's extremes kept).
    const keep = c.budget ? minMaxIndices(mean, maxPoints) : x.map((_, i) => i);
    const pick = (ys: readonly number[]): number[] => keep.map((i) => ys[i]);
    return {
      key: `group=${g}`, params: { group: g }, runIds: runs.map((r) => r.runId), metric, x: pick(x), mean: pick(mean),
      lower: pick(mean.map((m, i) => m - sd[i])), upper: pick(mean.map((m, i) => m + sd[i])), count: keep.map(() => runs.length), runs: sent,
    };
  });
}

let mounted: { component: ReturnType<typeof mount> }[] = [];
let prepared: { c: BenchCase; groups: SeriesGroup[][] } | null = null;
const shared = $state<{ xRange: XRange | null; crosshair: number | null }>({ xRange: null, crosshair: null });

function grid(): HTMLElement {
  const target = document.getElementById('root')!;
  target.replaceChildren();
  // CompareView's grid at 1440 px: three columns in a 1408 px wide main.
  target.style.cssText = 'display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:10px;padding:16px;width:1408px';
  return target;
}

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

function teardown(): void {
  for (const m of mounted) void unmount(m.component);
  mounted = [];
  shared.xRange = null;
  shared.crosshair = null;
  flushSync();
}

/** Generates the case's groups (not timed: the backend's work). */
function prepare(c: BenchCase): { lines: number; points: number } {
  const groups = Array.from({ length: c.panels }, (_, p) => makeGroups(c, `metric/${p}`, p * 7));
  prepared = { c, groups };
  // Per group: band (two lines), mean, and its runs when shown.
  const lines = groups[0].reduce((n, g) => n + 3 + (c.showRuns ? g.runs.length : 0), 0);
  const points = groups[0].reduce((n, g) => n + 3 * g.x.length + (c.showRuns ? g.runs.reduce((m, r) => m + r.x.length, 0) : 0), 0);
  return { lines, points };
}

/** Mounts the view's panels and draws them: ms until Chart.js drew, and until the next frame was shown. */
async function draw(): Promise<{ draw: number; frame: number }> {
  if (!prepared) throw new Error('prepare() first');
  teardown();
  const target = grid();
  await nextFrame();
  const { c, groups } = prepared;
  const colors = new Map(groups[0].map((g, i) => [g.key, colorOf(i)]));
  const t0 = performance.now();
  mounted = groups.map((gs, p) => {
    // Getters: the shared window and crosshair reach every panel reactively, as CompareView's props do.
    const props = {
      metric: `metric/${p}`, meaning: '', groups: gs, colors, hidden: new Set<string>(), highlight: null, showRuns: c.showRuns, logY: false, xLabel: 'environment steps',
      smoothing: 0, subtitle: '', get xRange() { return shared.xRange; }, onxrange: (r: XRange | null) => (shared.xRange = r), get crosshair() { return shared.crosshair; },
      oncrosshair: (x: number | null) => (shared.crosshair = x), ontoggle: () => undefined, onhighlight: () => undefined, loadRaw: async () => gs,
    };
    return { component: mount(ChartPanel, { target, props }) };
  });
  flushSync();
  const t1 = performance.now();
  await nextFrame();
  return { draw: t1 - t0, frame: performance.now() - t0 };
}

/** The view's x window narrowed step by step, as a synced zoom does: ms for all panels to redraw, per step. */
function zoom(steps: number): number[] {
  if (!prepared) throw new Error('prepare() first');
  const span = (prepared.c.points - 1) * 1_000;
  const times: number[] = [];
  for (let i = 1; i <= steps; i++) {
    const half = (span / 2) * 0.85 ** i;
    const t0 = performance.now();
    shared.xRange = { min: span / 2 - half, max: span / 2 + half };
    flushSync();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Ctrl+wheel over the first chart (the zoom plugin's own handler), then the other panels follow: ms per step. */
function wheel(steps: number): { times: number[]; range: XRange | null } {
  const canvas = document.querySelector<HTMLCanvasElement>('#root canvas');
  if (!canvas) throw new Error('no chart mounted');
  const box = canvas.getBoundingClientRect();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, ctrlKey: true, clientX: box.left + box.width * 0.6, clientY: box.top + box.height / 2, bubbles: true, cancelable: true }));
    flushSync();
    times.push(performance.now() - t0);
  }
  return { times, range: shared.xRange };
}

/** The x window each mounted chart draws (to check that the wheel zoom reached them all). */
function shownWindows(): string[] {
  return [...document.querySelectorAll<HTMLElement>('#root .chart')].map((el) => `${el.dataset['xMin']}–${el.dataset['xMax']}`);
}

(window as unknown as { proximaCompareBench: unknown }).proximaCompareBench = { prepare, draw, zoom, wheel, shownWindows, teardown };
