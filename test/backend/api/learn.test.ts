import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiResponses, ApiResult } from '../../../src/core/api/contract';
import { LEARN_METRIC } from '../../../src/core/metrics/ratio-stats';
import { ApiService } from '../../../src/backend/api/service';
import { MetricBuffer } from '../../../src/backend/runner/metric-buffer';
import { openStore } from '../../../src/backend/store/open-store';
import type { ExperimentStore } from '../../../src/backend/store/types';
import { fakeTrainerLauncher } from '../../support/fake-launcher';
import { newRun } from '../store/helpers';

let service: ApiService;
let store: ExperimentStore;
let runId: number;
let bare: number;

async function call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponses[M]> {
  const result: ApiResult<unknown> = await service.handle(method, params);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as ApiResponses[M];
}

const hist = (k: number) => Array.from({ length: 34 }, (_, i) => (i === 17 ? 1 - k : i === 18 ? k : 0));

beforeAll(async () => {
  store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-learn-')), 'p.db'));
  service = new ApiService({ host: 'web', store, launcher: fakeTrainerLauncher(), concurrency: 1 });
  const [run, other] = await store.createRuns([newRun(1), newRun(2)]);
  runId = run!.id;
  bare = other!.id;
  const buffer = new MetricBuffer(runId);
  buffer.addUpdate(256, { 'train/approx_kl': 0.01 }, { [LEARN_METRIC.ratioHist]: hist(0.25), [LEARN_METRIC.epochRatioQ50]: [1, 1.01] });
  buffer.addUpdate(512, { 'train/approx_kl': 0.02 }, { [LEARN_METRIC.ratioHist]: hist(0.5), [LEARN_METRIC.epochRatioQ50]: [1, NaN] });
  await store.appendMetrics(buffer.drain().samples);
  await store.appendMetrics([{ runId: bare, step: 256, values: { 'train/approx_kl': 0.1 } }]);
});

afterAll(async () => {
  await service.close();
});

describe('learn.distributions', () => {
  it('returns the last update by default, values by seq, NaN as null, and the updates that have them', async () => {
    const last = await call('learn.distributions', { runId });
    expect(last.steps).toEqual([256, 512]);
    expect(last.step).toBe(512);
    expect(last.values[LEARN_METRIC.ratioHist]).toEqual(hist(0.5));
    expect(last.values[LEARN_METRIC.epochRatioQ50]).toEqual([1, null]);
  });

  it('returns the asked update, or the last one at or before the asked step', async () => {
    expect((await call('learn.distributions', { runId, step: 256 })).values[LEARN_METRIC.ratioHist]).toEqual(hist(0.25));
    expect((await call('learn.distributions', { runId, step: 400 })).step).toBe(256);
    expect((await call('learn.distributions', { runId, step: 10 })).step).toBe(256);
  });

  it('is empty for a run without them, and not-found for a missing run', async () => {
    expect(await call('learn.distributions', { runId: bare })).toEqual({ steps: [], step: null, values: {} });
    const missing = await service.handle('learn.distributions', { runId: 99_999 });
    expect(missing.ok ? null : missing.error.code).toBe('not-found');
    const bad = await service.handle('learn.distributions', { runId: 'one' });
    expect(bad.ok ? null : bad.error.code).toBe('bad-request');
  });
});

describe('the ordinary metric lists', () => {
  it('leave the distribution keys out of a run’s metric keys (Run detail’s charts) and of the catalog (Compare)', async () => {
    expect((await store.listMetricKeys([runId])).filter((k) => k.startsWith('learn/'))).toHaveLength(2);
    const detail = await call('runs.get', { runId });
    expect(detail.metricKeys).toEqual(['train/approx_kl']);
    const catalog = await call('catalog.get', {});
    expect(catalog.metrics.some((m) => m.key.startsWith('learn/'))).toBe(false);
  });

  it('leave them out of the filter vocabulary: a filter naming one is refused, as for any unknown metric', async () => {
    const refused = await service.handle('runs.list', { filter: 'learn/ratio_hist>0' });
    expect(refused.ok ? null : refused.error.message).toMatch(/unknown metric 'learn\/ratio_hist'/);
    expect(await call('runs.list', { filter: 'train/approx_kl>0.05' })).toHaveLength(1);
  });
});
