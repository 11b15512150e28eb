import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSeries } from '../../src/backend/analysis/series';
import { ApiService } from '../../src/backend/api/service';
import { openStore } from '../../src/backend/store/open-store';
import { nodeTrainerLauncher } from '../../src/backend/trainers/node-launcher';
import { createRng } from '../../src/core/rng';

/**
 * Fault injection with real processes and real files: `proxima sweep` stopped by SIGINT, SIGTERM or SIGKILL at random
 * moments after its first checkpoint, then resumed; and a CLI and a web-mode host sharing one database.
 * Leases are shortened to 1 s (PROXIMA_LEASE_SECONDS) so expiry is quick.
 */
const root = resolve(import.meta.dirname, '../..');
const env = { ...process.env, PROXIMA_LEASE_SECONDS: '1' };
const ROLLOUT = 256;
const BUDGET = 32_768;
const overrides = { totalTimesteps: BUDGET, nEnvs: 2, nSteps: 128, batchSize: 128, nEpochs: 2, checkpointFreq: 4096, evalFreq: 0, finalEvalEpisodes: 2, backend: 'wasm' };

function specFile(dir: string, seeds: number[]): string {
  const file = join(dir, 'sweep.json');
  writeFileSync(file, JSON.stringify({ name: 'faults', env: 'CartPole-v1', preset: 'zoo', seeds, overrides }));
  return file;
}

function proxima(args: string[]): ChildProcess {
  return spawn(process.execPath, [join(root, 'bin/proxima.mjs'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

const exitOf = (child: ChildProcess): Promise<{ code: number | null; signal: string | null; stderr: string }> =>
  new Promise((done) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code, signal) => done({ code, signal, stderr }));
  });

/** The runs as the API lists them (oldest first). */
async function runsOf(service: ApiService): Promise<{ id: number; status: string }[]> {
  const result = await service.handle('runs.list', { sort: { by: 'id', dir: 'asc' } });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { id: number; status: string }[];
}

/** Every update of a run, by step: exactly one per rollout, none lost or doubled. */
async function updateSteps(dbPath: string, runId: number): Promise<number[]> {
  const store = await openStore(dbPath);
  try {
    return Array.from((await readSeries(store, { runIds: [runId], keys: ['train/policy_loss'], maxPoints: 100_000 }))[0]?.x ?? []);
  } finally {
    await store.close();
  }
}

const everyRollout = Array.from({ length: BUDGET / ROLLOUT }, (_, i) => (i + 1) * ROLLOUT);
const random = createRng(20261201);

describe('proxima sweep stopped at a random moment', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('by %s: every run is resumable and resumes without a lost or doubled update', async (signal) => {
    const dir = mkdtempSync(join(tmpdir(), 'proxima-fault-'));
    const dbPath = join(dir, 'p.db');
    const cli = proxima(['sweep', specFile(dir, [1, 2]), '--concurrency', '2', '--db', dbPath]);
    const exited = exitOf(cli);
    const watcher = await openStore(dbPath);
    await expect.poll(async () => (await watcher.listRuns({})).total, { timeout: 60_000, interval: 100 }).toBe(2);
    const runIds = (await watcher.listRuns({ sort: { by: 'id', dir: 'asc' } })).runs.map((r) => r.id);
    await expect.poll(async () => (await watcher.listCheckpoints(runIds[0]!)).length, { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, Math.floor(random.random() * 1500)));
    cli.kill(signal);
    const exit = await exited;
    if (signal === 'SIGKILL') {
      expect(exit.signal).toBe('SIGKILL');
    } else {
      expect(exit.code).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(exit.stderr).toMatch(new RegExp(`proxima: stopped by ${signal}: runs ${runIds.join(', ')} are interrupted`));
    }
    expect(await watcher.checkIntegrity()).toEqual([]);
    const statuses = await Promise.all(runIds.map(async (id) => (await watcher.getRun(id))!.status));
    await watcher.close();
    // A clean stop marks its runs at once; after SIGKILL they stay `running` until the lease expires.
    // The signal came mid-training (each run takes several seconds here).
    expect(statuses).toEqual(signal === 'SIGKILL' ? ['running', 'running'] : ['interrupted', 'interrupted']);

    for (const runId of runIds) {
      // `resume` reclaims an expired lease itself; before expiry it is refused with the owner named.
      const deadline = Date.now() + 10_000;
      let resumed = spawnSync(process.execPath, [join(root, 'bin/proxima.mjs'), 'resume', String(runId), '--db', dbPath], { env, encoding: 'utf8', timeout: 120_000 });
      while (resumed.status !== 0 && /cannot be resumed while its owner is alive/.test(resumed.stderr) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 300));
        resumed = spawnSync(process.execPath, [join(root, 'bin/proxima.mjs'), 'resume', String(runId), '--db', dbPath], { env, encoding: 'utf8', timeout: 120_000 });
      }
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(await updateSteps(dbPath, runId)).toEqual(everyRollout);
    }
  }, 240_000);
});

describe('a CLI and web mode on one database', () => {
  it('never reclaims the live run of the other, nor starts its queued runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxima-fault-'));
    const dbPath = join(dir, 'p.db');
    // Three runs, one at a time: one trains while two wait in the CLI's queue.
    const cli = proxima(['sweep', specFile(dir, [1, 2, 3]), '--concurrency', '1', '--db', dbPath]);
    const exited = exitOf(cli);
    const web = new ApiService({ host: 'web', store: await openStore(dbPath), launcher: nodeTrainerLauncher(), concurrency: 2 });
    await expect.poll(async () => (await runsOf(web)).some((r) => r.status === 'running'), { timeout: 60_000, interval: 100 }).toBe(true);
    await web.start();
    // Resuming the CLI's live run from the web host is refused, naming its owner.
    const running = (await runsOf(web)).find((r) => r.status === 'running')!;
    const refused = await web.handle('runs.resume', { runId: running.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/is running on pid \d+ on .+: it cannot be resumed while its owner is alive/) } });
    // Several lease periods with the web host reclaiming: the CLI's runs stay its own.
    for (let i = 0; i < 6; i++) {
      expect(await web.queue.reclaim()).toEqual([]);
      const runs = await runsOf(web);
      expect(runs.filter((r) => r.status === 'interrupted')).toEqual([]);
      expect(web.queue.state().running).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect((await exited).code).toBe(0);
    const runs = await runsOf(web);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    for (const run of runs) expect(await updateSteps(dbPath, run.id)).toEqual(everyRollout);
    await web.close();
  }, 240_000);
});
