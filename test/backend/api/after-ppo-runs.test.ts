/**
 * GRPO runs and PPO runs on a reward learned from preferences (issue 16) through the API, with real trainers: they
 * store checkpoints, a cancelled run resumes from its latest one and ends exactly where an uninterrupted run of the same
 * config ends (every update once, the same values), and their checkpoints open for replay.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiResponses } from '../../../src/core/api/contract';
import { METRIC } from '../../../src/core/metrics/keys';
import { readSeries } from '../../../src/backend/analysis/series';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import type { ExperimentStore } from '../../../src/backend/store/types';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';

let store: ExperimentStore;
let service: ApiService;

async function call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponses[M]> {
  const result = await service.handle(method, params);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as ApiResponses[M];
}

beforeAll(async () => {
  store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-after-ppo-')), 'p.db'));
  service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: 1 });
});

afterAll(async () => {
  await service.close();
});

const common = { evalFreq: 0, finalEvalEpisodes: 2, backend: 'cpu', checkpointFreq: 512 };

interface Case {
  name: string;
  sweep: { env: string; preset: string; seeds: number[]; overrides: Record<string, unknown> & { totalTimesteps: number } };
  /** Metric series that must be the same, point for point, after the resume. */
  keys: string[];
  critic: boolean;
}

/**
 * Small budgets: a few seconds of training each, several checkpoints, and many short updates — the trainer reads its
 * messages (the cancel) only every 8 updates, so a run of few updates can finish before it sees the cancel.
 */
const cases: Case[] = [
  {
    name: 'GRPO',
    sweep: {
      env: 'CartPole-v1', preset: 'tuned', seeds: [2], overrides: { ...common, algorithm: 'grpo', totalTimesteps: 8_192, nEnvs: 2, groupSize: 4, groupsPerUpdate: 1, nEpochs: 2, nMinibatches: 2, refSyncInterval: 3 },
    },
    keys: [METRIC.policyLoss, METRIC.groupReturnStd, METRIC.referenceKl],
    critic: false,
  },
  {
    name: 'PPO on a reward learned from preferences',
    sweep: {
      env: 'CartPole-v1', preset: 'zoo', seeds: [2],
      overrides: {
        ...common, totalTimesteps: 4_096, nEnvs: 2, nSteps: 64, batchSize: 64, nEpochs: 2, rewardSource: 'preferences',
        preferenceLabelBudget: 100, preferenceLabelsPerUpdate: 30, preferenceSegmentLength: 20, preferenceEpochs: 2,
      },
    },
    keys: [METRIC.policyLoss, METRIC.preferenceLabelsUsed, METRIC.preferenceHeldOutAccuracy],
    critic: true,
  },
];

async function series(runId: number, keys: string[]): Promise<{ key: string; x: number[]; y: number[] }[]> {
  return (await readSeries(store, { runIds: [runId], keys, maxPoints: 100_000 })).map((s) => ({ key: s.key, x: Array.from(s.x), y: Array.from(s.y) }));
}

const statusOf = async (runId: number): Promise<string | undefined> => (await store.getRun(runId))?.status;

describe.each(cases)('$name through the API', ({ name, sweep, keys, critic }) => {
  it('is checkpointed, resumes after a cancel to the same end as an uninterrupted run, and replays', async () => {
    // Cancelled once it has a checkpoint, then resumed.
    const [interrupted] = (await call('sweeps.launch', { name: `${name} interrupted`, ...sweep })).runIds as [number];
    await expect.poll(async () => (await store.listCheckpoints(interrupted)).length, { timeout: 120_000, interval: 50 }).toBeGreaterThan(0);
    await call('runs.cancel', { runId: interrupted });
    await expect.poll(() => statusOf(interrupted), { timeout: 30_000, interval: 100 }).toBe('cancelled');
    const stopped = await store.getRun(interrupted);
    expect(stopped?.stepsDone).toBeLessThan(sweep.overrides.totalTimesteps);
    const checkpointAtStop = (await store.listCheckpoints(interrupted)).at(-1)!.step;
    await call('runs.resume', { runId: interrupted });
    await service.queue.idle();
    // The whole row on a mismatch: its error says why.
    expect(await store.getRun(interrupted)).toMatchObject({ status: 'completed' });

    const [reference] = (await call('sweeps.launch', { name: `${name} uninterrupted`, ...sweep })).runIds as [number];
    await service.queue.idle();
    expect(await store.getRun(reference)).toMatchObject({ status: 'completed' });

    // The resumed run continued from its checkpoint: every update once, each value as if it had never stopped.
    const resumedSeries = await series(interrupted, keys);
    const referenceSeries = await series(reference, keys);
    for (const s of referenceSeries) expect(s.x.length, s.key).toBeGreaterThan(3);
    expect(resumedSeries).toEqual(referenceSeries);
    expect(referenceSeries[0].x.some((step) => step > checkpointAtStop)).toBe(true);
    const [resumedRun, referenceRun] = [await store.getRun(interrupted), await store.getRun(reference)];
    expect(resumedRun?.finalEval).toEqual(referenceRun?.finalEval);
    expect(resumedRun?.stepsDone).toBe(referenceRun?.stepsDone);

    // Replay: the latest checkpoint and an earlier one open; a deterministic episode steps the env's reward.
    const checkpoints = await call('checkpoints.list', { runId: interrupted });
    expect(checkpoints.length).toBeGreaterThan(1);
    for (const step of [undefined, checkpoints[0].step]) {
      const session = await call('replay.open', { runId: interrupted, ...(step === undefined ? {} : { step }) });
      expect(session.step).toBe(step ?? checkpoints.at(-1)!.step);
      const first = await call('replay.reset', { sessionId: session.sessionId, seed: 11 });
      expect(first.probs?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      // GRPO has no critic, so no V(s); PPO's critic learned the learned reward's returns.
      if (critic) expect(Number.isFinite(first.value)).toBe(true);
      else expect(first.value).toBeNull();
      let frame = first;
      for (let i = 0; i < 3; i++) frame = await call('replay.step', { sessionId: session.sessionId, deterministic: true });
      // CartPole's own reward (1 a step), whatever reward the run trained on.
      expect(frame).toMatchObject({ t: 3, return: 3 });
      await call('replay.close', { sessionId: session.sessionId });
    }
  }, 240_000);
});
