/**
 * Pendulum as Gymnasium's `PendulumEnv.render` draws it: a red rod from the centre (theta = 0 points up), a black
 * axle, and the torque arrow (Gymnasium blits clockwise.png scaled by |u| / 2, mirrored for u > 0; drawn here as an arc).
 */
import { type CanvasLike2D, type Point, View, rotate } from './canvas';

const screenDim = 500;

/** `state`: [theta, theta_dot]; `lastU`: the last (clipped) torque, or undefined/null for none. */
export function renderPendulum(ctx: CanvasLike2D, state: readonly number[], width: number, height: number, lastU?: number | null): void {
  const view = new View(ctx, screenDim, screenDim, width, height);
  const bound = 2.2;
  const scale = screenDim / (bound * 2);
  const offset = Math.floor(screenDim / 2);
  const rodLength = 1 * scale;
  const rodWidth = 0.2 * scale;
  view.clear();

  const [l, r, t, b] = [0, rodLength, rodWidth / 2, -rodWidth / 2];
  const angle = state[0] + Math.PI / 2;
  const rod: Point[] = ([[l, b], [l, t], [r, t], [r, b]] as Point[]).map((c) => {
    const [px, py] = rotate(c, angle);
    return [px + offset, py + offset];
  });
  const red = [204, 77, 77] as const;
  view.polygon(rod, red);
  view.circle(offset, offset, Math.trunc(rodWidth / 2), red);
  const [ex, ey] = rotate([rodLength, 0], angle);
  view.circle(Math.trunc(ex + offset), Math.trunc(ey + offset), Math.trunc(rodWidth / 2), red);

  if (lastU !== undefined && lastU !== null && lastU !== 0) {
    // Arrow around the axle: clockwise for negative torque, counter-clockwise for positive; size grows with |u|.
    const radius = (scale / 2) * (Math.abs(lastU) / 2);
    const span = Math.PI * 1.2;
    const start = Math.PI / 2 - span / 2;
    const arc: Point[] = [];
    for (let i = 0; i <= 24; i++) {
      const a = start + (span * i) / 24;
      arc.push([offset + radius * Math.cos(a), offset + radius * Math.sin(a)]);
    }
    const dir = lastU > 0 ? 1 : -1;
    const tipAngle = dir > 0 ? start + span : start;
    if (dir < 0) arc.reverse();
    view.polyline(arc, [0, 0, 0], Math.max(1, radius / 12));
    const tip: Point = [offset + radius * Math.cos(tipAngle), offset + radius * Math.sin(tipAngle)];
    const tangent: Point = [-Math.sin(tipAngle) * dir, Math.cos(tipAngle) * dir];
    const head = radius / 4;
    view.polygon(
      [
        [tip[0] + tangent[0] * head, tip[1] + tangent[1] * head],
        [tip[0] - tangent[1] * head * 0.6, tip[1] + tangent[0] * head * 0.6],
        [tip[0] + tangent[1] * head * 0.6, tip[1] - tangent[0] * head * 0.6],
      ],
      [0, 0, 0],
    );
  }

  view.circle(offset, offset, Math.trunc(0.05 * scale), [0, 0, 0]);
}
