/**
 * TRPO's policy step (Schulman et al. 2015), as sb3-contrib's `TRPO.train` takes it (sb3_contrib/trpo/trpo.py), on
 * one batch: the surrogate L(θ) = mean(A·r), r = exp(log π_θ − log π_old), and its gradient g over the actor
 * parameters; the search direction x ≈ F⁻¹g by conjugate gradient (F: the Hessian of the mean KL at θ_old, plus
 * damping); the largest step along x that the quadratic model of the KL allows, √(2·targetKl / xᵀFx); then a
 * backtracking line search that keeps the first θ_old + c·step with mean KL(π_θ‖π_old) < targetKl and L(θ) > L(θ_old),
 * and puts θ_old back when none of `lineSearchMaxIter` candidates passes.
 */
import { normalizeAdvantages } from '../../core/math/returns';
import type { TrpoConfig } from '../../core/training/config';
import type { Layout } from '../nn/actor-critic';
import { networkForward, POLICY_PATH } from '../nn/backprop';
import type { Prng } from '../nn/prng';
import type { OldDistribution, PolicyDistribution } from '../ppo/distributions';
import { permutation } from '../ppo/minibatch';
import type { RolloutBuffer } from '../ppo/rollout';
import { actorParams, type ActorParams } from './actor-params';
import { conjugateGradient } from './conjugate-gradient';
import { fisherVectorProduct } from './fisher';

export type PolicyStepOptions = Pick<TrpoConfig, 'targetKl' | 'cgMaxSteps' | 'cgDamping' | 'lineSearchShrinkingFactor' | 'lineSearchMaxIter'>;

/** The rows of the policy step. */
export interface PolicyBatch {
  readonly size: number;
  observations: Float32Array;
  actions: Float32Array;
  logProbOld: Float32Array;
  advantages: Float32Array;
}

/** What the policy step did: sb3-contrib's logged values and the line search's and CG's own figures (METRIC_MEANINGS). */
export interface PolicyStepStats {
  /** L at the accepted θ, or at θ_old when none was accepted (sb3 `policy_objective_values`). */
  objective: number;
  /** Mean KL(π_new‖π_old) at the accepted θ, 0 when none was (sb3 `kl_divergences`). */
  kl: number;
  success: boolean;
  /** Candidates the line search evaluated. */
  lineSearchSteps: number;
  /** c of the accepted candidate (shrink^(steps − 1)), 0 when none was accepted. */
  stepFraction: number;
  /** L(θ) − L(θ_old) of the accepted θ, 0 when none was. */
  surrogateImprovement: number;
  /** ‖g − (F + damping·I)·x‖ / ‖g‖ of the search direction. */
  cgResidual: number;
  /** Mean entropy of π_old on the batch. */
  entropy: number;
  /**
   * Each row's ratio π/π_old at the θ the step ends at (the accepted candidate, or θ_old when none was), for the
   * Learn view's statistics; a workspace array, valid until the next policy step of this layout and batch size.
   */
  ratios: Float64Array;
}

/** Rows the policy step uses of a rollout of `size` transitions: every k-th, ⌈size / k⌉ (sb3 `[::sub_sampling_factor]`). */
export const policyRows = (size: number, subSamplingFactor: number): number => Math.ceil(size / subSamplingFactor);

export function policyBatch(size: number, obsDim: number, actionDim: number): PolicyBatch {
  return {
    size,
    observations: new Float32Array(size * obsDim),
    actions: new Float32Array(size * actionDim),
    logProbOld: new Float32Array(size),
    advantages: new Float32Array(size),
  };
}

/**
 * Fills `batch` from the rollout (advantages computed): all of it, or with subSamplingFactor k > 1 every k-th row of a
 * shuffle of it — sb3-contrib slices `[::k]` the one batch `RolloutBuffer.get(batch_size=None)` yields, which is a
 * random permutation of the buffer, so the rows are a uniform random subset of ⌈size / k⌉ (with k = 1 the order does
 * not matter to the step's means, and the buffer's own order is kept). The advantages are then normalized over the
 * batch when `normalizeAdvantage` is 'per-batch': (A − mean) / (std + 1e-8), torch's unbiased std (trpo.py).
 */
export function gatherPolicyBatch(
  buffer: RolloutBuffer,
  subSamplingFactor: number,
  normalizeAdvantage: TrpoConfig['normalizeAdvantage'],
  prng: Prng,
  batch: PolicyBatch,
): void {
  const size = buffer.size;
  if (policyRows(size, subSamplingFactor) !== batch.size) throw new Error(`policy batch: ${batch.size} rows for a rollout of ${size} and factor ${subSamplingFactor}`);
  const order = subSamplingFactor > 1 ? permutation(size, prng) : null;
  const d = buffer.obsDim;
  const a = buffer.actionDim;
  for (let k = 0; k < batch.size; k++) {
    const i = order ? order[k * subSamplingFactor] : k;
    batch.observations.set(buffer.observations.subarray(i * d, (i + 1) * d), k * d);
    batch.actions.set(buffer.actions.subarray(i * a, (i + 1) * a), k * a);
    batch.logProbOld[k] = buffer.logProbs[i];
    batch.advantages[k] = buffer.advantages[i];
  }
  if (normalizeAdvantage === 'per-batch') normalizeAdvantages(batch.advantages, batch.advantages);
}

/**
 * L(θ) and mean KL(π_θ‖π_old) on the batch at `params`, by a tfjs forward of the policy path only (on a whole
 * rollout, ~1 ms for 1024 rows of CartPole's 64-64 net, against ~10 ms for the pure-JS forward of both heads).
 */
function evaluateCandidate(
  layout: Layout,
  distribution: PolicyDistribution,
  params: Float32Array,
  batch: PolicyBatch,
  old: OldDistribution,
  w: Workspace,
): { objective: number; kl: number } {
  const pass = networkForward(layout, params, batch.observations, batch.size, POLICY_PATH);
  try {
    const input = { head: pass.head, latentPi: pass.latentPi, batch: batch.size };
    distribution.evaluate(params, input, batch.actions, w.logProb, w.entropy);
    return { objective: surrogateObjective(w.logProb, batch), kl: old.meanKl(params, input) };
  } finally {
    pass.dispose();
  }
}

/** The surrogate mean(A·r), r = exp(log π − log π_old). */
export function surrogateObjective(logProb: ArrayLike<number>, batch: PolicyBatch): number {
  let sum = 0;
  for (let b = 0; b < batch.size; b++) sum += batch.advantages[b] * Math.exp(logProb[b] - batch.logProbOld[b]);
  return sum / batch.size;
}

export interface LineSearchResult {
  success: boolean;
  /** Candidates evaluated. */
  steps: number;
  /** Backtracking coefficient of the accepted candidate (0 when none was). */
  coefficient: number;
  /** L and mean KL of the accepted candidate (NaN when none was). */
  objective: number;
  kl: number;
}

/**
 * sb3-contrib's backtracking line search: candidates c = 1, shrink, shrink², … (at most `maxIter`), each evaluated by
 * `evaluate(c)` (which sets θ = θ_old + c·step); the first with KL < targetKl and L > L(θ_old) is accepted. The
 * caller restores θ_old when none is.
 */
export function backtrackingLineSearch(
  evaluate: (coefficient: number) => { objective: number; kl: number },
  objectiveOld: number,
  options: Pick<PolicyStepOptions, 'targetKl' | 'lineSearchShrinkingFactor' | 'lineSearchMaxIter'>,
): LineSearchResult {
  let coefficient = 1;
  for (let step = 1; step <= options.lineSearchMaxIter; step++) {
    const { objective, kl } = evaluate(coefficient);
    // Improve the surrogate while staying close enough (in KL) to the old policy; NaN fails both tests.
    if (kl < options.targetKl && objective > objectiveOld) return { success: true, steps: step, coefficient, objective, kl };
    coefficient *= options.lineSearchShrinkingFactor;
  }
  return { success: false, steps: options.lineSearchMaxIter, coefficient: 0, objective: NaN, kl: NaN };
}

/** Reusable arrays of the policy step for one layout and batch size. */
interface Workspace {
  actor: ActorParams;
  logProb: Float64Array;
  entropy: Float64Array;
  dLogProb: Float64Array;
  dEntropy: Float64Array;
  dHead: Float32Array;
  grad: Float32Array;
  ratios: Float64Array;
}

const workspaces = new WeakMap<Layout, Map<number, Workspace>>();

function workspace(layout: Layout, rows: number): Workspace {
  let byRows = workspaces.get(layout);
  if (!byRows) workspaces.set(layout, (byRows = new Map()));
  let w = byRows.get(rows);
  if (!w) {
    w = {
      actor: actorParams(layout),
      logProb: new Float64Array(rows),
      entropy: new Float64Array(rows),
      dLogProb: new Float64Array(rows),
      dEntropy: new Float64Array(rows),
      dHead: new Float32Array(rows * layout.headDim),
      grad: new Float32Array(layout.size),
      ratios: new Float64Array(rows),
    };
    byRows.set(rows, w);
  }
  return w;
}

/**
 * One TRPO policy step on `batch` (see the file comment), changing the actor entries of `params` in place (or leaving
 * them as they were when the line search fails). x₀ of conjugate gradient is drawn from `prng`.
 */
export function policyStep(
  layout: Layout,
  distribution: PolicyDistribution,
  params: Float32Array,
  batch: PolicyBatch,
  options: PolicyStepOptions,
  prng: Prng,
): PolicyStepStats {
  const rows = batch.size;
  const w = workspace(layout, rows);
  const { actor } = w;

  // ---- Old policy, surrogate at θ_old and its gradient g over the actor parameters ----
  const pass = networkForward(layout, params, batch.observations, rows, POLICY_PATH);
  let old: OldDistribution;
  let objectiveOld: number;
  let entropy = 0;
  const g = new Float64Array(actor.size);
  let direction: Float64Array;
  let fDirection: Float64Array;
  try {
    const input = { head: pass.head, latentPi: pass.latentPi, batch: rows };
    distribution.evaluate(params, input, batch.actions, w.logProb, w.entropy);
    old = distribution.freeze(params, input);
    objectiveOld = surrogateObjective(w.logProb, batch);
    for (let b = 0; b < rows; b++) {
      // ∂ mean(A·r) / ∂ log π_b = A_b·r_b / B.
      const ratio = Math.exp(w.logProb[b] - batch.logProbOld[b]);
      w.ratios[b] = ratio;
      w.dLogProb[b] = (batch.advantages[b] * ratio) / rows;
      entropy += w.entropy[b];
    }
    entropy /= rows;
    const linearization = pass.policyLinearization();
    w.grad.fill(0);
    distribution.backward(params, input, batch.actions, w.dLogProb, w.dEntropy, w.dHead, w.grad);
    linearization.vjp(w.dHead, w.grad);
    actor.gather(w.grad, g);

    // ---- Search direction x ≈ (F + damping·I)⁻¹·g by conjugate gradient from x₀ = 1e-4·N(0, 1) ----
    const fvp = fisherVectorProduct(layout, actor, linearization, old, options.cgDamping);
    const x0 = new Float64Array(actor.size);
    for (let i = 0; i < x0.length; i++) x0[i] = 1e-4 * prng.normal();
    // (F + damping·I)·x comes with it, accumulated from the products CG computed (sb3-contrib recomputes it).
    ({ x: direction, ax: fDirection } = conjugateGradient(fvp, g, x0, options.cgMaxSteps));
  } finally {
    pass.dispose();
  }

  // ---- Largest step of the KL's quadratic model, ½·s²·xᵀ(F + damping·I)x = targetKl (sb3-contrib) ----
  let xFx = 0;
  let residual = 0;
  let gNorm = 0;
  for (let i = 0; i < actor.size; i++) {
    xFx += direction[i] * fDirection[i];
    residual += (g[i] - fDirection[i]) ** 2;
    gNorm += g[i] * g[i];
  }
  const maxStepSize = Math.sqrt((2 * options.targetKl) / xFx);

  // ---- Backtracking line search in the trust region; θ_old back if no candidate passes ----
  const thetaOld = actor.gather(params, new Float64Array(actor.size));
  const candidate = new Float64Array(actor.size);
  const search = backtrackingLineSearch((coefficient) => {
    for (let i = 0; i < actor.size; i++) candidate[i] = thetaOld[i] + coefficient * maxStepSize * direction[i];
    actor.scatter(candidate, params);
    return evaluateCandidate(layout, distribution, params, batch, old, w);
  }, objectiveOld, options);
  if (search.success) {
    // The ratios at the accepted θ: it was the last candidate evaluated, its log-probabilities are in the workspace.
    for (let b = 0; b < rows; b++) w.ratios[b] = Math.exp(w.logProb[b] - batch.logProbOld[b]);
  } else {
    actor.scatter(thetaOld, params);
  }

  return {
    objective: search.success ? search.objective : objectiveOld,
    kl: search.success ? search.kl : 0,
    success: search.success,
    lineSearchSteps: search.steps,
    stepFraction: search.coefficient,
    surrogateImprovement: search.success ? search.objective - objectiveOld : 0,
    cgResidual: gNorm > 0 ? Math.sqrt(residual / gNorm) : 0,
    entropy,
    ratios: w.ratios,
  };
}
