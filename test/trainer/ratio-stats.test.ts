/**
 * The Learn view's ratio statistics as the trainers write them (core/metrics/ratio-stats.ts): every update of a PPO
 * (clip, kl-adaptive), GRPO and TRPO run carries the 34-bin histogram of its last epoch's ratios and one point per
 * epoch of each learn/epoch_* key, agreeing with the update's own train/* figures.
 */
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../src/core/metrics/keys';
import { LEARN_METRIC, type DistributionMetrics } from '../../src/core/metrics/ratio-stats';
import type { GrpoConfig, PpoConfig, TrainConfig, TrpoConfig } from '../../src/core/training/config';
import { resolvePreset } from '../../src/core/training/presets';
import { record } from '../support/record-training';

const EPOCH_KEYS = Object.values(LEARN_METRIC).filter((k) => k !== LEARN_METRIC.ratioHist);
const QUANTILES = [LEARN_METRIC.epochRatioQ05, LEARN_METRIC.epochRatioQ25, LEARN_METRIC.epochRatioQ50, LEARN_METRIC.epochRatioQ75, LEARN_METRIC.epochRatioQ95];

const ppo = (overrides: Partial<PpoConfig>): TrainConfig =>
  resolvePreset('zoo', 'CartPole-v1', { totalTimesteps: 512, nEnvs: 2, nSteps: 64, batchSize: 32, nEpochs: 3, evalFreq: 0, finalEvalEpisodes: 1, backend: 'cpu', seed: 2, ...overrides });

/** Checks one update's points: the histogram sums to 1, `epochs` points per epoch key, ordered quantiles around 1. */
function expectUpdatePoints(d: DistributionMetrics, epochs: number): void {
  const hist = d[LEARN_METRIC.ratioHist]!;
  expect(hist).toHaveLength(34);
  expect(hist.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  for (const v of hist) expect(v).toBeGreaterThanOrEqual(0);
  for (const key of EPOCH_KEYS) expect(d[key], key).toHaveLength(epochs);
  for (let e = 0; e < epochs; e++) {
    const q = QUANTILES.map((key) => d[key]![e]!);
    for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]!);
    expect(q[0]).toBeLessThanOrEqual(1.0001);
    expect(q[4]).toBeGreaterThanOrEqual(0.9999);
    expect(d[LEARN_METRIC.epochApproxKl]![e]).toBeGreaterThanOrEqual(0);
    const clip = d[LEARN_METRIC.epochClipFraction]![e]!;
    expect(clip).toBeGreaterThanOrEqual(0);
    expect(clip).toBeLessThanOrEqual(1);
  }
}

describe('ratio statistics written by the trainers', () => {
  it('PPO clip: every update, nEpochs points per epoch key; the last epoch’s KL is train/approx_kl', async () => {
    const run = await record(ppo({ objective: 'clip' }));
    expect(run.distributions).toHaveLength(run.updates.length);
    run.distributions.forEach((d, i) => {
      expectUpdatePoints(d, 3);
      // Equal minibatches: the epoch's sample mean of k3 is the mean of its minibatch means.
      expect(d[LEARN_METRIC.epochApproxKl]![2]).toBeCloseTo(run.updates[i]![METRIC.approxKl]!, 6);
      // train/clip_fraction averages every minibatch of the update, so the epochs' mean is it.
      const epochClip = d[LEARN_METRIC.epochClipFraction]!;
      expect(epochClip.reduce((a, b) => a + b, 0) / 3).toBeCloseTo(run.updates[i]![METRIC.clipFraction]!, 6);
    });
    // The policy moves away from θ_old epoch by epoch.
    const spread = (d: DistributionMetrics, e: number) => d[LEARN_METRIC.epochRatioQ95]![e]! - d[LEARN_METRIC.epochRatioQ05]![e]!;
    expect(spread(run.distributions[0]!, 2)).toBeGreaterThan(spread(run.distributions[0]!, 0));
  });

  it('PPO with one minibatch per epoch: the first epoch is at θ_old, every ratio 1 but for float32 log-probs', async () => {
    const run = await record(ppo({ objective: 'clip', batchSize: 128, totalTimesteps: 256, clipRangeSchedule: 'constant' }));
    for (const d of run.distributions) {
      expect(d[LEARN_METRIC.epochRatioQ05]![0]).toBeGreaterThan(0.9999);
      expect(d[LEARN_METRIC.epochRatioQ95]![0]).toBeLessThan(1.0001);
      expect(d[LEARN_METRIC.epochClipFraction]![0]).toBe(0);
    }
  });

  it('PPO kl-adaptive and an early stop by target KL: one point per epoch begun', async () => {
    const adaptive = await record(ppo({ objective: 'kl-adaptive', klTarget: 0.01 }));
    adaptive.distributions.forEach((d) => expectUpdatePoints(d, 3));
    const stopped = await record(ppo({ objective: 'clip', targetKl: 1e-4, learningRate: 3e-3 }));
    const begun = stopped.updates.map((u) => Math.min(3, u[METRIC.epochsDone]! + 1));
    expect(begun.some((n) => n < 3)).toBe(true);
    stopped.distributions.forEach((d, i) => expectUpdatePoints(d, begun[i]!));
  });

  it('GRPO: nEpochs points per update, clip fraction against its clip range', async () => {
    const config = resolvePreset('tuned', 'CartPole-v1', {
      totalTimesteps: 1500, nEnvs: 2, groupSize: 3, groupsPerUpdate: 2, nEpochs: 2, nMinibatches: 2, evalFreq: 0, finalEvalEpisodes: 1, backend: 'cpu', seed: 3,
    }, 'grpo') as GrpoConfig;
    const run = await record(config);
    expect(run.distributions.length).toBeGreaterThan(0);
    run.distributions.forEach((d) => expectUpdatePoints(d, 2));
  });

  it('TRPO: one epoch, the accepted step (ratios of 1 when the line search failed)', async () => {
    const config = resolvePreset('zoo', 'CartPole-v1', { totalTimesteps: 512, nEnvs: 2, nSteps: 64, batchSize: 64, nCriticUpdates: 2, evalFreq: 0, finalEvalEpisodes: 1, backend: 'cpu', seed: 1 }, 'trpo') as TrpoConfig;
    const run = await record(config);
    run.distributions.forEach((d, i) => {
      expectUpdatePoints(d, 1);
      const accepted = run.updates[i]![METRIC.lineSearchSuccess] === 1;
      // The k3 KL of the accepted step's ratios is of the order of the KL bound the step was held to.
      if (accepted) expect(d[LEARN_METRIC.epochApproxKl]![0]).toBeLessThan(3 * config.targetKl);
      else expect(d[LEARN_METRIC.ratioHist]![17]).toBeCloseTo(1, 9);
    });
    expect(run.updates.some((u) => u[METRIC.lineSearchSuccess] === 1)).toBe(true);
  });

  it('A2C and REINFORCE have no ratio and write none', async () => {
    const run = await record(resolvePreset('zoo', 'CartPole-v1', { totalTimesteps: 64, evalFreq: 0, finalEvalEpisodes: 1, backend: 'cpu' }, 'a2c'));
    expect(run.distributions.every((d) => Object.keys(d).length === 0)).toBe(true);
  });
});
