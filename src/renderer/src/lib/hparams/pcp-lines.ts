/**
 * chartjs-chart-pcp's parallel coordinates with one colour and width per line that cost nothing to resolve.
 *
 * Why: giving the plugin's line segments per-line options (arrays or functions for `borderColor`) makes Chart.js
 * resolve the options of every segment one by one, which measured 4–5× the time of the whole draw with shared
 * options (500 lines × 5 axes in Chromium: ~350 ms against ~80 ms on the loaded bench machine). Here the options
 * stay shared, and each segment carries its line's colour and width as plain properties copied from the dataset's
 * `rowColors` / `rowWidths` after the plugin positions it; the segment draws with them, except while hovered
 * (then the plugin's hover options apply).
 */
import type { UpdateMode } from 'chart.js';
import { LineSegment, LogarithmicParallelCoordinatesController, ParallelCoordinatesController } from 'chartjs-chart-pcp';
import { LOG_PCP_CHART, PCP_CHART, type RowStyles } from './charts';

const ROW_SEGMENT = 'rowSegment';

/** A line segment in its line's own colour and width. */
export class RowSegment extends LineSegment {
  declare rowColor: string | undefined;
  declare rowWidth: number | undefined;
  declare active: boolean;

  override draw(ctx: CanvasRenderingContext2D): void {
    const { x, y, x1, y1 } = this as unknown as { x: number; y: number; x1: number; y1: number };
    const hovered = this.active;
    ctx.save();
    ctx.lineCap = 'round';
    ctx.lineWidth = hovered || this.rowWidth === undefined ? this.options.borderWidth : this.rowWidth;
    ctx.strokeStyle = hovered || this.rowColor === undefined ? (this.options.borderColor as string) : this.rowColor;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x1, y1);
    ctx.stroke();
    ctx.restore();
  }
}

/** Copies each line's style from the dataset onto the segments the plugin has just placed. */
function styleSegments(controller: ParallelCoordinatesController, elements: unknown[], start: number, count: number): void {
  const styles = controller.getDataset() as unknown as Partial<RowStyles>;
  for (let i = start; i < start + count; i++) {
    const segment = elements[i] as RowSegment;
    segment.rowColor = styles.rowColors?.[i];
    segment.rowWidth = styles.rowWidths?.[i];
  }
}

export class RowPcpController extends ParallelCoordinatesController {
  override updateElements(elements: Parameters<ParallelCoordinatesController['updateElements']>[0], start: number, count: number, mode: UpdateMode): void {
    super.updateElements(elements, start, count, mode);
    styleSegments(this, elements, start, count);
  }
}

export class RowLogPcpController extends LogarithmicParallelCoordinatesController {
  override updateElements(elements: Parameters<ParallelCoordinatesController['updateElements']>[0], start: number, count: number, mode: UpdateMode): void {
    super.updateElements(elements, start, count, mode);
    styleSegments(this, elements, start, count);
  }
}

// Registered under ids of their own (the plugin's classes keep theirs), with the plugin's defaults but these segments.
Object.defineProperty(RowSegment, 'id', { value: ROW_SEGMENT });
Object.defineProperty(RowPcpController, 'id', { value: PCP_CHART });
Object.defineProperty(RowPcpController, 'defaults', { value: { ...ParallelCoordinatesController.defaults, dataElementType: ROW_SEGMENT } });
Object.defineProperty(RowLogPcpController, 'id', { value: LOG_PCP_CHART });
Object.defineProperty(RowLogPcpController, 'defaults', { value: { ...LogarithmicParallelCoordinatesController.defaults, dataElementType: ROW_SEGMENT } });
