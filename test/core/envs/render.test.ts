// Renderers drawn into a recording context: the calls, colours and positions follow Gymnasium's layouts.
import { describe, expect, it } from 'vitest';
import { ENV_IDS, makeEnv } from '../../../src/core/envs/index';
import { type CanvasLike2D, renderEnv } from '../../../src/core/envs/render/index';

interface Shape {
  kind: 'fill' | 'stroke' | 'fillRect';
  style: unknown;
  points: [number, number][];
  arcs: { x: number; y: number; r: number }[];
}

class RecordingContext implements CanvasLike2D {
  fillStyle: unknown = '#000';
  strokeStyle: unknown = '#000';
  lineWidth = 1;
  shapes: Shape[] = [];
  private points: [number, number][] = [];
  private arcs: { x: number; y: number; r: number }[] = [];
  depth = 0;
  save(): void {
    this.depth++;
  }
  restore(): void {
    this.depth--;
  }
  fillRect(x: number, y: number, w: number, h: number): void {
    this.shapes.push({ kind: 'fillRect', style: this.fillStyle, points: [[x, y], [x + w, y + h]], arcs: [] });
  }
  beginPath(): void {
    this.points = [];
    this.arcs = [];
  }
  closePath(): void {}
  moveTo(x: number, y: number): void {
    this.points.push([x, y]);
  }
  lineTo(x: number, y: number): void {
    this.points.push([x, y]);
  }
  arc(x: number, y: number, r: number): void {
    this.arcs.push({ x, y, r });
  }
  fill(): void {
    this.shapes.push({ kind: 'fill', style: this.fillStyle, points: this.points, arcs: this.arcs });
  }
  stroke(): void {
    this.shapes.push({ kind: 'stroke', style: this.strokeStyle, points: this.points, arcs: this.arcs });
  }
  byStyle(style: string): Shape[] {
    return this.shapes.filter((s) => s.style === style);
  }
}

const centroid = (s: Shape): [number, number] => [
  s.points.reduce((a, p) => a + p[0], 0) / s.points.length,
  s.points.reduce((a, p) => a + p[1], 0) / s.points.length,
];

function draw(id: string, state: number[], width = 600, height = 400, action?: number[]): RecordingContext {
  const ctx = new RecordingContext();
  renderEnv(id, ctx, state, width, height, action);
  return ctx;
}

describe('renderEnv', () => {
  it.each(ENV_IDS)('%s clears to white, draws finite shapes inside the canvas, balances save/restore', (id) => {
    const env = makeEnv(id);
    env.reset({ seed: 3 });
    const ctx = draw(id, env.unwrapped.state, 320, 240, [1]);
    expect(ctx.shapes[0]).toEqual({ kind: 'fillRect', style: 'rgb(255, 255, 255)', points: [[0, 0], [320, 240]], arcs: [] });
    expect(ctx.shapes.length).toBeGreaterThan(3);
    for (const s of ctx.shapes) {
      for (const [x, y] of s.points) {
        expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(-1);
        expect(x).toBeLessThanOrEqual(321);
        expect(y).toBeGreaterThanOrEqual(-1);
        expect(y).toBeLessThanOrEqual(241);
      }
    }
    expect(ctx.depth).toBe(0);
  });

  it('CartPole: the black cart follows x and the tan pole leans with theta', () => {
    const centre = draw('CartPole-v1', [0, 0, 0, 0]);
    const right = draw('CartPole-v1', [1.2, 0, 0.2, 0]);
    const cart = (c: RecordingContext) => centroid(c.byStyle('rgb(0, 0, 0)').find((s) => s.kind === 'fill')!);
    expect(cart(centre)[0]).toBeCloseTo(300, 6);
    expect(cart(right)[0]).toBeCloseTo(300 + 1.2 * (600 / 4.8), 6);
    // Cart top at y = 100 px above the bottom of a 400 px screen: centre at 400 - 100 = 300 px from the top.
    expect(cart(centre)[1]).toBeCloseTo(300, 6);
    const pole = (c: RecordingContext) => c.byStyle('rgb(202, 152, 101)')[0];
    const tip = (c: RecordingContext) => pole(c).points.reduce((a, p) => (p[1] < a[1] ? p : a));
    expect(tip(centre)[1]).toBeLessThan(cart(centre)[1] - 100);
    expect(tip(right)[0]).toBeGreaterThan(cart(right)[0] + 10);
  });

  it('Acrobot: links hang down at theta = 0 and the target line sits one link above the pivot', () => {
    const ctx = draw('Acrobot-v1', [0, 0, 0, 0], 500, 500);
    const links = ctx.byStyle('rgb(0, 204, 204)');
    expect(links.length).toBe(2);
    const scale = 500 / 4.4;
    expect(centroid(links[0])[1]).toBeCloseTo(250 + 0.5 * scale, 6);
    expect(centroid(links[1])[1]).toBeCloseTo(250 + 1.5 * scale, 6);
    const line = ctx.shapes.find((s) => s.kind === 'stroke')!;
    expect(line.points[0][1]).toBeCloseTo(250 - scale, 6);
    expect(ctx.byStyle('rgb(204, 204, 0)').length).toBe(2);
  });

  it('MountainCar: the car sits in the valley at -pi/6, the flag at the goal', () => {
    const ctx = draw('MountainCar-v0', [-Math.PI / 6, 0]);
    const car = ctx.byStyle('rgb(0, 0, 0)').find((s) => s.kind === 'fill')!;
    const scale = 600 / (0.6 - -1.2); // Gymnasium: screen_width / (max_position - min_position)
    expect(centroid(car)[0]).toBeCloseTo((-Math.PI / 6 + 1.2) * scale, 0);
    const flag = ctx.byStyle('rgb(204, 204, 0)')[0];
    expect(flag.points[0][0]).toBe(Math.trunc((0.5 + 1.2) * scale));
    const contFlag = draw('MountainCarContinuous-v0', [-0.5, 0]).byStyle('rgb(204, 204, 0)')[0];
    expect(contFlag.points[0][0]).toBe(Math.trunc((0.45 + 1.2) * scale));
    expect(ctx.byStyle('rgb(128, 128, 128)').length).toBe(2);
  });

  it('Pendulum: theta = 0 points up, theta = pi/2 points left; the torque arrow appears only with a torque', () => {
    const up = draw('Pendulum-v1', [0, 0], 500, 500);
    const rod = (c: RecordingContext) => centroid(c.byStyle('rgb(204, 77, 77)')[0]);
    expect(rod(up)[0]).toBeCloseTo(250, 6);
    expect(rod(up)[1]).toBeLessThan(250);
    const left = draw('Pendulum-v1', [Math.PI / 2, 0], 500, 500);
    expect(rod(left)[0]).toBeLessThan(250);
    expect(rod(left)[1]).toBeCloseTo(250, 6);
    expect(up.shapes.some((s) => s.kind === 'stroke')).toBe(false);
    const torque = draw('Pendulum-v1', [0, 0], 500, 500, [1.5]);
    expect(torque.shapes.some((s) => s.kind === 'stroke')).toBe(true);
  });

  it('rejects unknown ids and wrong state lengths', () => {
    expect(() => draw('Foo-v0', [0])).toThrow(/known ids/);
    expect(() => draw('CartPole-v1', [0, 0])).toThrow(/4 components/);
  });
});
