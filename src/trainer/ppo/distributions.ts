/**
 * Action distributions behind one interface, chosen from the action space (SB3 `make_proba_distribution`):
 * categorical (Discrete), diagonal Gaussian with a state-independent log-std (Box), and gSDE (Box + useSde).
 *
 * All in plain JS on the network's outputs: `sample` for the rollout; `evaluate` (log-prob of stored actions and
 * entropy) and `backward` (their gradients w.r.t. the network outputs and the log-std parameters) for the loss.
 * `backward` is hand-derived for speed; test/trainer/autodiff.test.ts checks each against tfjs automatic
 * differentiation of the same log-prob and entropy. The network itself runs forward and backward in tfjs
 * (nn/backprop.ts).
 *
 * For TRPO, `freeze` keeps a batch's distributions as the old policy: its KL to a new policy (sb3
 * `kl_divergence(new, old)`) and its Fisher metric, the Hessian of that KL at the old policy in the distribution's
 * own parameters (logits; mean and log σ), which the network's linearization (nn/linearization.ts) pulls back to
 * the parameters. For PPO's KL penalty, `oldStats` records the old policy's distributions row by row and
 * `klFromOld` gives the exact KL[π_old‖π] of the whole action distribution (the paper's, in that direction) with its
 * gradient `klFromOldBackward`.
 */
import type { ForwardJs, Layout } from '../nn/actor-critic';
import type { Prng } from '../nn/prng';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** SB3 StateDependentNoiseDistribution epsilon added to the variance. */
const SDE_EPS = 1e-6;

/** What the rollout needs per step from a distribution. */
export interface SampleOut {
  /** [N, actionDim] actions to store (unclipped for Box). */
  actions: Float32Array;
  /** [N] log-probabilities of `actions`. */
  logProbs: Float32Array;
}

/** Network outputs for a batch of B rows, as the distribution sees them. */
export interface DistributionInput {
  /** [B, headDim] logits or means. */
  head: Float32Array;
  /** [B, latentPi] policy features (gSDE only; detached). */
  latentPi: Float32Array;
  batch: number;
}

/**
 * A batch's distributions frozen at the parameters they were computed with: sb3-contrib TRPO's `old_distribution`
 * (trpo.py `copy.copy(self.policy.get_distribution(obs))` under no_grad).
 */
export interface OldDistribution {
  readonly batch: number;
  /**
   * sb3-contrib's `kl_divergence(distribution, old_distribution).mean()`: KL(π_new‖π_old) of the new distributions
   * (`params`, `input`, on the same observations) averaged over the elements of torch's KL tensor, i.e. over rows for
   * a categorical and over rows × action dims for a Gaussian (torch's Normal KL is elementwise).
   */
  meanKl(params: Float32Array, input: DistributionInput): number;
  /**
   * The Fisher metric M = ∇²_η meanKl at η_old (η: the distribution's parameters) applied to a tangent: given the
   * head's tangent [B, headDim] and the parameter tangent (read at the log-std slot), writes the head part of M·η̇ to
   * `dHead` [B, headDim] and ADDS the log-std slot's part of Jᵀ·M·J·v to `grad` (M has no head/log-std cross terms).
   * Categorical softmax(z/T): (diag p − ppᵀ)/T²; Gaussian in (μ, log σ): 1/σ² and 2; gSDE: the same in
   * (μ, log σ(s)), pulled back through σ(s)'s dependence on the log-std matrix (features detached, as in SB3).
   * Each divided by meanKl's element count.
   */
  fisherProduct(headTangent: Float32Array, tangent: ArrayLike<number>, dHead: Float32Array, grad: Float32Array): void;
}

export interface PolicyDistribution {
  kind: 'categorical' | 'gaussian' | 'gsde';
  /** Numbers stored per action: 1 for Discrete (the index), the Box dimension otherwise. */
  actionDim: number;
  /** Resample gSDE exploration matrices for `nEnvs` envs (no-op for others). */
  resetNoise(params: Float32Array, prng: Prng, nEnvs: number): void;
  /** Samples (or takes the mode of) the distribution for N forward outputs. */
  sample(params: Float32Array, fwd: ForwardJs, n: number, deterministic: boolean, prng: Prng, out: SampleOut): void;
  /** Per-row description for replay: probabilities (categorical) or mean and std (Gaussian). */
  describe(params: Float32Array, fwd: ForwardJs, row: number): { probs?: number[]; mean?: number[]; std?: number[] };
  /** log π(a|s) [B] and entropy [B] of stored `actions` [B, actionDim]. */
  evaluate(params: Float32Array, input: DistributionInput, actions: Float32Array, logProb: Float64Array, entropy: Float64Array): void;
  /**
   * Chain rule through `evaluate` (same arguments): given ∂L/∂logProb [B] and ∂L/∂entropy [B], writes ∂L/∂head
   * into `dHead` [B, headDim] and adds ∂L/∂logStd into `grad` at the log-std slot.
   */
  backward(
    params: Float32Array,
    input: DistributionInput,
    actions: Float32Array,
    dLogProb: Float64Array,
    dEntropy: Float64Array,
    dHead: Float32Array,
    grad: Float32Array,
  ): void;
  /** The distributions of `input` at `params`, frozen (inputs copied) as the old policy of a TRPO step. */
  freeze(params: Float32Array, input: DistributionInput): OldDistribution;
  /**
   * Numbers per row that pin down a row's whole distribution for `klFromOld`: the n log-probabilities of a
   * categorical; the mean and the variance of each action dimension of a Gaussian or gSDE (2·dim).
   */
  readonly oldStatsDim: number;
  /** Writes the distributions of `input` at `params` into `out` [B, oldStatsDim]: the old policy of a PPO update. */
  oldStats(params: Float32Array, input: DistributionInput, out: Float64Array): void;
  /**
   * The exact KL[π_old(·|s) ‖ π(·|s)] of each row (PPO paper §4), into `kl` [B]: `old` [B, oldStatsDim] from
   * `oldStats` against the distributions of `input` at `params`. Categorical: Σ_k p_k (log p_k − log q_k);
   * Gaussian and gSDE: the closed form ½(v_old/v + (μ_old − μ)²/v − 1 − log(v_old/v)) summed over action dims.
   */
  klFromOld(params: Float32Array, input: DistributionInput, old: Float64Array, kl: Float64Array): void;
  /**
   * Chain rule through `klFromOld` (same arguments): given ∂L/∂KL [B], ADDS ∂L/∂head into `dHead` [B, headDim] and
   * ∂L/∂logStd into `grad` at the log-std slot (gSDE's features detached, as in `backward`).
   */
  klFromOldBackward(params: Float32Array, input: DistributionInput, old: Float64Array, dKl: Float64Array, dHead: Float32Array, grad: Float32Array): void;
}

/** torch `_kl_normal_normal` for one element, in variances: ½(v_p/v_q + (μ_p − μ_q)²/v_q − 1 − log(v_p/v_q)). */
function klNormal(meanP: number, varP: number, meanQ: number, varQ: number): number {
  const varRatio = varP / varQ;
  const d = meanP - meanQ;
  return 0.5 * (varRatio + (d * d) / varQ - 1 - Math.log(varRatio));
}

/** Categorical over softmax(logits / temperature). */
export function categorical(layout: Layout, temperature: number): PolicyDistribution {
  const n = layout.headDim;
  const logp = new Float64Array(n);
  /** log-softmax of row `row` of `head` / T into `logp`; returns the entropy. */
  const logSoftmaxRow = (head: Float32Array, row: number): number => {
    let max = -Infinity;
    for (let k = 0; k < n; k++) max = Math.max(max, head[row * n + k] / temperature);
    let sum = 0;
    for (let k = 0; k < n; k++) sum += Math.exp(head[row * n + k] / temperature - max);
    const logSum = Math.log(sum) + max;
    let h = 0;
    for (let k = 0; k < n; k++) {
      logp[k] = head[row * n + k] / temperature - logSum;
      h -= Math.exp(logp[k]) * logp[k];
    }
    return h;
  };
  return {
    kind: 'categorical',
    actionDim: 1,
    resetNoise() {},
    sample(_params, fwd, rows, deterministic, prng, out) {
      for (let r = 0; r < rows; r++) {
        logSoftmaxRow(fwd.head, r);
        let a = 0;
        if (deterministic) {
          for (let k = 1; k < n; k++) if (logp[k] > logp[a]) a = k;
        } else {
          // Inverse-CDF sampling with one uniform draw.
          const u = prng.random();
          let c = Math.exp(logp[0]);
          while (a < n - 1 && u >= c) c += Math.exp(logp[++a]);
        }
        out.actions[r] = a;
        out.logProbs[r] = logp[a];
      }
    },
    describe(_params, fwd, row) {
      logSoftmaxRow(fwd.head, row);
      return { probs: Array.from(logp, Math.exp) };
    },
    evaluate(_params, input, actions, logProb, entropy) {
      for (let b = 0; b < input.batch; b++) {
        entropy[b] = logSoftmaxRow(input.head, b);
        logProb[b] = logp[actions[b]];
      }
    },
    backward(_params, input, actions, dLogProb, dEntropy, dHead) {
      // ∂log p_a/∂z_k = 1[k=a] − p_k;  ∂H/∂z_k = −p_k (log p_k + H);  z = logits / T.
      for (let b = 0; b < input.batch; b++) {
        const h = logSoftmaxRow(input.head, b);
        for (let k = 0; k < n; k++) {
          const p = Math.exp(logp[k]);
          const dz = dLogProb[b] * ((k === actions[b] ? 1 : 0) - p) - dEntropy[b] * p * (logp[k] + h);
          dHead[b * n + k] = dz / temperature;
        }
      }
    },
    oldStatsDim: n,
    oldStats(_params, input, out) {
      for (let b = 0; b < input.batch; b++) {
        logSoftmaxRow(input.head, b);
        out.set(logp, b * n);
      }
    },
    klFromOld(_params, input, old, kl) {
      // Σ_k p_k (log p_k − log q_k), p old, q new: the sum over every action, not a sample.
      for (let b = 0; b < input.batch; b++) {
        logSoftmaxRow(input.head, b);
        let sum = 0;
        for (let k = 0; k < n; k++) sum += Math.exp(old[b * n + k]) * (old[b * n + k] - logp[k]);
        kl[b] = sum;
      }
    },
    klFromOldBackward(_params, input, old, dKl, dHead) {
      // ∂KL/∂z_k = q_k − p_k with z = logits / T (Σ p = 1).
      for (let b = 0; b < input.batch; b++) {
        logSoftmaxRow(input.head, b);
        for (let k = 0; k < n; k++) dHead[b * n + k] += (dKl[b] * (Math.exp(logp[k]) - Math.exp(old[b * n + k]))) / temperature;
      }
    },
    freeze(_params, input) {
      const batch = input.batch;
      const logpOld = new Float64Array(batch * n);
      for (let b = 0; b < batch; b++) {
        logSoftmaxRow(input.head, b);
        logpOld.set(logp, b * n);
      }
      return {
        batch,
        meanKl(_p, next) {
          // torch _kl_categorical_categorical: Σ_k p_k (log p_k − log q_k), p new, q old.
          let kl = 0;
          for (let b = 0; b < batch; b++) {
            logSoftmaxRow(next.head, b);
            for (let k = 0; k < n; k++) kl += Math.exp(logp[k]) * (logp[k] - logpOld[b * n + k]);
          }
          return kl / batch;
        },
        fisherProduct(headTangent, _tangent, dHead) {
          // ∇²_z KL = diag p − ppᵀ with z = logits / T: ∂z = ∂head / T both ways.
          const scale = 1 / (temperature * temperature * batch);
          for (let b = 0; b < batch; b++) {
            let pDot = 0;
            for (let k = 0; k < n; k++) pDot += Math.exp(logpOld[b * n + k]) * headTangent[b * n + k];
            for (let k = 0; k < n; k++) {
              const p = Math.exp(logpOld[b * n + k]);
              dHead[b * n + k] = scale * p * (headTangent[b * n + k] - pDot);
            }
          }
        },
      };
    },
  };
}

/** Diagonal Gaussian N(mean(s), exp(logStd)²) with a state-independent log-std vector (SB3 DiagGaussianDistribution). */
export function diagGaussian(layout: Layout): PolicyDistribution {
  const dim = layout.headDim;
  const logStd = layout.logStd!;
  return {
    kind: 'gaussian',
    actionDim: dim,
    resetNoise() {},
    sample(params, fwd, rows, deterministic, prng, out) {
      for (let r = 0; r < rows; r++) {
        let lp = 0;
        for (let j = 0; j < dim; j++) {
          const ls = params[logStd.offset + j];
          const z = deterministic ? 0 : prng.normal();
          out.actions[r * dim + j] = fwd.head[r * dim + j] + Math.exp(ls) * z;
          lp += -0.5 * z * z - ls - HALF_LOG_2PI;
        }
        out.logProbs[r] = lp;
      }
    },
    describe(params, fwd, row) {
      const mean: number[] = [];
      const std: number[] = [];
      for (let j = 0; j < dim; j++) {
        mean.push(fwd.head[row * dim + j]);
        std.push(Math.exp(params[logStd.offset + j]));
      }
      return { mean, std };
    },
    evaluate(params, input, actions, logProb, entropy) {
      // log N(a; μ, σ) = Σ_j −½((a−μ)/σ)² − log σ − ½ log 2π;  H = Σ_j ½ + ½ log 2π + log σ.
      for (let b = 0; b < input.batch; b++) {
        let lp = 0;
        let h = 0;
        for (let j = 0; j < dim; j++) {
          const ls = params[logStd.offset + j];
          const u = (actions[b * dim + j] - input.head[b * dim + j]) / Math.exp(ls);
          lp += -0.5 * u * u - ls - HALF_LOG_2PI;
          h += 0.5 + HALF_LOG_2PI + ls;
        }
        logProb[b] = lp;
        entropy[b] = h;
      }
    },
    backward(params, input, actions, dLogProb, dEntropy, dHead, grad) {
      // ∂lp/∂μ = u/σ;  ∂lp/∂log σ = u² − 1;  ∂H/∂log σ = 1.
      for (let b = 0; b < input.batch; b++) {
        for (let j = 0; j < dim; j++) {
          const ls = params[logStd.offset + j];
          const sigma = Math.exp(ls);
          const u = (actions[b * dim + j] - input.head[b * dim + j]) / sigma;
          dHead[b * dim + j] = (dLogProb[b] * u) / sigma;
          grad[logStd.offset + j] += dLogProb[b] * (u * u - 1) + dEntropy[b];
        }
      }
    },
    oldStatsDim: 2 * dim,
    oldStats(params, input, out) {
      for (let b = 0; b < input.batch; b++) {
        for (let j = 0; j < dim; j++) {
          out[b * 2 * dim + j] = input.head[b * dim + j];
          out[b * 2 * dim + dim + j] = Math.exp(2 * params[logStd.offset + j]);
        }
      }
    },
    klFromOld(params, input, old, kl) {
      for (let b = 0; b < input.batch; b++) {
        let sum = 0;
        for (let j = 0; j < dim; j++) {
          sum += klNormal(old[b * 2 * dim + j], old[b * 2 * dim + dim + j], input.head[b * dim + j], Math.exp(2 * params[logStd.offset + j]));
        }
        kl[b] = sum;
      }
    },
    klFromOldBackward(params, input, old, dKl, dHead, grad) {
      // ∂KL/∂μ = (μ − μ_old)/v;  ∂KL/∂log σ = 1 − (v_old + (μ − μ_old)²)/v  (v = σ², σ shared by the rows).
      for (let b = 0; b < input.batch; b++) {
        for (let j = 0; j < dim; j++) {
          const v = Math.exp(2 * params[logStd.offset + j]);
          const d = input.head[b * dim + j] - old[b * 2 * dim + j];
          dHead[b * dim + j] += (dKl[b] * d) / v;
          grad[logStd.offset + j] += dKl[b] * (1 - (old[b * 2 * dim + dim + j] + d * d) / v);
        }
      }
    },
    freeze(params, input) {
      const batch = input.batch;
      const meanOld = Float32Array.from(input.head.subarray(0, batch * dim));
      const logStdOld = Float64Array.from(params.subarray(logStd.offset, logStd.offset + dim));
      const elements = batch * dim;
      return {
        batch,
        meanKl(next, nextInput) {
          let kl = 0;
          for (let j = 0; j < dim; j++) {
            const varP = Math.exp(2 * next[logStd.offset + j]);
            const varQ = Math.exp(2 * logStdOld[j]);
            for (let b = 0; b < batch; b++) kl += klNormal(nextInput.head[b * dim + j], varP, meanOld[b * dim + j], varQ);
          }
          return kl / elements;
        },
        fisherProduct(headTangent, tangent, dHead, grad) {
          // Fisher of N(μ, σ) in (μ, log σ): diag(1/σ², 2); log σ is shared by the rows, so its entry sums to 2·B.
          for (let j = 0; j < dim; j++) {
            const invVar = Math.exp(-2 * logStdOld[j]) / elements;
            for (let b = 0; b < batch; b++) dHead[b * dim + j] = invVar * headTangent[b * dim + j];
            grad[logStd.offset + j] += (2 * batch * tangent[logStd.offset + j]) / elements;
          }
        },
      };
    },
  };
}

/**
 * gSDE (Raffin et al. 2021; SB3 StateDependentNoiseDistribution with full_std, no expln, features detached):
 * exploration matrix E ~ N(0, σ²) of shape [latentPi, dim] with σ = exp(logStd), one per env, resampled by the
 * rollout; action = μ(s) + z(s)·E with z the policy latent; the distribution is N(μ, z²·σ² + ε) per action dim.
 */
export function gsde(layout: Layout): PolicyDistribution {
  const dim = layout.headDim;
  const latent = layout.latentPi;
  const logStd = layout.logStd!;
  let exploration = new Float32Array(0); // [nEnvs, latent, dim]
  const sigma2 = new Float64Array(latent * dim);
  /** σ² = exp(2·logStd) for every entry, computed once per call. */
  const loadSigma2 = (params: Float32Array): Float64Array => {
    for (let i = 0; i < latent * dim; i++) sigma2[i] = Math.exp(2 * params[logStd.offset + i]);
    return sigma2;
  };
  /** Var_j = Σ_l z_l² σ_lj² + ε for row `row` of `latentPi` (σ² from loadSigma2). */
  const variance = (latentPi: Float32Array, row: number, j: number): number => {
    let v = 0;
    for (let l = 0; l < latent; l++) v += latentPi[row * latent + l] ** 2 * sigma2[l * dim + j];
    return v + SDE_EPS;
  };
  return {
    kind: 'gsde',
    actionDim: dim,
    resetNoise(params, prng, nEnvs) {
      loadSigma2(params);
      exploration = new Float32Array(nEnvs * latent * dim);
      for (let e = 0; e < nEnvs; e++) {
        for (let l = 0; l < latent; l++) {
          for (let j = 0; j < dim; j++) exploration[(e * latent + l) * dim + j] = prng.normal() * Math.sqrt(sigma2[l * dim + j]);
        }
      }
    },
    sample(params, fwd, rows, deterministic, _prng, out) {
      if (!deterministic && exploration.length < rows * latent * dim) {
        throw new Error('gSDE: resetNoise must be called for this many envs before sampling');
      }
      loadSigma2(params);
      for (let r = 0; r < rows; r++) {
        let lp = 0;
        for (let j = 0; j < dim; j++) {
          let noise = 0;
          if (!deterministic) {
            for (let l = 0; l < latent; l++) noise += fwd.latentPi[r * latent + l] * exploration[(r * latent + l) * dim + j];
          }
          const v = variance(fwd.latentPi, r, j);
          out.actions[r * dim + j] = fwd.head[r * dim + j] + noise;
          lp += (-0.5 * noise * noise) / v - 0.5 * Math.log(v) - HALF_LOG_2PI;
        }
        out.logProbs[r] = lp;
      }
    },
    describe(params, fwd, row) {
      loadSigma2(params);
      const mean: number[] = [];
      const std: number[] = [];
      for (let j = 0; j < dim; j++) {
        mean.push(fwd.head[row * dim + j]);
        std.push(Math.sqrt(variance(fwd.latentPi, row, j)));
      }
      return { mean, std };
    },
    evaluate(params, input, actions, logProb, entropy) {
      loadSigma2(params);
      for (let b = 0; b < input.batch; b++) {
        let lp = 0;
        let h = 0;
        for (let j = 0; j < dim; j++) {
          const v = variance(input.latentPi, b, j);
          const d = actions[b * dim + j] - input.head[b * dim + j];
          lp += (-0.5 * d * d) / v - 0.5 * Math.log(v) - HALF_LOG_2PI;
          h += 0.5 + HALF_LOG_2PI + 0.5 * Math.log(v);
        }
        logProb[b] = lp;
        entropy[b] = h;
      }
    },
    backward(params, input, actions, dLogProb, dEntropy, dHead, grad) {
      // ∂lp/∂μ = d/v;  ∂lp/∂v = ½d²/v² − ½/v;  ∂H/∂v = ½/v;  ∂v_j/∂log σ_lj = 2 z_l² σ_lj² (z detached).
      loadSigma2(params);
      for (let b = 0; b < input.batch; b++) {
        for (let j = 0; j < dim; j++) {
          const v = variance(input.latentPi, b, j);
          const d = actions[b * dim + j] - input.head[b * dim + j];
          dHead[b * dim + j] = (dLogProb[b] * d) / v;
          const dv = dLogProb[b] * (0.5 * (d * d) / (v * v) - 0.5 / v) + dEntropy[b] * (0.5 / v);
          for (let l = 0; l < latent; l++) {
            grad[logStd.offset + l * dim + j] += dv * 2 * input.latentPi[b * latent + l] ** 2 * sigma2[l * dim + j];
          }
        }
      }
    },
    oldStatsDim: 2 * dim,
    oldStats(params, input, out) {
      loadSigma2(params);
      for (let b = 0; b < input.batch; b++) {
        for (let j = 0; j < dim; j++) {
          out[b * 2 * dim + j] = input.head[b * dim + j];
          out[b * 2 * dim + dim + j] = variance(input.latentPi, b, j);
        }
      }
    },
    klFromOld(params, input, old, kl) {
      // gSDE's distribution is the Gaussian N(μ(s), Σ_l z_l² σ_l² + ε) per action dim.
      loadSigma2(params);
      for (let b = 0; b < input.batch; b++) {
        let sum = 0;
        for (let j = 0; j < dim; j++) sum += klNormal(old[b * 2 * dim + j], old[b * 2 * dim + dim + j], input.head[b * dim + j], variance(input.latentPi, b, j));
        kl[b] = sum;
      }
    },
    klFromOldBackward(params, input, old, dKl, dHead, grad) {
      // ∂KL/∂μ = (μ − μ_old)/v;  ∂KL/∂v = ½(1/v − (v_old + (μ − μ_old)²)/v²);  ∂v_j/∂log σ_lj = 2 z_l² σ_lj² (z detached).
      loadSigma2(params);
      for (let b = 0; b < input.batch; b++) {
        for (let j = 0; j < dim; j++) {
          const v = variance(input.latentPi, b, j);
          const d = input.head[b * dim + j] - old[b * 2 * dim + j];
          dHead[b * dim + j] += (dKl[b] * d) / v;
          const dv = dKl[b] * 0.5 * (1 / v - (old[b * 2 * dim + dim + j] + d * d) / (v * v));
          for (let l = 0; l < latent; l++) {
            grad[logStd.offset + l * dim + j] += dv * 2 * input.latentPi[b * latent + l] ** 2 * sigma2[l * dim + j];
          }
        }
      }
    },
    freeze(params, input) {
      const batch = input.batch;
      const elements = batch * dim;
      const meanOld = Float32Array.from(input.head.subarray(0, batch * dim));
      const varOld = new Float64Array(batch * dim);
      // ∂ log σ_bj / ∂ logStd_lj = z_bl² σ_lj² / Var_bj: σ_bj = √Var_bj, Var_bj = Σ_l z_bl² σ_lj² + ε (z detached).
      const dLogSigma = new Float64Array(batch * latent * dim);
      loadSigma2(params);
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < dim; j++) {
          const v = variance(input.latentPi, b, j);
          varOld[b * dim + j] = v;
          for (let l = 0; l < latent; l++) dLogSigma[(b * latent + l) * dim + j] = (input.latentPi[b * latent + l] ** 2 * sigma2[l * dim + j]) / v;
        }
      }
      return {
        batch,
        meanKl(next, nextInput) {
          loadSigma2(next);
          let kl = 0;
          for (let b = 0; b < batch; b++) {
            for (let j = 0; j < dim; j++) {
              kl += klNormal(nextInput.head[b * dim + j], variance(nextInput.latentPi, b, j), meanOld[b * dim + j], varOld[b * dim + j]);
            }
          }
          return kl / elements;
        },
        fisherProduct(headTangent, tangent, dHead, grad) {
          // Fisher of N(μ, σ) in (μ, log σ): diag(1/σ², 2), log σ_bj pulled back through dLogSigma.
          for (let b = 0; b < batch; b++) {
            for (let j = 0; j < dim; j++) {
              const i = b * dim + j;
              dHead[i] = headTangent[i] / (varOld[i] * elements);
              let logSigmaDot = 0;
              for (let l = 0; l < latent; l++) logSigmaDot += dLogSigma[(b * latent + l) * dim + j] * tangent[logStd.offset + l * dim + j];
              const w = (2 * logSigmaDot) / elements;
              for (let l = 0; l < latent; l++) grad[logStd.offset + l * dim + j] += w * dLogSigma[(b * latent + l) * dim + j];
            }
          }
        },
      };
    },
  };
}

export function makeDistribution(layout: Layout, useSde: boolean, temperature: number): PolicyDistribution {
  if (layout.spec.action.kind === 'discrete') return categorical(layout, temperature);
  return useSde ? gsde(layout) : diagGaussian(layout);
}
