/**
 * The workload a run's tfjs backend is proven and timed on (tf-backend.ts): one minibatch gradient of this run's
 * own model, on fixed inputs chosen so that every part of the network carries gradient — the policy path through
 * non-zero advantages and ratios near 1, the value path through non-zero returns, the entropy bonus.
 */
import type { Layout } from '../nn/actor-critic';
import type { ProbeWorkload } from '../tf-backend';
import type { PolicyDistribution } from './distributions';
import type { LossCoefficients } from './losses';
import { minibatchArrays, minibatchGradient, type MinibatchArrays } from './minibatch';

/**
 * Rows in the probe's minibatch: the rows of the run's own gradient computations (PPO's minibatch, A2C's rollout,
 * TRPO's whole-rollout policy step), at most 1024 — large enough that a backend whose matmuls win on big batches
 * (tfjs-node on TRPO's Fisher products) is seen winning, small enough that checks and calibration stay under a second.
 */
export const probeRows = (rows: number): number => Math.min(rows, 1024);

/** The probe's fixed minibatch of `rows` rows for `layout`, and the loss coefficients it is differentiated with. */
export function probeMinibatch(layout: Layout, distribution: PolicyDistribution, rows: number): { mb: MinibatchArrays; coefs: LossCoefficients } {
  const spec = layout.spec;
  const mb = minibatchArrays(rows, spec.obsDim, distribution.actionDim);
  for (let i = 0; i < mb.observations.length; i++) mb.observations[i] = Math.sin(i);
  for (let i = 0; i < mb.actions.length; i++) {
    mb.actions[i] = spec.action.kind === 'discrete' ? i % spec.action.n : 0.5 * Math.sin(0.7 * i);
  }
  for (let b = 0; b < rows; b++) {
    mb.advantages[b] = Math.cos(1.3 * b);
    mb.returns[b] = Math.sin(0.9 * b);
    mb.valuesOld[b] = 0;
    // log π_old near what the initial policy gives, so ratios lie on both sides of the clip range.
    mb.logProbOld[b] = (spec.action.kind === 'discrete' ? -Math.log(spec.action.n) : -1) + 0.3 * Math.sin(2.1 * b);
  }
  const coefs: LossCoefficients = { objective: 'clip', clipRange: 0.2, clipRangeVf: null, entCoef: 0.01, vfCoef: 0.5, beta: 0 };
  return { mb, coefs };
}

export function backendProbe(layout: Layout, distribution: PolicyDistribution, params: Float32Array, rows: number): ProbeWorkload {
  const { mb, coefs } = probeMinibatch(layout, distribution, rows);
  const grad = new Float32Array(layout.size);
  return () => {
    minibatchGradient(layout, distribution, params, mb, rows, coefs, grad);
    return grad;
  };
}
