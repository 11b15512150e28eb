/**
 * The runs filter's metric terms on runs stored by the real queue and store (the scripted trainer's metrics):
 * bare keys compare the last value, best()/min()/mean() roll the points up, and unknown names are named back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../src/core/api/contract';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { fakeTrainerLauncher } from '../../support/fake-launcher';

let service: ApiService;

async function seeds(filter: string): Promise<string[]> {
  const result = await service.handle('runs.list', { filter, sort: { by: 'id', dir: 'asc' } });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { objective: string; seed: number }[]).map((r) => `${r.objective}:${r.seed}`);
}

async function refusal(filter: string): Promise<string> {
  const result = (await service.handle('runs.list', { filter })) as ApiResult<unknown>;
  if (result.ok) throw new Error(`'${filter}' was accepted`);
  expect(result.error.code).toBe('bad-request');
  return result.error.message;
}

beforeAll(async () => {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-filter-')), 'p.db'));
  service = new ApiService({ host: 'web', store, launcher: fakeTrainerLauncher(), concurrency: 2 });
  await service.start();
  // The scripted trainer: eval/mean_return 100 + seed for clip, 50 + seed for kl-adaptive; rollout/ep_return 10u
  // and 10u + 1 at update u = 1..10 (so min 10, best 101, last 101, mean 55.5).
  const launched = await service.handle('sweeps.launch', {
    name: 'filters', env: 'CartPole-v1', preset: 'zoo', grid: { objective: ['clip', 'kl-adaptive'] }, seeds: [1, 2, 3],
    overrides: { totalTimesteps: 1000, nSteps: 64, nEnvs: 2, batchSize: 64 },
  });
  expect(launched.ok).toBe(true);
  await service.queue.idle();
});

afterAll(async () => {
  await service.close();
});

describe('metric terms in the runs filter', () => {
  it('compares a bare metric key by its last value', async () => {
    expect(await seeds('eval/mean_return>100')).toEqual(['clip:1', 'clip:2', 'clip:3']);
    expect(await seeds('eval/mean_return>=102')).toEqual(['clip:2', 'clip:3']);
    expect(await seeds('eval/mean_return<=51')).toEqual(['kl-adaptive:1']);
    expect(await seeds('eval/mean_return!=101 eval/mean_return>60')).toEqual(['clip:2', 'clip:3']);
    expect(await seeds('last(rollout/ep_return)=101')).toHaveLength(6);
  });

  it('rolls the points up with best(), min() and mean()', async () => {
    expect(await seeds('best(rollout/ep_return)>=101')).toHaveLength(6);
    expect(await seeds('best(rollout/ep_return)>101')).toEqual([]);
    expect(await seeds('min(rollout/ep_return)=10')).toHaveLength(6);
    expect(await seeds('mean(rollout/ep_return)>55')).toHaveLength(6);
    expect(await seeds('mean(rollout/ep_return)>56')).toEqual([]);
  });

  it('combines metric terms with hyperparameters, statuses and text', async () => {
    expect(await seeds('objective=kl-adaptive eval/mean_return<53 status=completed')).toEqual(['kl-adaptive:1', 'kl-adaptive:2']);
    expect(await seeds('filters best(eval/mean_return)>102')).toEqual(['clip:3']);
  });

  it('never matches a run without the metric, nor a metric no run has', async () => {
    expect(await seeds('train/beta>0')).toEqual([]);
    expect(await seeds('train/beta!=0')).toEqual([]);
  });

  it('names an unknown metric or field, with the nearest known name, instead of returning nothing', async () => {
    expect(await refusal('eval/mean_retrun>400')).toContain("unknown metric 'eval/mean_retrun' — did you mean eval/mean_return?");
    expect(await refusal('best(rollout/ep_retrn)>450')).toContain("unknown metric 'rollout/ep_retrn' — did you mean rollout/ep_return?");
    expect(await refusal('gama>0.9')).toContain("unknown field 'gama' — did you mean gamma?");
    expect(await refusal('ent_cof>0')).toContain("unknown field 'ent_cof' — did you mean entCoef?");
    expect(await refusal('colour=red')).toMatch(/unknown field 'colour'$/);
    expect(await refusal('top(eval/mean_return)>1')).toContain("unknown function 'top'");
    expect(await refusal('best(gamma)>1')).toContain('takes a metric key');
    expect(await refusal('eval/mean_return>high')).toContain('compares with a number');
  });
});
