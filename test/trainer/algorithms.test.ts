/**
 * What every algorithm must do like PPO does (issue 14): train on discrete and continuous actions, report its own
 * diagnostics, checkpoint and resume exactly, load for replay, and keep tfjs memory flat.
 */
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../src/core/metrics/keys';
import type { Algorithm, TrainConfig } from '../../src/core/training/config';
import { resolvePreset } from '../../src/core/training/presets';
import { loadPolicy } from '../../src/trainer/ppo/policy';
import type { Checkpoint } from '../../src/trainer/train';
import { record } from '../support/record-training';

/** A few updates of each algorithm: small rollouts, evaluation off, cpu backend. */
function small(algorithm: Algorithm, envId: string, overrides: Record<string, unknown> = {}): TrainConfig {
  const sizes: Record<Algorithm, Record<string, unknown>> = {
    ppo: { nEnvs: 2, nSteps: 64, batchSize: 64, nEpochs: 2 },
    a2c: { nEnvs: 4, nSteps: 5 },
    trpo: { nEnvs: 2, nSteps: 64, batchSize: 32, nCriticUpdates: 2 },
    reinforce: { nEnvs: 2, episodesPerBatch: 2 },
    grpo: { nEnvs: 2, groupSize: 2, groupsPerUpdate: 1, nEpochs: 2, nMinibatches: 2, refSyncInterval: 2 },
  };
  const preset = algorithm === 'reinforce' || algorithm === 'grpo' ? 'tuned' : 'zoo';
  return resolvePreset(preset, envId, { totalTimesteps: 1024, evalFreq: 0, finalEvalEpisodes: 2, backend: 'cpu', seed: 5, checkpointFreq: 256, normalizeObs: true, ...sizes[algorithm], ...overrides }, algorithm);
}

/** Keys each algorithm must log, with SB3/sb3-contrib names where they exist. */
const DIAGNOSTICS: Record<Algorithm, string[]> = {
  ppo: [METRIC.policyLoss, METRIC.valueLoss, METRIC.approxKl, METRIC.clipFraction, METRIC.explainedVariance],
  a2c: [METRIC.policyLoss, METRIC.valueLoss, METRIC.entropyLoss, METRIC.explainedVariance, METRIC.gradNorm],
  trpo: [METRIC.policyObjective, METRIC.valueLoss, METRIC.klDivergence, METRIC.lineSearchSuccess, METRIC.lineSearchSteps, METRIC.surrogateImprovement, METRIC.cgResidual, METRIC.explainedVariance],
  reinforce: [METRIC.policyLoss, METRIC.returnVariance, METRIC.baselineError, METRIC.episodesPerUpdate],
  grpo: [METRIC.policyLoss, METRIC.approxKl, METRIC.clipFraction, METRIC.groupReturnMean, METRIC.groupReturnStd, METRIC.zeroSpreadFraction, METRIC.referenceKl, METRIC.episodesPerUpdate],
};

describe.each(['ppo', 'a2c', 'trpo', 'reinforce', 'grpo'] as const)('%s', (algorithm) => {
  it.each(['CartPole-v1', 'Pendulum-v1'])('trains on %s, logs its diagnostics, resumes exactly and loads for replay', async (envId) => {
    const config = small(algorithm, envId);
    const full = await record(config);
    expect(full.result.stepsDone).toBeGreaterThanOrEqual(1024);
    expect(full.updates.length).toBeGreaterThan(2);
    for (const key of DIAGNOSTICS[algorithm]) expect(Number.isFinite(full.updates.at(-1)?.[key]), key).toBe(true);
    expect(full.updates.at(-1)?.[METRIC.nUpdates]).toBeGreaterThan(0);
    expect(new Set(full.tensors).size, 'tf.memory().numTensors across updates').toBe(1);

    // Exact resume from the first periodic checkpoint: the rest of the run is the same, update for update.
    const from = full.checkpoints[0] as Checkpoint;
    expect(from.step).toBeLessThan(full.result.stepsDone);
    const resumed = await record(config, from);
    const skipped = full.updates.findIndex((u) => u[METRIC.totalTimesteps] > from.step);
    expect(resumed.updates).toEqual(full.updates.slice(skipped));
    expect(resumed.checkpoints.at(-1)?.weights).toEqual(full.checkpoints.at(-1)?.weights);

    // Replay: the final checkpoint loads as a policy with a distribution, and a value where the run has a critic.
    const policy = loadPolicy(full.checkpoints.at(-1) as Checkpoint);
    expect(policy.envId).toBe(envId);
    const out = policy.act(envId === 'CartPole-v1' ? [0.01, 0, -0.02, 0] : [1, 0, 0.1], true);
    if (algorithm === 'grpo') expect(out.value).toBeUndefined();
    else expect(Number.isFinite(out.value)).toBe(true);
    if (envId === 'CartPole-v1') expect(out.probs?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    else expect(out.std?.[0]).toBeGreaterThan(0);
  });
});

describe('replay of a REINFORCE run without a baseline', () => {
  it('shows no V(s): the value network was never trained', async () => {
    const without = await record(small('reinforce', 'CartPole-v1', { useBaseline: false, totalTimesteps: 256 }));
    expect(loadPolicy(without.checkpoints.at(-1) as Checkpoint).act([0.01, 0, -0.02, 0], true).value).toBeUndefined();
    const withBaseline = await record(small('reinforce', 'CartPole-v1', { totalTimesteps: 256 }));
    expect(Number.isFinite(loadPolicy(withBaseline.checkpoints.at(-1) as Checkpoint).act([0.01, 0, -0.02, 0], true).value)).toBe(true);
  });
});
