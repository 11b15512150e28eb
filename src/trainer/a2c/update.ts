/**
 * The A2C update (SB3 `A2C.train`, stable_baselines3/a2c/a2c.py): one gradient step on the whole rollout — the
 * actor-critic loss (loss.ts), clip_grad_norm_ to maxGradNorm, then RMSprop (SB3's default, nn/rmsprop.ts) or Adam.
 *
 * SB3 reads the rollout through `RolloutBuffer.get(batch_size=None)`, a random permutation of all rows in one batch;
 * the loss is a mean over the rows, so their order does not change it (beyond float summation order) and the
 * rollout's rows are used in place, in buffer order, without a permutation.
 */
import type { A2cConfig } from '../../core/training/config';
import { adamStep } from '../nn/adam';
import { rmspropStep } from '../nn/rmsprop';
import { networkGradient } from '../ppo/minibatch';
import type { TrainingState } from '../ppo/state';
import { a2cLoss, type A2cLossOutput } from './loss';

/** The scheduled coefficients of one update. */
export interface A2cSchedule {
  learningRate: number;
  entCoef: number;
}

/** What the update did: the batch's losses and the gradient norm before clipping. */
export interface A2cUpdateStats extends A2cLossOutput {
  gradNorm: number;
}

/** One gradient step on the rollout in `state.buffer` (advantages and returns computed), changing params and the optimizer. */
export function a2cUpdate(state: TrainingState<A2cConfig>, schedule: A2cSchedule): A2cUpdateStats {
  const { config, buffer, layout, distribution, params, grad } = state;
  const size = buffer.size;
  const observations = buffer.observations.subarray(0, size * buffer.obsDim);
  const actions = buffer.actions.subarray(0, size * buffer.actionDim);
  const targets = { advantages: buffer.advantages.subarray(0, size), returns: buffer.returns.subarray(0, size) };
  const coefs = { entCoef: schedule.entCoef, vfCoef: config.vfCoef };

  // ---- Loss on the whole rollout and its gradient ----
  const loss = networkGradient(layout, distribution, params, observations, actions, size, (outputs) => a2cLoss(outputs, targets, coefs), grad);

  // ---- clip_grad_norm_(maxGradNorm), then the optimizer step: RMSprop(α, ε) (SB3 default) or Adam(adamEps) ----
  const gradNorm = config.useRmsProp
    ? rmspropStep(params, grad, state.adam, schedule.learningRate, config.rmsPropAlpha, config.rmsPropEps, config.maxGradNorm)
    : adamStep(params, grad, state.adam, schedule.learningRate, config.maxGradNorm, config.adamEps);
  // SB3: `self._n_updates += 1` once per train() call.
  state.nUpdates += 1;
  return { ...loss, gradNorm };
}
