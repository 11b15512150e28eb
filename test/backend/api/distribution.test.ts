/**
 * `series.distribution`: one update's seq-indexed points of a run's distribution keys (the Learn view's ratio
 * histograms and per-epoch quantiles), from the real store, with the updates to choose from.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, MetricDistribution } from '../../../src/core/api/contract';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import type { ExperimentStore } from '../../../src/backend/store/types';
import { fakeTrainerLauncher } from '../../support/fake-launcher';

let service: ApiService;
let store: ExperimentStore;
let runId: number;

async function handle(params: unknown): Promise<ApiResult<unknown>> {
  return service.handle('series.distribution', params);
}
async function call(params: unknown): Promise<MetricDistribution> {
  const result = await handle(params);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as MetricDistribution;
}

beforeAll(async () => {
  store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-distribution-')), 'p.db'));
  service = new ApiService({ host: 'web', store, launcher: fakeTrainerLauncher(), concurrency: 1 });
  await service.start();
  const launched = await service.handle('sweeps.launch', {
    name: 'd', env: 'CartPole-v1', preset: 'zoo', seeds: [1], overrides: { totalTimesteps: 1000, nSteps: 64, nEnvs: 2, batchSize: 64 },
  });
  if (!launched.ok) throw new Error(launched.error.message);
  runId = (launched.value as { runIds: number[] }).runIds[0]!;
  await service.queue.idle();
  // Two updates of a 3-point histogram and a 2-epoch series, written out of seq order.
  await store.appendMetrics([
    { runId, step: 256, seq: 2, values: { 'learn/h': 0.2 } },
    { runId, step: 256, seq: 0, values: { 'learn/h': 0.5, 'learn/e': 1.1 } },
    { runId, step: 256, seq: 1, values: { 'learn/h': 0.3, 'learn/e': 1.2 } },
    { runId, step: 512, seq: 0, values: { 'learn/h': 0.6 } },
    { runId, step: 512, seq: 1, values: { 'learn/h': 0.4, 'learn/e': 1.3 } },
  ]);
});

afterAll(async () => {
  await service.close();
});

describe('series.distribution', () => {
  it('gives the latest update by default, each key by seq, and the updates of the first key', async () => {
    const latest = await call({ runId, keys: ['learn/h', 'learn/e'] });
    expect(latest).toEqual({
      runId,
      steps: [256, 512],
      step: 512,
      points: { 'learn/h': { seq: [0, 1], values: [0.6, 0.4] }, 'learn/e': { seq: [1], values: [1.3] } },
    });
  });

  it('gives the update asked for, and empty points at a step without any', async () => {
    const first = await call({ runId, keys: ['learn/h', 'learn/e'], step: 256 });
    expect(first.points['learn/h']).toEqual({ seq: [0, 1, 2], values: [0.5, 0.3, 0.2] });
    expect(first.points['learn/e']).toEqual({ seq: [0, 1], values: [1.1, 1.2] });
    expect((await call({ runId, keys: ['learn/h'], step: 999 })).points['learn/h']).toEqual({ seq: [], values: [] });
  });

  it('says when a run has no such points, and refuses a missing run or no keys', async () => {
    expect(await call({ runId, keys: ['learn/none'] })).toEqual({ runId, steps: [], step: null, points: { 'learn/none': { seq: [], values: [] } } });
    const missing = await handle({ runId: 9999, keys: ['learn/h'] });
    expect(missing.ok === false && missing.error.code).toBe('not-found');
    const noKeys = await handle({ runId, keys: [] });
    expect(noKeys.ok === false && noKeys.error.issues?.[0]?.path).toBe('keys');
  });
});
