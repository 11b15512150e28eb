/**
 * Renderers for the classic-control environments: pure functions that draw a given state onto a 2D canvas context,
 * in Gymnasium's visual conventions (its `render()` layouts and colours), scaled to the canvas.
 */
import { ContinuousMountainCarEnv } from '../continuous-mountain-car';
import type { Action } from '../env';
import { MountainCarEnv } from '../mountain-car';
import { getEnvSpec } from '../registry';
import { renderAcrobot } from './acrobot';
import type { CanvasLike2D } from './canvas';
import { renderCartPole } from './cartpole';
import { renderMountainCar } from './mountain-car';
import { renderPendulum } from './pendulum';

export type { CanvasLike2D } from './canvas';
export { renderAcrobot, renderCartPole, renderMountainCar, renderPendulum };

/**
 * Draws `state` (the env's `unwrapped.state`, Gymnasium's order) of env `id` onto `ctx`, filling width × height.
 * `lastAction` is used by Pendulum (the torque arrow; clipped to ±2 as the env does).
 */
export function renderEnv(id: string, ctx: CanvasLike2D, state: readonly number[], width: number, height: number, lastAction?: Action | null): void {
  const spec = getEnvSpec(id);
  const needed = spec.create().stateLayout.length;
  if (state.length !== needed) throw new RangeError(`${id} state has ${needed} components, got ${state.length}`);
  switch (spec.id) {
    case 'CartPole-v1':
      return renderCartPole(ctx, state, width, height);
    case 'Acrobot-v1':
      return renderAcrobot(ctx, state, width, height);
    case 'MountainCar-v0':
      return renderMountainCar(ctx, state, width, height, MountainCarEnv.goalPosition);
    case 'MountainCarContinuous-v0':
      return renderMountainCar(ctx, state, width, height, ContinuousMountainCarEnv.goalPosition);
    case 'Pendulum-v1': {
      const u = lastAction === undefined || lastAction === null ? null : typeof lastAction === 'number' ? lastAction : lastAction[0];
      return renderPendulum(ctx, state, width, height, u === null ? null : Math.min(Math.max(u, -2), 2));
    }
  }
}
