/**
 * The action an env is stepped with, from the action the policy sampled: Discrete indices as they are, Box actions
 * clipped to the bounds (SB3 `collect_rollouts` / `predict`). The rollout buffer keeps the unclipped sample.
 */
import { clipToBox } from '../../core/envs/spaces';
import type { ActionSpec } from '../nn/actor-critic';

/** Writes the env actions for `sampled` [N, actionDim] into `out` and returns it. */
export function stepActions(action: ActionSpec, sampled: Float32Array, out: Float32Array): Float32Array {
  if (action.kind === 'discrete') {
    out.set(sampled);
    return out;
  }
  return clipToBox(sampled, action.low, action.high, out);
}
