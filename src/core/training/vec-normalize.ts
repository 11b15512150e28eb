/**
 * Observation and reward normalization with SB3 VecNormalize semantics (common/vec_env/vec_normalize.py):
 * - obs: update running mean/var with the batch (when training), then clip((obs − μ)/√(σ² + ε), ±clipObs);
 * - reward: G ← γ·G + r; update the return statistics with G; r / √(Var[G] + ε) clipped to ±clipReward
 *   (mean not subtracted); G ← 0 where the episode ended (terminated or truncated);
 * - ε = 1e-8; statistics in float64, count starting at 1e-4 (core's RunningMeanStd).
 * Evaluation uses the training statistics frozen and raw rewards.
 */
import { RunningMeanStd } from '../envs/wrappers/running-mean-std';

export interface VecNormalizeOptions {
  nEnvs: number;
  obsDim: number;
  normObs: boolean;
  normReward: boolean;
  clipObs: number;
  clipReward: number;
  gamma: number;
  epsilon?: number;
}

/** Serializable statistics (saved with the policy). */
export interface VecNormalizeState {
  obsRms: ReturnType<RunningMeanStd['toJSON']>;
  retRms: ReturnType<RunningMeanStd['toJSON']>;
  returns: number[];
  options: VecNormalizeOptions;
}

export class VecNormalize {
  obsRms: RunningMeanStd;
  retRms: RunningMeanStd;
  /** Discounted return accumulator per env. */
  readonly returns: Float64Array;
  private readonly epsilon: number;

  constructor(readonly options: VecNormalizeOptions) {
    this.obsRms = new RunningMeanStd(options.obsDim);
    this.retRms = new RunningMeanStd(1);
    this.returns = new Float64Array(options.nEnvs);
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /** Normalizes a batch [rows, obsDim] into a new array; updates the statistics first when `update`. */
  normalizeObsBatch(obs: Float32Array, update: boolean): Float32Array {
    if (!this.options.normObs) return Float32Array.from(obs);
    const d = this.options.obsDim;
    const rows = obs.length / d;
    if (update) this.obsRms.update(obs, rows);
    const out = new Float32Array(obs.length);
    const { clipObs } = this.options;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) {
        const z = (obs[r * d + j] - this.obsRms.mean[j]) / Math.sqrt(this.obsRms.var[j] + this.epsilon);
        out[r * d + j] = Math.min(clipObs, Math.max(-clipObs, z));
      }
    }
    return out;
  }

  /** Scales `rewards` in place (training env only) and resets the accumulator where an episode ended. */
  normalizeRewardBatch(rewards: Float64Array, terminated: ArrayLike<number>, truncated: ArrayLike<number>): void {
    if (!this.options.normReward) return;
    const n = rewards.length;
    for (let e = 0; e < n; e++) this.returns[e] = this.returns[e] * this.options.gamma + rewards[e];
    this.retRms.update(this.returns, n);
    const scale = Math.sqrt(this.retRms.var[0] + this.epsilon);
    const { clipReward } = this.options;
    for (let e = 0; e < n; e++) {
      rewards[e] = Math.min(clipReward, Math.max(-clipReward, rewards[e] / scale));
      if (terminated[e] || truncated[e]) this.returns[e] = 0;
    }
  }

  /**
   * A quantity in normalized-reward units (a reward, a return, a value V(s)) back in the env's reward units: × √(Var[G] + ε)
   * with the current return statistics (SB3 `VecNormalize.unnormalize_reward`); unchanged when rewards are not
   * normalized. Exact for rewards that were not clipped to ±clipReward; for a value it uses the final statistics,
   * not the ones each reward was scaled with during training.
   */
  unnormalizeReward(x: number): number {
    if (!this.options.normReward) return x;
    return x * Math.sqrt(this.retRms.var[0] + this.epsilon);
  }

  toJSON(): VecNormalizeState {
    return { obsRms: this.obsRms.toJSON(), retRms: this.retRms.toJSON(), returns: Array.from(this.returns), options: this.options };
  }

  static fromJSON(state: VecNormalizeState): VecNormalize {
    const v = new VecNormalize(state.options);
    v.obsRms = RunningMeanStd.fromJSON(state.obsRms);
    v.retRms = RunningMeanStd.fromJSON(state.retRms);
    v.returns.set(state.returns);
    return v;
  }
}
