import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../src/core/metrics/keys';
import type { GrpoConfig } from '../../../src/core/training/config';
import { resolvePreset } from '../../../src/core/training/presets';
import { grpoLearner } from '../../../src/trainer/grpo/learner';
import { rolloutContext, createTrainingState, type TrainingState } from '../../../src/trainer/ppo/state';
import { bytesToFloats, type Checkpoint } from '../../../src/trainer/ppo/checkpoint';
import { describeOnBackends } from '../../support/backends';
import { record } from '../../support/record-training';

/** A short CartPole GRPO run: 2 envs, groups of 3 episodes × 2 starts, 2 epochs of 2 minibatches. */
const tiny = (overrides: Partial<GrpoConfig> = {}): GrpoConfig =>
  resolvePreset('tuned', 'CartPole-v1', {
    totalTimesteps: 2000, nEnvs: 2, groupSize: 3, groupsPerUpdate: 2, nEpochs: 2, nMinibatches: 2, evalFreq: 0, finalEvalEpisodes: 2,
    backend: 'cpu', seed: 3, checkpointFreq: 500, ...overrides,
  }, 'grpo');

describe('grpo train', () => {
  it('logs its group diagnostics every update and counts epochs as n_updates', async () => {
    const run = await record(tiny());
    expect(run.result.stepsDone).toBeGreaterThanOrEqual(2000);
    run.updates.forEach((u, i) => {
      expect(u[METRIC.episodesPerUpdate]).toBe(6);
      expect(u[METRIC.nUpdates]).toBe(2 * (i + 1));
      expect(u[METRIC.zeroSpreadFraction]).toBeGreaterThanOrEqual(0);
      expect(u[METRIC.groupReturnStd]).toBeGreaterThan(0);
      expect(u[METRIC.referenceKl]).toBeGreaterThanOrEqual(0);
      // No critic: no value loss or explained variance.
      expect(u[METRIC.valueLoss]).toBeUndefined();
      expect(u[METRIC.explainedVariance]).toBeUndefined();
    });
    // The reference is the initial policy: the first batch is collected by it (KL 0 but for the float32 rounding of
    // the stored log-probs), later ones have moved away.
    expect(run.updates[0][METRIC.referenceKl]).toBeLessThan(1e-12);
    expect(run.updates.at(-1)![METRIC.referenceKl]).toBeGreaterThan(1e-4);
  });

  it('keeps the initial policy as the reference, or refreshes it every refSyncInterval updates', async () => {
    const initial = createTrainingState(tiny()).params;
    const kept = await record(tiny());
    for (const c of kept.checkpoints) expect(Float32Array.from(c.meta.referenceParams as number[])).toEqual(initial);
    // Refreshed after every update: the reference is the checkpoint's own policy, and the next batch starts at KL 0.
    const synced = await record(tiny({ refSyncInterval: 1 }));
    for (const c of synced.checkpoints) expect(Float32Array.from(c.meta.referenceParams as number[])).toEqual(bytesToFloats(c.weights));
    for (const u of synced.updates) expect(u[METRIC.referenceKl]).toBeLessThan(1e-12);
  });

  it('resumes only with the reference policy, which the rest of the run depends on', async () => {
    const config = tiny({ refSyncInterval: 3 });
    const full = await record(config);
    const from = full.checkpoints.find((c) => c.meta.iteration === 4) as Checkpoint;
    expect(from).toBeDefined();
    const done = full.updates.findIndex((u) => u[METRIC.totalTimesteps] === from.step);
    const resumed = await record(config, structuredClone(from));
    expect(resumed.updates).toEqual(full.updates.slice(done + 1));
    // Another reference (the initial policy instead of update 3's) changes what follows.
    const other = structuredClone(from);
    other.meta.referenceParams = Array.from(createTrainingState(config).params);
    expect((await record(config, other)).updates).not.toEqual(resumed.updates);
    const without = structuredClone(from);
    delete without.meta.referenceParams;
    await expect(record(config, without)).rejects.toThrow(/reference policy/);
  });

  it('learns nothing from a batch whose groups all scored the same: zero advantages, no NaN, parameters unchanged', () => {
    // β 0: the KL term alone would move the policy (its ρ = π_ref/π differs from 1 by the float32 rounding of the two
    // forward passes, and Adam scales even that gradient up to a step).
    const state = createTrainingState(tiny({ groupAdvantage: 'outcome', beta: 0 })) as TrainingState<GrpoConfig>;
    const learner = grpoLearner(state);
    state.stepsDone += learner.collect(rolloutContext(state, () => {}));
    state.iteration += 1;
    // Every reward 0: each group's returns are equal.
    state.buffer.rewards.fill(0);
    const before = Float32Array.from(state.params);
    const metrics = learner.update().metrics({ fps: 0, rolloutSeconds: 0, updateSeconds: 0 });
    expect(metrics[METRIC.zeroSpreadFraction]).toBe(1);
    expect(metrics[METRIC.groupReturnStd]).toBe(0);
    expect(Object.values(metrics).every(Number.isFinite)).toBe(true);
    expect(state.params).toEqual(before);
  });
});

describeOnBackends('grpo train', (backend) => {
  it('is deterministic for the same config, seed and backend, and leaks no tensors', async () => {
    const a = await record(tiny({ backend }));
    expect(a.result.backend).toBe(backend);
    const b = await record(tiny({ backend }));
    expect(b.updates).toEqual(a.updates);
    expect(b.checkpoints.at(-1)?.weights).toEqual(a.checkpoints.at(-1)?.weights);
    expect(new Set([...a.tensors, ...b.tensors]).size).toBe(1);
    expect((await record(tiny({ backend, seed: 4 }))).updates).not.toEqual(a.updates);
  });
});
