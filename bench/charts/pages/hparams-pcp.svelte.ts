/**
 * Bench page: the Hyperparameters view's parallel coordinates (the real ParallelCoordinates.svelte) drawn from an
 * `hparams.get` result. `window.benchPcp.draw(result)` mounts it with one line per run and times, with
 * performance.now(), mount → Chart.js draw → pixels read back from the canvas (so rasterization is included), then
 * a redraw with one line selected and the others faded (what a click in the table does).
 */
import { flushSync, mount, unmount } from 'svelte';
import '../../../src/renderer/src/app.css';
import ParallelCoordinates from '../../../src/renderer/src/components/ParallelCoordinates.svelte';
import type { HparamsResult } from '../../../src/core/api/contract';
import { rowsOf, type HparamRow } from '../../../src/renderer/src/lib/hparams/rows';
import type { PcpTiming } from '../hparams-pcp';


/** Reads one pixel back: Chromium rasterizes the canvas's pending drawing before it can answer. */
function readBack(canvas: HTMLCanvasElement): void {
  canvas.getContext('2d')?.getImageData(0, 0, 1, 1);
}

function ink(canvas: HTMLCanvasElement): number {
  const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}

function draw(result: HparamsResult): PcpTiming {
  const target = document.getElementById('root') as HTMLElement;
  const rows: HparamRow[] = rowsOf(result, 'runs');
  // Raw state behind a getter, as the view passes its selection: the rows stay plain objects (no deep proxy).
  let selection = $state.raw<ReadonlySet<number>>(new Set());
  const props = {
    rows,
    axes: result.axes,
    stat: 'final' as const,
    goal: result.goal,
    get selection() {
      return selection;
    },
    valueLabel: `${result.metric} · final`,
    ontoggle: () => undefined,
  };
  const t0 = performance.now();
  const view = mount(ParallelCoordinates, { target, props });
  flushSync();
  const canvas = target.querySelector('canvas') as HTMLCanvasElement;
  readBack(canvas);
  const t1 = performance.now();
  const drawnInk = ink(canvas);
  const t2 = performance.now();
  selection = new Set([rows[Math.floor(rows.length / 2)].runIds[0]]);
  flushSync();
  readBack(canvas);
  const t3 = performance.now();
  const lines = Number(target.querySelector('[data-testid="hparams-pcp"]')?.getAttribute('data-lines'));
  void unmount(view);
  return { lines, axes: result.axes.length + 1, draw: t1 - t0, select: t3 - t2, ink: drawnInk };
}

(window as unknown as { benchPcp: { draw: typeof draw } }).benchPcp = { draw };
