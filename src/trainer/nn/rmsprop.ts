/**
 * RMSprop over the flat parameter buffer, with global gradient-norm clipping first, as one fused loop: exactly
 * torch.optim.RMSprop(lr, alpha, eps, weight_decay=0, momentum=0, centered=False) after
 * torch.nn.utils.clip_grad_norm_, which is what Stable-Baselines3's A2C steps with (stable_baselines3/a2c/a2c.py:
 * `optimizer_class = th.optim.RMSprop`, `optimizer_kwargs = dict(alpha=0.99, eps=rms_prop_eps, weight_decay=0)`).
 *
 * torch's update (torch/optim/rmsprop.py, `_single_tensor_rmsprop`):
 *   square_avg ← α·square_avg + (1 − α)·g²;  θ ← θ − lr · g / (√square_avg + ε)
 * ε is added outside the square root (TensorFlow's RMSProp, which the original A2C used, adds it inside).
 *
 * Its state is the square average per parameter plus the step count. It lives in the run's checkpointed optimizer
 * arrays (`AdamState`): `v` holds the square average, `t` the steps taken, `m` stays zero — so a checkpoint of an
 * RMSprop run has the same shape as an Adam run's and resumes exactly.
 */
import { clipCoefficient, globalNorm, type AdamState } from './adam';

/**
 * One RMSprop step in place on `params` with gradients `grad` scaled by clip_grad_norm_'s factor; the square
 * average is `state.v` (see the file comment). Returns the gradient norm before clipping.
 */
export function rmspropStep(
  params: Float32Array,
  grad: ArrayLike<number>,
  state: AdamState,
  lr: number,
  alpha: number,
  eps: number,
  maxGradNorm: number | null,
): number {
  const norm = globalNorm(grad);
  const clip = clipCoefficient(norm, maxGradNorm);
  state.t += 1;
  const squareAvg = state.v;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i] * clip;
    squareAvg[i] = alpha * squareAvg[i] + (1 - alpha) * g * g;
    params[i] -= (lr * g) / (Math.sqrt(squareAvg[i]) + eps);
  }
  return norm;
}
