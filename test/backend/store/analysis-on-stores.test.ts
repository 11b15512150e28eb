/**
 * The analysis module is fed by the repository interface only: the same runs and points written to an SQLite and a
 * PostgreSQL store give identical series, aggregates, summaries, hyperparameter tables, CSV and bundles.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportBundle, groupedSeries, hparamsTable, readSeries, runCsv, summarize, sweepCsv } from '../../../src/backend/analysis';
import { seededRandom } from '../../../src/backend/analysis/random';
import { openStore } from '../../../src/backend/store/open-store';
import type { ExperimentStore, MetricSample } from '../../../src/backend/store/types';
import { createRng } from '../../../src/core/rng/index';
import { describeOnPostgres } from '../../support/postgres';
import { newRun, tempDir } from './helpers';

/** 2 objectives × 2 entCoefs × 3 seeds, 60 updates each, with episodes (several per step), NaN and wall times. */
async function fill(store: ExperimentStore): Promise<{ runIds: number[]; sweepId: number }> {
  const rng = createRng(7);
  const sweep = await store.createSweep({ name: 'grid', envId: 'CartPole-v1', spec: { grid: { objective: ['clip', 'kl-adaptive'], entCoef: [0, 0.01] } }, createdAt: 1 });
  const specs = [];
  for (const objective of ['clip', 'kl-adaptive']) {
    for (const entCoef of [0, 0.01]) {
      for (const seed of [1, 2, 3]) {
        specs.push(newRun(seed, { objective, entCoef }, { sweepId: sweep.id, params: { objective, entCoef, seed }, createdAt: 10 + specs.length, status: 'completed', finalEval: { mean: 100 * rng.random(), std: 1, episodes: 5 } }));
      }
    }
  }
  const runs = await store.createRuns(specs);
  for (const run of runs) {
    const samples: MetricSample[] = [];
    for (let u = 1; u <= 60; u++) {
      const step = u * 128 + (run.seed % 2) * 16;
      samples.push({ runId: run.id, step, wallTime: 1e12 + u * 250 + run.seed, values: { 'time/fps': 1000 + u, 'train/approx_kl': u === 30 ? NaN : rng.random() / 10 } });
      for (let e = 0; e < 2; e++) samples.push({ runId: run.id, step: step - 64, seq: e, values: { 'rollout/ep_return': u * 5 + 10 * rng.random() } });
      if (u % 10 === 0) samples.push({ runId: run.id, step, values: { 'eval/mean_return': u * 4 + rng.random() } });
    }
    await store.appendMetrics(samples);
  }
  return { runIds: runs.map((r) => r.id), sweepId: sweep.id };
}

/** Everything the analysis module computes over one store's data. */
async function analyse(store: ExperimentStore): Promise<unknown> {
  const { runIds, sweepId } = await fill(store);
  const runs = (await store.listRuns({ sort: { by: 'id', dir: 'asc' } })).runs;
  const keys = ['rollout/ep_return', 'train/approx_kl'];
  const bundle = await exportBundle(store, { sweepId });
  return {
    series: await Promise.all((['step', 'update', 'wall'] as const).map((x) => readSeries(store, { runIds, keys, maxPoints: 50, x }))),
    grouped: await groupedSeries(store, { runIds, keys, maxPoints: 40, smoothing: 0.6, ci: { resamples: 200, random: seededRandom() } }),
    summary: await summarize(store, { runs, metric: 'eval/mean_return', compare: undefined }),
    hparams: await hparamsTable(store, { runs, metric: 'rollout/ep_return', goal: 'max' }),
    csv: [await runCsv(store, runIds[0]), await sweepCsv(store, sweepId)],
    bundle: { ...bundle, exportedAt: 0 },
  };
}

describeOnPostgres('analysis on SQLite and PostgreSQL', (server) => {
  const dir = tempDir();
  let sqlite: ExperimentStore;
  let postgres: ExperimentStore;
  beforeAll(async () => {
    sqlite = await openStore(join(dir.dir, 'a.db'));
    postgres = await openStore(await server().createDatabase());
  });
  afterAll(async () => {
    await sqlite?.close();
    await postgres?.close();
    dir.cleanup();
  });

  it('gives identical results from either store', async () => {
    const fromSqlite = await analyse(sqlite);
    const fromPostgres = await analyse(postgres);
    expect(JSON.stringify(fromSqlite).length).toBeGreaterThan(10_000);
    expect(fromPostgres).toEqual(fromSqlite);
  });
});
