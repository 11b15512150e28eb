/**
 * What one algorithm contributes to the shared training loop (train.ts): how it collects a batch and how it learns
 * from it. SB3 splits the same way — `OnPolicyAlgorithm.collect_rollouts` / `learn` around each algorithm's `train`.
 */
import type { DistributionMetrics } from '../core/metrics/ratio-stats';
import type { RolloutContext } from './ppo/rollout';

/** Wall-clock figures of an iteration, measured by the loop. */
export interface IterationTiming {
  fps: number;
  rolloutSeconds: number;
  updateSeconds: number;
}

export interface Learner {
  /** Rows of one gradient computation of this run (the tfjs backend is proven and timed on that many). */
  readonly gradientRows: number;
  /** Collects the next batch into the state's rollout buffer with the current policy; returns the env steps taken. */
  collect(rollout: RolloutContext): number;
  /**
   * Learns from the collected batch (changing the state's parameters and optimizer); its metrics once timed, and the
   * algorithms with a ratio π/π_old its seq-indexed points (core/metrics/ratio-stats.ts), computed within the update.
   */
  update(): { metrics(timing: IterationTiming): Record<string, number>; distributions?: DistributionMetrics };
}
