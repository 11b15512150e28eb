import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSeries } from '../../src/backend/analysis/series';
import { RunQueue } from '../../src/backend/runner/run-queue';
import { openStore } from '../../src/backend/store/open-store';
import type { ExperimentStore } from '../../src/backend/store/types';
import { fakeTrainerLauncher } from '../support/fake-launcher';

/** An SQLite "database or disk is full" error, as better-sqlite3 throws it. */
function diskFull(): Error {
  return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
}

/** `store` whose method `name` starts failing with SQLITE_FULL after `okCalls` calls. */
function failingAfter<K extends keyof ExperimentStore>(store: ExperimentStore, name: K, okCalls: number): ExperimentStore {
  let calls = 0;
  const original = (store[name] as (...args: unknown[]) => Promise<unknown>).bind(store);
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== name) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return (...args: unknown[]) => (++calls > okCalls ? Promise.reject(diskFull()) : original(...args));
    },
  });
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

async function freshStore(): Promise<ExperimentStore> {
  return openStore(join(mkdtempSync(join(tmpdir(), 'proxima-full-')), 'p.db'));
}

describe('a store write that fails (disk full) in the queue', () => {
  it('fails the run with the reason, never completes it with missing updates, and stops launching', async () => {
    const real = await freshStore();
    const store = failingAfter(real, 'appendMetrics', 2);
    const queue = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 1, emit: () => undefined, flushIntervalMs: 20 });
    await queue.start();
    const base = { envId: 'CartPole-v1', objective: 'clip', totalTimesteps: 1000, ownerId: queue.owner.id };
    const [first, second] = await real.createRuns([
      { ...base, seed: 1, config: { script: 'ok', updates: 10, delayMs: 40 } },
      { ...base, seed: 2, config: { script: 'ok' } },
    ]);
    await queue.pump();
    await queue.idle();
    const failed = await real.getRun(first!.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/^disk full while writing metrics at step \d+$/);
    expect(failed?.finalEval).toBeNull();
    // The queue says why it stopped, and does not start the next run.
    expect(queue.state().halted).toMatch(/^stopped launching runs: run \d+: disk full while writing metrics at step \d+$/);
    expect((await real.getRun(second!.id))?.status).toBe('queued');
    // What was stored stays readable.
    const steps = (await readSeries(real, { runIds: [first!.id], keys: ['train/policy_loss'], maxPoints: 1000 }))[0]?.x ?? [];
    expect(steps.length).toBeGreaterThan(0);
    expect(await real.checkIntegrity()).toEqual([]);
    // Resuming the queue (the disk was freed) clears the halt.
    expect((await queue.resume()).halted).toBeNull();
    await queue.idle();
    expect((await real.getRun(second!.id))?.status).toBe('failed'); // the store still fails here
    await queue.close().catch(() => undefined);
    await real.close();
    expect(unhandled).toEqual([]);
  });

  it('never lets a failed write in the start path escape as an unhandled rejection', async () => {
    const real = await freshStore();
    const store = failingAfter(real, 'updateRun', 0);
    const queue = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 2, emit: () => undefined });
    await queue.start();
    await real.createRuns([{ envId: 'CartPole-v1', objective: 'clip', totalTimesteps: 1000, seed: 1, config: {}, ownerId: queue.owner.id }]);
    await expect(queue.pump()).resolves.toBeUndefined();
    expect(queue.state()).toMatchObject({ running: 0, halted: 'stopped launching runs: could not start a run: disk full' });
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
    await queue.close().catch(() => undefined);
    await real.close();
  });
});

/** A real small filesystem (tmpfs; we run as root here and in CI), or null with the reason it cannot be had. */
function smallDisk(bytes: number): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'proxima-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) return `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || '').trim()})`;
  return { dir, unmount: () => void spawnSync('umount', [dir]) };
}

const root = resolve(import.meta.dirname, '../..');
const disk = smallDisk(1_536 * 1024);
if (typeof disk === 'string' && process.env['CI']) throw new Error(`the disk-full test must run in CI: ${disk}`);

describe.skipIf(typeof disk === 'string')(`proxima sweep on a full disk (a 1.5 MB tmpfs)${typeof disk === 'string' ? ` — skipped: ${disk}` : ''}`, () => {
  afterAll(() => {
    if (typeof disk !== 'string') disk.unmount();
  });

  it('exits with one clear line, fails the affected run with its reason, and leaves a sound database', () => {
    const { dir } = disk as { dir: string };
    const spec = join(tmpdir(), `proxima-full-${process.pid}.json`);
    writeFileSync(spec, JSON.stringify({
      name: 'full', env: 'CartPole-v1', preset: 'zoo', seeds: [1, 2, 3],
      overrides: { totalTimesteps: 65_536, nEnvs: 2, nSteps: 128, batchSize: 128, nEpochs: 1, checkpointFreq: 2048, evalFreq: 0, finalEvalEpisodes: 2, backend: 'wasm' },
    }));
    const dbPath = join(dir, 'p.db');
    const r = spawnSync(process.execPath, [join(root, 'bin/proxima.mjs'), 'sweep', spec, '--concurrency', '1', '--db', dbPath], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('proxima:'));
    // Whichever write the disk refused first: metrics, a checkpoint, the backend, the start of the next run.
    expect(lines.at(-1), r.stderr).toMatch(/^proxima: stopped launching runs: (run \d+: disk full while writing .+|could not start a run: disk full)$/);
    expect(r.stderr).not.toMatch(/SqliteError|\n\s+at /); // no raw stack trace

    // Inspect a copy on a normal disk (the full one cannot take SQLite's journal).
    const copy = mkdtempSync(join(tmpdir(), 'proxima-full-copy-'));
    mkdirSync(copy, { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, join(copy, `p.db${suffix}`));
    rmSync(dbPath, { force: true });
    return (async () => {
      const store = await openStore(join(copy, 'p.db'));
      expect(await store.checkIntegrity()).toEqual([]);
      const { runs } = await store.listRuns({ sort: { by: 'id', dir: 'asc' } });
      const failed = runs.filter((x) => x.status === 'failed');
      expect(failed, r.stderr).toHaveLength(1);
      expect(failed[0]!.error).toMatch(/^disk full while (writing .+|starting the run)$/);
      // No run is `completed` with missing updates: a completed one has all 256 (65,536 steps / 256 per rollout).
      for (const run of runs.filter((x) => x.status === 'completed')) {
        const steps = (await readSeries(store, { runIds: [run.id], keys: ['train/policy_loss'], maxPoints: 100_000 }))[0]?.x ?? [];
        expect(steps.length).toBe(256);
      }
      expect(runs.filter((x) => x.status === 'running'), r.stderr).toEqual([]);
      await store.close();
    })();
  }, 240_000);
});
