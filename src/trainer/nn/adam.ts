/**
 * Adam over the flat parameter buffer, with global gradient-norm clipping, as one fused loop (torch.optim.Adam and
 * torch.nn.utils.clip_grad_norm_ semantics). Its state is three numbers per parameter plus the step count, so it
 * checkpoints as plain arrays.
 */
export interface AdamState {
  /** First-moment estimates. */
  m: Float32Array;
  /** Second-moment estimates. */
  v: Float32Array;
  /** Steps taken. */
  t: number;
}

/** torch.optim.Adam's default β1 and β2, which SB3 and CleanRL keep. ε is the run's `adamEps` (PpoConfig). */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;

export function createAdamState(size: number): AdamState {
  return { m: new Float32Array(size), v: new Float32Array(size), t: 0 };
}

/** Global L2 norm of `grad`. */
export function globalNorm(grad: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < grad.length; i++) s += grad[i] * grad[i];
  return Math.sqrt(s);
}

/**
 * The factor clip_grad_norm_ scales every gradient by: min(1, maxGradNorm / (‖g‖ + 1e-6)) (torch's 1e-6); 1 when
 * `maxGradNorm` is null (no clipping).
 */
export function clipCoefficient(norm: number, maxGradNorm: number | null): number {
  return maxGradNorm === null ? 1 : Math.min(1, maxGradNorm / (norm + 1e-6));
}

/**
 * One optimizer step in place on `params`. Gradients are first scaled by min(1, maxGradNorm / (‖g‖ + 1e-6))
 * (clip_grad_norm_), then Adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε). Returns the gradient norm before clipping.
 * `eps` is ε: 1e-5 in SB3/CleanRL PPO (the 37 details #3), not torch's 1e-8.
 */
export function adamStep(
  params: Float32Array,
  grad: ArrayLike<number>,
  state: AdamState,
  lr: number,
  maxGradNorm: number | null,
  eps: number,
): number {
  const norm = globalNorm(grad);
  const clip = clipCoefficient(norm, maxGradNorm);
  state.t += 1;
  const bias1 = 1 - ADAM_BETA1 ** state.t;
  const bias2Sqrt = Math.sqrt(1 - ADAM_BETA2 ** state.t);
  const stepSize = lr / bias1;
  const { m, v } = state;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i] * clip;
    m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * g;
    v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * g * g;
    params[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bias2Sqrt + eps);
  }
  return norm;
}

/** A run of the flat buffer: `size` entries from `offset`. */
export interface ParamRange {
  offset: number;
  size: number;
}

/**
 * One Adam step (no clipping) on the entries in `ranges` only, the others left exactly as they are, moments included:
 * torch.optim.Adam skips a parameter whose gradient is None. The step count advances once, as every stepped
 * parameter's own count does in torch.
 */
export function adamStepRanges(params: Float32Array, grad: Float32Array, state: AdamState, lr: number, eps: number, ranges: readonly ParamRange[]): void {
  for (const { offset, size } of ranges) {
    const part = (x: Float32Array): Float32Array => x.subarray(offset, offset + size);
    adamStep(part(params), part(grad), { m: part(state.m), v: part(state.v), t: state.t }, lr, null, eps);
  }
  state.t += 1;
}
