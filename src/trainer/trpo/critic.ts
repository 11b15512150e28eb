/**
 * TRPO's critic update, after the policy step (sb3-contrib `TRPO.train`, "Critic update"): `nCriticUpdates` passes
 * over the rollout, each a fresh random permutation cut into minibatches of `batchSize` (SB3 `RolloutBuffer.get`:
 * `np.random.permutation`, the last minibatch shorter when batchSize does not divide the rollout), one Adam step per
 * minibatch on the value loss MSE(returns, V) (`F.mse_loss`: the mean, no ½).
 *
 * Only the value-only parameters (value MLP and value head) learn: sb3-contrib sets the actor parameters' gradients
 * to None before each step, "otherwise it defeats the purposes of the KL constraint", so a trunk shared with the
 * actor is not moved by the critic. torch's Adam skips a parameter without gradient; here the actor entries get a
 * zero gradient, which leaves them exactly unchanged because only the critic uses this optimizer, so their moments
 * stay 0 (m = v = 0 gives a step of 0 / (0 + ε) = 0). No gradient clipping (sb3-contrib passes max_grad_norm 0 and
 * never clips).
 */
import type { TrpoConfig } from '../../core/training/config';
import { adamStep } from '../nn/adam';
import { networkForward, VALUE_PATH } from '../nn/backprop';
import { gather, permutation } from '../ppo/minibatch';
import type { TrainingState } from '../ppo/state';
import type { ActorParams } from './actor-params';

const NO_HEAD = new Float32Array(0);

/** Runs the critic's passes on the rollout in `state.buffer` (returns computed); returns the mean value loss over its minibatches. */
export function criticUpdate(state: TrainingState<TrpoConfig>, actor: ActorParams, learningRate: number): number {
  const { config, buffer, layout, params, grad, minibatch: mb } = state;
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
      actor.zero(grad);
      adamStep(params, grad, state.adam, learningRate, null, config.adamEps);
      lossSum += loss / n;
      minibatches += 1;
    }
  }
  return lossSum / minibatches;
}
