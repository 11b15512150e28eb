/** MountainCar as Gymnasium's `MountainCarEnv.render` draws it: the sin(3x) hill, a black car with grey wheels, the flag. */
import { type CanvasLike2D, type Point, View, rotate } from './canvas';

const screenWidth = 600;
const screenHeight = 400;
const minPosition = -1.2;
const maxPosition = 0.6;

function heightAt(xs: number): number {
  return Math.sin(3 * xs) * 0.45 + 0.55;
}

/** `state`: [position, velocity]; `goalPosition` 0.5 (discrete) or 0.45 (continuous). */
export function renderMountainCar(ctx: CanvasLike2D, state: readonly number[], width: number, height: number, goalPosition: number): void {
  const view = new View(ctx, screenWidth, screenHeight, width, height);
  const worldWidth = maxPosition - minPosition;
  const scale = screenWidth / worldWidth;
  const carwidth = 40;
  const carheight = 20;
  const pos = state[0];
  view.clear();

  const track: Point[] = [];
  for (let i = 0; i < 100; i++) {
    const xs = minPosition + ((maxPosition - minPosition) * i) / 99;
    track.push([(xs - minPosition) * scale, heightAt(xs) * scale]);
  }
  view.polyline(track, [0, 0, 0]);

  const clearance = 10;
  const [l, r, t, b] = [-carwidth / 2, carwidth / 2, carheight, 0];
  const angle = Math.cos(3 * pos);
  const place = (c: Point): Point => {
    const [px, py] = rotate(c, angle);
    return [px + (pos - minPosition) * scale, py + clearance + heightAt(pos) * scale];
  };
  view.polygon(([[l, b], [l, t], [r, t], [r, b]] as Point[]).map(place), [0, 0, 0]);
  for (const c of [[carwidth / 4, 0], [-carwidth / 4, 0]] as Point[]) {
    const [wx, wy] = place(c);
    view.circle(Math.trunc(wx), Math.trunc(wy), Math.trunc(carheight / 2.5), [128, 128, 128]);
  }

  const flagx = Math.trunc((goalPosition - minPosition) * scale);
  const flagy1 = Math.trunc(heightAt(goalPosition) * scale);
  const flagy2 = flagy1 + 50;
  view.polyline([[flagx, flagy1], [flagx, flagy2]], [0, 0, 0]);
  view.polygon([[flagx, flagy2], [flagx, flagy2 - 10], [flagx + 25, flagy2 - 5]], [204, 204, 0]);
}
