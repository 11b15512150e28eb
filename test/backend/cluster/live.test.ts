/**
 * The app's side of a cluster, against a real PostgreSQL and real `proxima worker` processes (fake trainer):
 * (h) the workers' run events reach an ApiService on the same store (the NOTIFY path), each `run.metrics` after its
 *     points are readable, and runs.cancel / sweeps.cancel through the API stop a running trial and a queued one;
 * (i) SIGTERM drains a worker: its trainer checkpoints the step it reached (not only the last periodic checkpoint),
 *     and the next worker resumes from that step with no update lost or doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src/core/api/contract';
import { ApiService } from '../../../src/backend/api/service';
import { enqueueSweep, startBoss } from '../../../src/backend/cluster/trial-queue';
import { PostgresStore } from '../../../src/backend/store/postgres-store';
import type { NewRun } from '../../../src/backend/store/types';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';
import { describeOnPostgres } from '../../support/postgres';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const proximaBin = join(root, 'bin/proxima.mjs');
const fakeTrainer = join(root, 'test/support/fake-trainer.ts');
const TOTAL = 4000;
const UPDATES = 40;
const CHECKPOINT_EVERY = 8;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeOnPostgres('cluster runs in the app: live events, cancel, drain', (server) => {
  const children: { child: ChildProcess; exited: Promise<number | null>; output: () => string }[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const p of children.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
    for (const close of closers.splice(0)) await close();
  });

  function worker(url: string, name: string): (typeof children)[number] {
    const child = spawn(process.execPath, [proximaBin, 'worker', '--store', url, '--concurrency', '1', '--name', name], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PGPASSWORD: server().password,
        PROXIMA_LEASE_SECONDS: '4',
        PROXIMA_TRAINER_ENTRY: fakeTrainer,
        PROXIMA_FAKE_UPDATES: String(UPDATES),
        PROXIMA_FAKE_CHECKPOINT_EVERY: String(CHECKPOINT_EVERY),
        PROXIMA_FAKE_DELAY_MS: '150',
      },
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const proc = { child, output: () => out, exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
    children.push(proc);
    return proc;
  }

  async function open(url: string): Promise<PostgresStore> {
    const store = await PostgresStore.open(url);
    closers.push(() => store.close());
    return store;
  }

  /** Enqueues `seeds.length` trials of a CartPole config into the cluster. */
  async function enqueue(store: PostgresStore, url: string, seeds: number[]): Promise<number[]> {
    const boss = await startBoss(url, { supervise: false });
    try {
      const runs: NewRun[] = seeds.map((seed) => ({ sweepId: null, envId: 'CartPole-v1', seed, objective: 'clip', config: { envId: 'CartPole-v1', seed, totalTimesteps: TOTAL }, totalTimesteps: TOTAL, ownerId: null }));
      return (await enqueueSweep(store, boss, { name: 'live', envId: 'CartPole-v1', spec: {} }, runs)).runIds;
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
  }

  async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  it('(h) run events of a remote worker reach the app within a second; runs.cancel and sweeps.cancel reach the cluster', async () => {
    const url = await server().createDatabase();
    const store = await open(url);
    const service = new ApiService({ host: 'web', store: await PostgresStore.open(url), launcher: nodeTrainerLauncher() });
    await service.start();
    closers.push(() => service.close());
    const events: { at: number; event: ApiEvent }[] = [];
    service.subscribe((event) => events.push({ at: Date.now(), event }));
    const [first, second, third] = await enqueue(store, url, [0, 1, 2]);
    worker(url, 'w1');

    // Metrics events arrive while it trains, each after its points are stored.
    await until('three metrics events of the first trial', () => events.filter((e) => e.event.type === 'run.metrics' && e.event.runId === first).length >= 3);
    const metrics = events.filter((e) => e.event.type === 'run.metrics' && e.event.runId === first).map((e) => e.event as Extract<ApiEvent, { type: 'run.metrics' }>);
    expect(metrics[0]!.keys).toContain('train/policy_loss');
    const steps = metrics.map((m) => m.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    const [series] = await store.readMetrics({ runIds: [first!], keys: ['train/policy_loss'] });
    expect(Math.max(...series!.steps)).toBeGreaterThanOrEqual(steps.at(-1)!);
    expect(events.some((e) => e.event.type === 'run.status' && e.event.runId === first && e.event.status === 'running')).toBe(true);
    expect(events.some((e) => e.event.type === 'run.progress' && e.event.runId === first)).toBe(true);
    // Delay: the last step the store holds is announced within a second of being written (flush 250 ms + publish 250 ms).
    const seenAt = Date.now();
    const held = Math.max(...(await store.readMetrics({ runIds: [first!], keys: ['train/policy_loss'] }))[0]!.steps);
    await until(`a metrics event at step ≥ ${held}`, () => events.some((e) => e.event.type === 'run.metrics' && e.event.runId === first && e.event.step >= held), 2_000);
    expect(events.find((e) => e.event.type === 'run.metrics' && e.event.runId === first && e.event.step >= held)!.at - seenAt).toBeLessThan(1_000);

    // Cancel the running trial from the API: the worker stops it within seconds, and the app hears of it.
    const asked = Date.now();
    expect(await service.handle('runs.cancel', { runId: first })).toEqual({ ok: true, value: { ok: true } });
    await until('the cancelled status event', () => events.some((e) => e.event.type === 'run.status' && e.event.runId === first && e.event.status === 'cancelled'), 10_000);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect((await store.getRun(first!))!.status).toBe('cancelled');

    // sweeps.cancel: the next trial (now running) and the queued one.
    await until('the second trial running', async () => (await store.getRun(second!))!.status === 'running');
    const sweepId = (await store.getRun(second!))!.sweepId!;
    expect(await service.handle('sweeps.cancel', { sweepId })).toEqual({ ok: true, value: { cancelled: 2 } });
    expect((await store.getRun(third!))!.status).toBe('cancelled');
    await until('the second trial cancelled', async () => (await store.getRun(second!))!.status === 'cancelled', 10_000);
    // A run that is neither queued nor running cannot be cancelled (conflict), cluster or not.
    const again = await service.handle('runs.cancel', { runId: first });
    expect(again.ok ? null : again.error.code).toBe('conflict');
  }, 90_000);

  it('(i) SIGTERM drains a worker with a fresh checkpoint; the next worker resumes from its step', async () => {
    const url = await server().createDatabase();
    const store = await open(url);
    const [runId] = await enqueue(store, url, [0]);
    const first = worker(url, 'w1');
    const periodic = (TOTAL / UPDATES) * CHECKPOINT_EVERY;
    // Mid-trial, between two periodic checkpoints.
    await until('the trial between periodic checkpoints', async () => {
      const steps = (await store.getRun(runId!))!.stepsDone;
      return steps > periodic && steps % periodic >= 2 * (TOTAL / UPDATES) && steps % periodic <= periodic - 2 * (TOTAL / UPDATES);
    });
    const reachedBefore = (await store.getRun(runId!))!.stepsDone;
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output()).toBe(0);
    const drained = (await store.getCheckpoint(runId!))!.step;
    expect(drained).toBeGreaterThanOrEqual(reachedBefore);
    expect(drained % periodic).not.toBe(0);
    const row = (await store.getRun(runId!))!;
    expect(row.status).toBe('queued');

    const next = worker(url, 'w2');
    await until('the trial completed', async () => (await store.getRun(runId!))!.status === 'completed', 30_000);
    expect(next.output()).toContain(`run ${runId}: resuming from the checkpoint at step ${drained}`);
    // No update lost or doubled: the steps are the schedule exactly.
    const [series] = await store.readMetrics({ runIds: [runId!], keys: ['train/policy_loss'] });
    expect(series!.steps).toEqual(Array.from({ length: UPDATES }, (_, i) => Math.round((TOTAL * (i + 1)) / UPDATES)));
  }, 90_000);
});
