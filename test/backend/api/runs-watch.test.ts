/**
 * What the Runs view shows while runs train: each run's current return and steps per second, each sweep's progress
 * over its trials and its ETA (runs stored by the real queue and store, scripted trainer; the ETA's arithmetic on
 * live figures).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary, SweepSummary } from '../../../src/core/api/contract';
import { ApiService } from '../../../src/backend/api/service';
import { toSweepSummary } from '../../../src/backend/api/runs-view';
import { DEMO_SWEEP } from '../../../src/core/sweep/demo';
import { derivedSizes, parseTrainConfig } from '../../../src/core/training/config';
import { resolvePreset } from '../../../src/core/training/presets';
import { openStore } from '../../../src/backend/store/open-store';
import type { ExperimentStore, SweepRow } from '../../../src/backend/store/types';
import { fakeTrainerLauncher } from '../../support/fake-launcher';

let service: ApiService;
let store: ExperimentStore;

async function call<T>(method: string, params: unknown): Promise<T> {
  const result = await service.handle(method, params);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

beforeAll(async () => {
  store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-watch-')), 'p.db'));
  service = new ApiService({ host: 'web', store, launcher: fakeTrainerLauncher(), concurrency: 2 });
  await service.start();
});

afterAll(async () => {
  await service.close();
});

describe('runs and sweeps as they are watched', () => {
  it('gives each run its latest return and steps per second, and each sweep its steps over its trials', async () => {
    const { sweepId } = await call<{ sweepId: number }>('sweeps.launch', {
      name: 'watch', env: 'CartPole-v1', preset: 'zoo', grid: { objective: ['clip', 'kl-adaptive'] }, seeds: [1, 2],
      overrides: { totalTimesteps: 1000, nSteps: 64, nEnvs: 2, batchSize: 64 },
    });
    const queued = (await call<SweepSummary[]>('sweeps.list', {})).find((s) => s.id === sweepId);
    expect(queued?.progress.totalSteps).toBe(4000);
    expect(queued?.progress.stepsDone).toBeLessThan(4000);
    await service.queue.idle();
    const [sweep] = await call<SweepSummary[]>('sweeps.list', {});
    expect(sweep?.progress).toEqual({ stepsDone: 4000, totalSteps: 4000, etaSeconds: null });

    // The scripted trainer logs training episodes but no rollout mean: the current return is the latest evaluation.
    const runs = await call<RunSummary[]>('runs.list', { sweepId, sort: { by: 'seed', dir: 'asc' } });
    const clip = runs.find((r) => r.objective === 'clip' && r.seed === 1);
    expect(clip?.latestReturn).toEqual({ key: 'eval/mean_return', value: 101, step: 1000 });
    // A finished run has no live pace; the scripted trainer logs no time/fps either.
    expect(clip?.fps).toBeNull();

    // A rollout mean, when logged, is the current return, and the last time/fps the run's pace.
    await store.appendMetrics([
      { runId: clip!.id, step: 500, values: { 'rollout/ep_return_mean': 80, 'time/fps': 1234 } },
      { runId: clip!.id, step: 900, values: { 'rollout/ep_return_mean': 95.5, 'time/fps': 1500 } },
    ]);
    const [again] = await call<RunSummary[]>('runs.list', { runIds: [clip!.id] });
    expect(again?.latestReturn).toEqual({ key: 'rollout/ep_return_mean', value: 95.5, step: 900 });
    expect(again?.fps).toBe(1500);
  });
});

describe('the demonstration sweep', () => {
  it('is 6 valid trials without warnings, each evaluating 20 times by default', async () => {
    const preview = await call<{ trials: number; warnings: string[] }>('sweeps.preview', DEMO_SWEEP);
    expect(preview.trials).toBe(6);
    expect(preview.warnings).toEqual([]);
    const config = parseTrainConfig(resolvePreset(DEMO_SWEEP.preset, DEMO_SWEEP.env, { ...DEMO_SWEEP.overrides, objective: 'clip' }));
    const { evalEvery } = derivedSizes(config);
    // Periodic evaluations inside the budget, then the final one.
    expect(Math.floor((config.totalTimesteps - 1) / evalEvery) + 1).toBeGreaterThanOrEqual(20);
  });
});

describe('a sweep\'s ETA', () => {
  const row = (done: number, queued: number): SweepRow => ({
    id: 1, name: 's', envId: 'CartPole-v1', spec: {}, status: 'running', createdAt: 0,
    counts: { queued, running: 2, completed: 0, failed: 0, cancelled: 0, interrupted: 0 }, steps: { done, total: 60_000 },
  });

  it('is the steps left at the running trials\' summed pace, plus the queued trials\' start-up spread over the trainers', () => {
    // Stored: 10,000 steps done; the two running trials are 1,000 live steps ahead of the store, at 1,000 steps/s each.
    const running = [{ stepsDone: 3_000, storedStepsDone: 2_500, fps: 1_000 }, { stepsDone: 2_500, storedStepsDone: 2_000, fps: 1_000 }];
    const summary = toSweepSummary(row(10_000, 4), running, 3, 2);
    expect(summary.progress.stepsDone).toBe(11_000);
    expect(summary.progress.etaSeconds).toBeCloseTo(49_000 / 2_000 + (4 * 3) / 2, 10);
  });

  it('is unknown while no trial trains', () => {
    expect(toSweepSummary(row(0, 6)).progress).toEqual({ stepsDone: 0, totalSteps: 60_000, etaSeconds: null });
  });
});
