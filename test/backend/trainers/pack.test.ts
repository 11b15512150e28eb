import { describe, expect, it } from 'vitest';
import { resolvePreset } from '../../../src/core/training/presets';
import type { TrainerMessage } from '../../../src/core/protocol/trainer';
import { startTrainer, stopTrainer } from '../../../src/backend/trainers/launcher';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';

/** A small CartPole-v1 zoo trial (4 envs × 32 steps per iteration) as the host sends it. */
const trial = (seed: number, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  resolvePreset('zoo', 'CartPole-v1', {
    nEnvs: 4, nSteps: 32, batchSize: 64, nEpochs: 2, totalTimesteps: 512, evalFreq: 0, finalEvalEpisodes: 2, checkpointFreq: 0,
    backend: 'cpu', seed, ...overrides,
  }) as unknown as Record<string, unknown>;

describe('a trainer process training a pack (train.pack)', () => {
  it('streams each member as its own run, cancels one member alone, and ends each with its own done', async () => {
    const { trainer } = await startTrainer(nodeTrainerLauncher(), null);
    const byRun = new Map<number, TrainerMessage[]>();
    trainer.onMessage((m) => {
      if (!('runId' in m) || m.runId === undefined) return;
      byRun.set(m.runId, [...(byRun.get(m.runId) ?? []), m]);
      // Cancel member 12 at its first update: the others must go on to their end.
      if (m.runId === 12 && m.type === 'update' && byRun.get(12)!.filter((x) => x.type === 'update').length === 1) trainer.send({ type: 'cancel', runId: 12 });
    });
    const doneOf = (runId: number) => trainer.waitFor((m): m is Extract<TrainerMessage, { type: 'done' }> => m.type === 'done' && m.runId === runId, 120_000);
    const done = [doneOf(11), doneOf(12), doneOf(13)];
    trainer.send({ type: 'train.pack', members: [
      { runId: 11, config: trial(1) },
      { runId: 12, config: trial(2, { totalTimesteps: 100_000 }) },
      { runId: 13, config: trial(3, { learningRate: 3e-3 }) },
    ] });
    const [a, b, c] = await Promise.all(done);
    expect(a).toMatchObject({ cancelled: false, stepsDone: 512, backend: 'cpu' });
    expect(c).toMatchObject({ cancelled: false, stepsDone: 512 });
    expect(a.finalEval?.episodes).toBe(2);
    expect(b.cancelled).toBe(true);
    expect(b.stepsDone).toBeLessThan(100_000);
    expect(b.finalEval).toBeNull();
    for (const runId of [11, 12, 13]) {
      const types = new Set(byRun.get(runId)!.map((m) => m.type));
      for (const type of ['backend', 'update', 'progress', 'checkpoint', 'done']) expect(types.has(type as TrainerMessage['type']), `${runId} ${type}`).toBe(true);
    }
    expect(byRun.get(11)!.filter((m) => m.type === 'update')).toHaveLength(4);
    // Members differ (seeds, learning rates): their losses are their own.
    const firstLoss = (runId: number) => (byRun.get(runId)!.find((m) => m.type === 'update') as Extract<TrainerMessage, { type: 'update' }>).metrics['train/value_loss'];
    expect(firstLoss(11)).not.toBe(firstLoss(13));
    expect(await stopTrainer(trainer)).toMatchObject({ code: 0 });
  });

  it('fails every member, with the reason, when one cannot be packed', async () => {
    const { trainer } = await startTrainer(nodeTrainerLauncher(), null);
    const errors = [21, 22].map((runId) => trainer.waitFor((m): m is Extract<TrainerMessage, { type: 'error' }> => m.type === 'error' && m.runId === runId));
    trainer.send({ type: 'train.pack', members: [{ runId: 21, config: trial(1) }, { runId: 22, config: trial(2, { rolloutMode: 'episodes' }) }] });
    for (const error of await Promise.all(errors)) expect(error.message).toMatch(/run 22 cannot be packed: whole-episode rollouts/);
    expect(await stopTrainer(trainer)).toMatchObject({ code: 0 });
  });
});
