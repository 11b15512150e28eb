/** Acrobot as Gymnasium's `AcrobotEnv.render` draws it: two teal links, yellow joints, the target line at height 1. */
import { AcrobotEnv } from '../acrobot';
import { type CanvasLike2D, type Point, View, rotate } from './canvas';

const SCREEN_DIM = 500;

/** `state`: [theta1, theta2, dtheta1, dtheta2]. */
export function renderAcrobot(ctx: CanvasLike2D, state: readonly number[], width: number, height: number): void {
  const view = new View(ctx, SCREEN_DIM, SCREEN_DIM, width, height);
  const l1 = AcrobotEnv.linkLength1;
  const l2 = AcrobotEnv.linkLength2;
  const bound = l1 + l2 + 0.2; // 2.2 for default
  const scale = SCREEN_DIM / (bound * 2);
  const offset = SCREEN_DIM / 2;
  view.clear();

  const [s0, s1] = state;
  const p1: Point = [-l1 * Math.cos(s0) * scale, l1 * Math.sin(s0) * scale];
  const p2: Point = [p1[0] - l2 * Math.cos(s0 + s1) * scale, p1[1] + l2 * Math.sin(s0 + s1) * scale];
  // Gymnasium swaps the coordinates (xys[:, ::-1]): the chain hangs down at theta = 0.
  const xys: Point[] = [[0, 0], p1, p2].map(([a, b]) => [b, a]);
  const thetas = [s0 - Math.PI / 2, s0 + s1 - Math.PI / 2];
  const linkLengths = [l1 * scale, l2 * scale];

  view.polyline([[-2.2 * scale + offset, 1 * scale + offset], [2.2 * scale + offset, 1 * scale + offset]], [0, 0, 0]);
  for (let i = 0; i < 2; i++) {
    const x = xys[i][0] + offset;
    const y = xys[i][1] + offset;
    const [l, r, t, b] = [0, linkLengths[i], 0.1 * scale, -0.1 * scale];
    const link: Point[] = ([[l, b], [l, t], [r, t], [r, b]] as Point[]).map((c) => {
      const [px, py] = rotate(c, thetas[i]);
      return [px + x, py + y];
    });
    view.polygon(link, [0, 204, 204]);
    view.circle(x, y, 0.1 * scale, [204, 204, 0]);
  }
}
