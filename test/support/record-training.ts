/**
 * A run's metric records (wall-clock ones dropped), seq-indexed points (core/metrics/ratio-stats.ts; `{}` for an
 * algorithm without them), evaluations, checkpoints and tensor counts after each update: what the training tests of
 * every algorithm compare.
 */
import * as tf from '@tensorflow/tfjs-core';
import { METRIC } from '../../src/core/metrics/keys';
import type { DistributionMetrics } from '../../src/core/metrics/ratio-stats';
import type { TrainConfig } from '../../src/core/training/config';
import { train, type Checkpoint } from '../../src/trainer/train';

/** Metrics without the wall-clock ones. */
export const stable = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('time/') || k === METRIC.totalTimesteps));

export async function record(config: TrainConfig, resume?: Checkpoint) {
  const updates: Record<string, number>[] = [];
  const distributions: DistributionMetrics[] = [];
  const evals: number[] = [];
  const checkpoints: Checkpoint[] = [];
  const tensors: number[] = [];
  const result = await train(config, {
    onUpdate: (_, m, d) => {
      updates.push(stable(m));
      distributions.push(d ?? {});
      tensors.push(tf.memory().numTensors);
    },
    onEval: (_, e) => evals.push(e.mean),
    onCheckpoint: (c) => checkpoints.push(c),
  }, { resume });
  return { updates, distributions, evals, checkpoints, tensors, result };
}
