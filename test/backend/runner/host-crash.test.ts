import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';
import { readSeries } from '../../../src/backend/analysis/series';

const root = resolve(import.meta.dirname, '../../..');

describe('a host killed mid-sweep (real trainers)', () => {
  it('leaves a sound database whose runs are found interrupted and resume to completion', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'proxima-host-')), 'p.db');
    const sweep = {
      name: 'crash',
      env: 'CartPole-v1',
      preset: 'zoo',
      seeds: [1, 2],
      overrides: { totalTimesteps: 16_384, nEnvs: 2, nSteps: 128, batchSize: 128, nEpochs: 4, checkpointFreq: 2048, evalFreq: 0, finalEvalEpisodes: 3, backend: 'cpu' },
    };
    const host = spawn(process.execPath, [join(root, 'bin/run-ts.mjs'), join(root, 'test/support/host.ts'), dbPath, JSON.stringify(sweep)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      // A short lease, so the dead host's runs are reclaimable a second after it dies.
      env: { ...process.env, PROXIMA_LEASE_SECONDS: '1' },
    });
    const runIds = await new Promise<number[]>((res, rej) => {
      host.stdout.setEncoding('utf8');
      host.stdout.on('data', (line: string) => {
        const m = /launched ([\d,]+)/.exec(line);
        if (m?.[1]) res(m[1].split(',').map(Number));
      });
      host.once('exit', (code) => rej(new Error(`host exited early with ${code}`)));
    });

    // Watch the database from outside until the first run has a checkpoint, then kill the host without warning.
    const watcher = await openStore(dbPath);
    await expect
      .poll(async () => (await watcher.listCheckpoints(runIds[0] as number)).length, { timeout: 120_000, interval: 200 })
      .toBeGreaterThan(0);
    const exited = new Promise((r) => host.once('exit', r));
    host.kill('SIGKILL');
    await exited;
    expect(await watcher.checkIntegrity()).toEqual([]);
    const before = await watcher.getRun(runIds[0] as number);
    expect(before?.status).toBe('running');
    await watcher.close();

    // The next host finds the runs interrupted and resumes one to completion from its checkpoint.
    const store = await openStore(dbPath);
    const service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: 1 });
    service.queue.pause();
    // Its lease has not expired yet: nothing is reclaimed until it has; then both runs are.
    expect(await service.queue.reclaim()).toEqual([]);
    const reclaimed: number[] = [];
    await expect.poll(async () => reclaimed.push(...(await service.queue.reclaim())) && reclaimed.length, { timeout: 10_000, interval: 200 }).toBe(2);
    expect(reclaimed.sort()).toEqual([...runIds].sort());
    expect((await store.getRun(runIds[0] as number))?.error).toMatch(/^its host \(pid \d+ on .+\) stopped renewing its lease while it was training; last heartbeat /);
    const resumed = await service.handle('runs.resume', { runId: runIds[0] });
    expect(resumed.ok).toBe(true);
    await service.queue.runOnly([runIds[0] as number]);
    await expect.poll(async () => (await store.getRun(runIds[0] as number))?.status, { timeout: 180_000, interval: 250 }).toBe('completed');
    const done = await store.getRun(runIds[0] as number);
    expect(done?.stepsDone).toBeGreaterThanOrEqual(16_384);
    expect(done?.finalEval?.episodes).toBe(3);
    const steps = (await readSeries(store, { runIds: [runIds[0] as number], keys: ['train/policy_loss'], maxPoints: 100_000 }))[0]?.x;
    // One update per rollout of 256 steps, none lost or doubled across the crash.
    expect(Array.from(steps ?? [])).toEqual(Array.from({ length: 64 }, (_, i) => (i + 1) * 256));
    await service.close();
  });
});
