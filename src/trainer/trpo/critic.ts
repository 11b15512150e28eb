/**
 * TRPO's critic update, after the policy step (sb3-contrib `TRPO.train`, "Critic update"): `nCriticUpdates` passes
 * over the rollout, each a fresh random permutation cut into minibatches of `batchSize` (SB3 `RolloutBuffer.get`:
 * `np.random.permutation`, the last minibatch shorter when batchSize does not divide the rollout), one Adam step per
 * minibatch on the value loss MSE(returns, V) (`F.mse_loss`: the mean, no ½).
 *
 * Only the value-only parameters (value MLP and value head) learn: sb3-contrib sets the actor parameters' gradients
 * to None before each step, "otherwise it defeats the purposes of the KL constraint", so a trunk shared with the
 * actor is not moved by the critic, and torch's Adam skips those parameters (`adamStepRanges`). No gradient clipping
 * (sb3-contrib passes max_grad_norm 0 and never clips).
 */
import type { TrpoConfig } from '../../core/training/config';
import { adamStepRanges, type ParamRange } from '../nn/adam';
import type { Layout } from '../nn/actor-critic';
import { networkForward, VALUE_PATH } from '../nn/backprop';
import { gather, permutation } from '../ppo/minibatch';
import type { TrainingState } from '../ppo/state';
import { valueOnlySlots } from './actor-params';

const NO_HEAD = new Float32Array(0);

/** The value-only slots as contiguous ranges of the flat buffer. */
export function valueOnlyRanges(layout: Layout): ParamRange[] {
  const ranges: ParamRange[] = [];
  for (const slot of valueOnlySlots(layout).sort((a, b) => a.offset - b.offset)) {
    const last = ranges.at(-1);
    if (last && last.offset + last.size === slot.offset) last.size += slot.size;
    else ranges.push({ offset: slot.offset, size: slot.size });
  }
  return ranges;
}

/** Runs the critic's passes on the rollout in `state.buffer` (returns computed); returns the mean value loss over its minibatches. */
export function criticUpdate(state: TrainingState<TrpoConfig>, learningRate: number): number {
  const { config, buffer, layout, params, grad, minibatch: mb } = state;
  const ranges = valueOnlyRanges(layout);
  const size = buffer.size;
  const dValues = new Float32Array(config.batchSize);
  let lossSum = 0;
  let minibatches = 0;
  for (let pass = 0; pass < config.nCriticUpdates; pass++) {
    const order = permutation(size, state.prng);
    for (let start = 0; start < size; start += config.batchSize) {
      const n = Math.min(config.batchSize, size - start);
      gather(buffer, order.subarray(start, start + n), mb);
      const forward = networkForward(layout, params, mb.observations, n, VALUE_PATH);
      let loss = 0;
      try {
        // MSE(R, V) and ∂/∂V = 2(V − R)/n.
        for (let b = 0; b < n; b++) {
          const error = forward.values[b] - mb.returns[b];
          loss += error * error;
          dValues[b] = (2 * error) / n;
        }
        forward.backward(NO_HEAD, dValues.subarray(0, n), grad);
      } finally {
        forward.dispose();
      }
      adamStepRanges(params, grad, state.adam, learningRate, config.adamEps, ranges);
      lossSum += loss / n;
      minibatches += 1;
    }
  }
  return lossSum / minibatches;
}
