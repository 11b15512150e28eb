/**
 * Gymnasium's `NormalizeReward` (wrappers/stateful_reward.py): keeps a discounted return accumulator
 * G = G * gamma * (1 - terminated) + reward (not reset on truncation nor on reset), updates a float64 running
 * variance of G, and returns reward / sqrt(var + epsilon) (the mean is not subtracted). No clipping.
 */
import type { Action, Env, StepResult } from '../env';
import { Wrapper } from '../time-limit';
import { RunningMeanStd, type RunningMeanStdJSON } from './running-mean-std';

export interface NormalizeRewardStats {
  returnRms: RunningMeanStdJSON;
  discountedReward: number;
}

export class NormalizeReward extends Wrapper {
  returnRms = new RunningMeanStd(1);
  /** The discounted return accumulator G. */
  discountedReward = 0.0;
  /** While true, every step updates the statistics; set false to freeze them. */
  updateRunningMean = true;

  constructor(
    env: Env,
    readonly gamma = 0.99,
    readonly epsilon = 1e-8,
  ) {
    super(env);
  }

  override step(action: Action): StepResult {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    // Using the discounted reward rather than the reward "makes no sense but for backward compatibility" (Gymnasium).
    this.discountedReward = this.discountedReward * this.gamma * (1 - (terminated ? 1 : 0)) + reward;
    if (this.updateRunningMean) this.returnRms.update([this.discountedReward], 1);
    // Not (reward - mean): see openai/baselines#538.
    const normalizedReward = reward / Math.sqrt(this.returnRms.var[0] + this.epsilon);
    return [obs, normalizedReward, terminated, truncated, info];
  }

  exportStats(): NormalizeRewardStats {
    return { returnRms: this.returnRms.toJSON(), discountedReward: this.discountedReward };
  }

  importStats(stats: NormalizeRewardStats): void {
    const rms = RunningMeanStd.fromJSON(stats.returnRms);
    if (rms.dim !== 1) throw new RangeError(`Reward statistics must have dim 1, got ${rms.dim}`);
    this.returnRms = rms;
    this.discountedReward = stats.discountedReward;
  }
}
