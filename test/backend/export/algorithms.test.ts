/**
 * Every algorithm's runs go through the workbench like PPO's (issue 14): one sweep with a grid over the ancestors,
 * trained by real trainer processes, then CSV, bundle (exported, imported into another database) and tfjs policy
 * export of each run, and a resume of one of them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';

async function call<T>(service: ApiService, method: string, params: unknown): Promise<T> {
  const reply = await service.handle(method as never, params as never);
  if (!reply.ok) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
  return reply.value as T;
}

describe('A2C, TRPO, REINFORCE and GRPO runs in the workbench', () => {
  it('train from one sweep, export as CSV, bundle and tfjs policy, import elsewhere, and show their algorithm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxima-algos-'));
    const store = await openStore(join(dir, 'p.db'));
    const service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: 2 });
    const { sweepId, runIds } = await call<{ sweepId: number; runIds: number[] }>(service, 'sweeps.launch', {
      name: 'ancestors',
      env: 'CartPole-v1',
      preset: 'zoo',
      grid: { algorithm: ['a2c', 'trpo', 'reinforce', 'grpo'] },
      seeds: [0],
      // nSteps and batchSize apply to the algorithms that have them (not REINFORCE or GRPO; batchSize not A2C).
      overrides: { totalTimesteps: 1024, evalFreq: 0, finalEvalEpisodes: 1, backend: 'cpu', nEnvs: 2, nSteps: 64, batchSize: 64 },
    });
    expect(runIds).toHaveLength(4);
    await service.queue.idle();
    const runs = await call<{ id: number; status: string; algorithm: string; config: Record<string, unknown> }[]>(service, 'runs.list', { sweepId });
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(runs.map((r) => r.algorithm).sort()).toEqual(['a2c', 'grpo', 'reinforce', 'trpo']);

    for (const run of runs) {
      // CSV: one row per update with the algorithm's own diagnostics.
      const { csv } = await call<{ csv: string }>(service, 'export.runCsv', { runId: run.id });
      const header = csv.split('\n')[0] as string;
      const own = { a2c: 'train/policy_loss', trpo: 'train/kl_divergence_loss', reinforce: 'train/return_variance', grpo: 'train/zero_spread_fraction' }[run.algorithm] as string;
      expect(header, run.algorithm).toContain(own);
      expect(csv.trim().split("\n").length, run.algorithm).toBeGreaterThan(2);
      // tfjs policy directory: model.json with the run's config and weights.bin of the declared size.
      await service.exportPolicy(run.id, join(dir, `policy-${run.id}`));
      const model = JSON.parse(readFileSync(join(dir, `policy-${run.id}/model.json`), 'utf8')) as {
        userDefinedMetadata: { config: { algorithm: string } };
        weightsManifest: { weights: { shape: number[] }[] }[];
      };
      expect(model.userDefinedMetadata.config.algorithm).toBe(run.algorithm);
      const bytes = (model.weightsManifest[0]?.weights ?? []).reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
      expect(readFileSync(join(dir, `policy-${run.id}/weights.bin`)).byteLength).toBe(bytes);
    }

    // A bundle of the sweep imports into a fresh database with every run's algorithm and config intact.
    const { json } = await call<{ json: string }>(service, 'export.bundle', { sweepId });
    const other = await openStore(join(dir, 'other.db'));
    const elsewhere = new ApiService({ host: 'web', store: other, launcher: nodeTrainerLauncher(), concurrency: 1 });
    const imported = await call<{ runIds: number[] }>(elsewhere, 'import.bundle', { bundle: json });
    expect(imported.runIds).toHaveLength(4);
    const copies = await call<{ algorithm: string; config: Record<string, unknown>; status: string }[]>(elsewhere, 'runs.list', {});
    expect(copies.map((r) => r.algorithm).sort()).toEqual(['a2c', 'grpo', 'reinforce', 'trpo']);
    for (const copy of copies) {
      const original = runs.find((r) => r.algorithm === copy.algorithm);
      expect(copy.config).toEqual(original?.config);
      expect(copy.status).toBe('completed');
    }
    // A GRPO checkpoint carries its reference policy, and a bundle whose reference does not fit the network is refused.
    const bundle = JSON.parse(json) as { runs: { id: number; config: { algorithm: string } }[]; checkpoints: { runId: number; meta: Record<string, unknown> }[] };
    const grpoRun = bundle.runs.find((r) => r.config.algorithm === 'grpo');
    const grpoCheckpoint = bundle.checkpoints.find((c) => c.runId === grpoRun?.id);
    expect(Array.isArray(grpoCheckpoint?.meta['referenceParams'])).toBe(true);
    (grpoCheckpoint as { meta: Record<string, unknown> }).meta['referenceParams'] = [1, 2, 3];
    const refused = await elsewhere.handle('import.bundle' as never, { bundle: JSON.stringify(bundle) } as never);
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toMatch(/meta\.referenceParams: the reference policy must be \d+ finite numbers/);
    await elsewhere.close();
    await service.close();
  }, 120_000);
});
