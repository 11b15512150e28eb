/** CartPole as Gymnasium's `CartPoleEnv.render` draws it: a black cart on a track line, a tan pole, a blue axle. */
import { CartPoleEnv } from '../cartpole';
import { type CanvasLike2D, type Point, View, rotate } from './canvas';

const screenWidth = 600;
const screenHeight = 400;

/** `state`: [x, x_dot, theta, theta_dot]. */
export function renderCartPole(ctx: CanvasLike2D, state: readonly number[], width: number, height: number): void {
  const view = new View(ctx, screenWidth, screenHeight, width, height);
  const worldWidth = CartPoleEnv.xThreshold * 2;
  const scale = screenWidth / worldWidth;
  const polewidth = 10.0;
  const polelen = scale * (2 * CartPoleEnv.poleHalfLength);
  const cartwidth = 50.0;
  const cartheight = 30.0;
  view.clear();

  let [l, r, t, b] = [-cartwidth / 2, cartwidth / 2, cartheight / 2, -cartheight / 2];
  const axleoffset = cartheight / 4.0;
  const cartx = state[0] * scale + screenWidth / 2.0; // middle of cart
  const carty = 100; // top of cart
  const cart: Point[] = [[l, b], [l, t], [r, t], [r, b]].map(([px, py]) => [px + cartx, py + carty]);
  view.polygon(cart, [0, 0, 0]);

  [l, r, t, b] = [-polewidth / 2, polewidth / 2, polelen - polewidth / 2, -polewidth / 2];
  const pole: Point[] = ([[l, b], [l, t], [r, t], [r, b]] as Point[]).map((c) => {
    const [px, py] = rotate(c, -state[2]);
    return [px + cartx, py + carty + axleoffset];
  });
  view.polygon(pole, [202, 152, 101]);
  view.circle(cartx, carty + axleoffset, polewidth / 2, [129, 132, 203]);
  view.polyline([[0, carty], [screenWidth, carty]], [0, 0, 0]);
}
