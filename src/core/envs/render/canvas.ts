/**
 * The drawing surface the renderers need: a structural subset of `CanvasRenderingContext2D` (so src/core needs no
 * DOM types), and a view that maps Gymnasium's pygame screen (y up before its final flip) onto any canvas size.
 */

export interface CanvasLike2D {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  save(): void;
  restore(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  closePath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number, counterclockwise?: boolean): void;
  fill(): void;
  stroke(): void;
}

export type Rgb = readonly [number, number, number];
export type Point = readonly [number, number];

export function rgb([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** pygame's Vector2.rotate_rad: counter-clockwise rotation in y-up coordinates. */
export function rotate([x, y]: Point, angle: number): Point {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [x * c - y * s, x * s + y * c];
}

/**
 * Maps Gymnasium screen coordinates (screenWidth × screenHeight pixels, origin bottom-left, y up) onto a
 * width × height canvas: uniform scale, centred, y flipped.
 */
export class View {
  readonly scale: number;
  readonly offsetX: number;
  readonly offsetY: number;

  constructor(
    readonly ctx: CanvasLike2D,
    readonly screenWidth: number,
    readonly screenHeight: number,
    readonly width: number,
    readonly height: number,
  ) {
    this.scale = Math.min(width / screenWidth, height / screenHeight);
    this.offsetX = (width - screenWidth * this.scale) / 2;
    this.offsetY = (height - screenHeight * this.scale) / 2;
  }

  x(sx: number): number {
    return this.offsetX + sx * this.scale;
  }

  y(sy: number): number {
    return this.offsetY + (this.screenHeight - sy) * this.scale;
  }

  /** White background over the whole canvas, as Gymnasium's `surf.fill((255, 255, 255))`. */
  clear(color: Rgb = [255, 255, 255]): void {
    this.ctx.fillStyle = rgb(color);
    this.ctx.fillRect(0, 0, this.width, this.height);
  }

  polygon(points: readonly Point[], color: Rgb): void {
    const { ctx } = this;
    ctx.fillStyle = rgb(color);
    ctx.beginPath();
    points.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(this.x(px), this.y(py)) : ctx.lineTo(this.x(px), this.y(py))));
    ctx.closePath();
    ctx.fill();
  }

  circle(cx: number, cy: number, radius: number, color: Rgb): void {
    const { ctx } = this;
    ctx.fillStyle = rgb(color);
    ctx.beginPath();
    ctx.arc(this.x(cx), this.y(cy), radius * this.scale, 0, 2 * Math.PI);
    ctx.fill();
  }

  polyline(points: readonly Point[], color: Rgb, lineWidth = 1): void {
    const { ctx } = this;
    ctx.strokeStyle = rgb(color);
    ctx.lineWidth = lineWidth * this.scale;
    ctx.beginPath();
    points.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(this.x(px), this.y(py)) : ctx.lineTo(this.x(px), this.y(py))));
    ctx.stroke();
  }
}
