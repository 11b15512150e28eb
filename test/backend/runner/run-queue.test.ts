import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src/core/api/contract';
import { RunQueue } from '../../../src/backend/runner/run-queue';
import { openStore } from '../../../src/backend/store/open-store';
import type { ExperimentStore, RunRow } from '../../../src/backend/store/types';
import { fakeTrainerLauncher } from '../../support/fake-launcher';
import { readSeries } from '../../../src/backend/analysis/series';

const stores: ExperimentStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
});

async function freshStore(path = join(mkdtempSync(join(tmpdir(), 'proxima-queue-')), 'p.db')): Promise<ExperimentStore> {
  const store = await openStore(path);
  stores.push(store);
  return store;
}

/** Queues runs owned by `queue` (registered as a live owner first), as the API does when a user launches them. */
async function queueRuns(store: ExperimentStore, queue: RunQueue, configs: Record<string, unknown>[]): Promise<RunRow[]> {
  await queue.start();
  return store.createRuns(
    configs.map((config, i) => ({
      envId: 'CartPole-v1',
      seed: i,
      objective: 'clip',
      config: { totalTimesteps: 1000, ...config },
      totalTimesteps: 1000,
      ownerId: queue.owner.id,
    })),
  );
}

const episodes = async (store: ExperimentStore, runId: number): Promise<number> =>
  (await readSeries(store, { runIds: [runId], keys: ['rollout/ep_return'], maxPoints: 100_000 }))[0]?.y.length ?? 0;

describe('RunQueue', () => {
  it('runs trials in parallel and isolates failures: a throw, NaN losses and the others complete', async () => {
    const store = await freshStore();
    const events: ApiEvent[] = [];
    const queue = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 2, emit: (e) => events.push(e) });
    const runs = await queueRuns(store, queue, [{ script: 'ok' }, { script: 'throw' }, { script: 'nan' }, { script: 'ok' }, { script: 'nan-ev' }]);
    await queue.pump();
    await queue.idle();
    const [ok1, thrown, nan, ok2, nanEv] = await Promise.all(runs.map((r) => store.getRun(r.id)));
    expect(nanEv?.status).toBe('completed');
    expect(ok1?.status).toBe('completed');
    expect(ok1?.finalEval).toEqual({ mean: 42, std: 1, episodes: 2 });
    expect(ok1?.stepsDone).toBe(1000);
    expect(ok2?.status).toBe('completed');
    expect(thrown?.status).toBe('failed');
    expect(thrown?.error).toMatch(/scripted failure/);
    expect(nan?.status).toBe('failed');
    expect(nan?.error).toMatch(/train\/policy_loss became NaN .*diverged/);
    // Two episodes per update, both kept although they share a step.
    expect(await episodes(store, runs[0]!.id)).toBe(20);
    expect((await store.listCheckpoints(runs[0]!.id)).map((c) => c.step)).toEqual([500]);
    expect(events.some((e) => e.type === 'run.progress')).toBe(true);
    expect(events.filter((e) => e.type === 'run.status' && e.status === 'running')).toHaveLength(5);
    await queue.close();
  });

  it('logs a tfjs backend that failed its check as a warning (log and event) and stores the backend really used', async () => {
    const store = await freshStore();
    const events: ApiEvent[] = [];
    const logs: string[] = [];
    const queue = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 1, emit: (e) => events.push(e), log: (_, l) => logs.push(l) });
    const [run] = await queueRuns(store, queue, [{ script: 'backend-fallback' }]);
    await queue.pump();
    await queue.idle();
    const row = await store.getRun(run!.id);
    expect(row?.status).toBe('completed');
    expect(row?.backend).toBe('wasm');
    const warning = 'tfjs backend tfjs-node failed its check and was not used: (0 , util_1.isNullOrUndefined) is not a function';
    expect(logs).toContain(`warning: ${warning}`);
    expect(logs).toContain('training on tfjs backend wasm (calibration, ms per update: wasm 1.50)');
    expect(events).toContainEqual({ type: 'run.log', runId: run!.id, level: 'warn', line: warning });
    await queue.close();
  });

  it('fails a SIGKILLed trainer with the reason, keeps flushed metrics and a sound database', async () => {
    const store = await freshStore();
    const launcher = fakeTrainerLauncher();
    const progress: number[] = [];
    const queue = new RunQueue({
      store,
      launcher,
      concurrency: 2,
      emit: (e) => e.type === 'run.metrics' && progress.push(e.runId),
      flushIntervalMs: 20,
    });
    const [hang, ok] = await queueRuns(store, queue, [{ script: 'hang', updates: 3 }, { script: 'ok' }]);
    await queue.pump();
    await expect.poll(() => progress.includes(hang!.id), { timeout: 20_000 }).toBe(true);
    const flushed = await episodes(store, hang!.id);
    expect(flushed).toBeGreaterThan(0);
    process.kill(launcher.pids[0] as number, 'SIGKILL');
    await queue.idle();
    const killed = await store.getRun(hang!.id);
    expect(killed?.status).toBe('failed');
    expect(killed?.error).toMatch(/killed by SIGKILL/);
    expect(await episodes(store, hang!.id)).toBeGreaterThanOrEqual(flushed);
    expect((await store.getRun(ok!.id))?.status).toBe('completed');
    expect(await store.checkIntegrity()).toEqual([]);
    await queue.close();
  });

  it('reports a trainer that runs out of memory', async () => {
    const store = await freshStore();
    const queue = new RunQueue({ store, launcher: fakeTrainerLauncher(['--max-old-space-size=48']), concurrency: 1, emit: () => undefined });
    const [run] = await queueRuns(store, queue, [{ script: 'oom' }]);
    await queue.pump();
    await queue.idle();
    const row = await store.getRun(run!.id);
    expect(row?.status).toBe('failed');
    expect(row?.error).toMatch(/out of memory/);
    await queue.close();
  });

  it('cancels running and queued runs', async () => {
    const store = await freshStore();
    const queue = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 1, emit: () => undefined });
    const [running, waiting] = await queueRuns(store, queue, [{ script: 'hang' }, { script: 'ok' }]);
    await queue.pump();
    await expect.poll(() => queue.isActive(running!.id)).toBe(true);
    expect(await queue.cancel(waiting!.id)).toBe(true);
    expect((await store.getRun(waiting!.id))?.status).toBe('cancelled');
    expect(await queue.cancel(running!.id)).toBe(true);
    expect((await store.getRun(running!.id))?.status).toBe('cancelled');
    expect(await queue.cancel(running!.id)).toBe(false);
    await queue.close();
  });

  it('pauses and resumes the queue', async () => {
    const store = await freshStore();
    const queue = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 2, emit: () => undefined });
    queue.pause();
    const [run] = await queueRuns(store, queue, [{ script: 'ok' }]);
    await queue.pump();
    expect(queue.state()).toMatchObject({ paused: true, running: 0, queued: 1 });
    await queue.resume();
    await queue.idle();
    expect((await store.getRun(run!.id))?.status).toBe('completed');
    await queue.close();
  });

  it('marks the runs of a host that stopped as interrupted, with the reason, and resumes them from the last checkpoint', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'proxima-queue-')), 'p.db');
    const store = await openStore(path);
    const first = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 1, emit: () => undefined, flushIntervalMs: 20 });
    const [run, waiting] = await queueRuns(store, first, [{ script: 'ok', updates: 10, delayMs: 300 }, { script: 'ok' }]);
    await first.pump();
    await expect.poll(async () => (await store.listCheckpoints(run!.id)).length, { timeout: 20_000 }).toBe(1);
    await first.close();
    const stopped = await store.getRun(run!.id);
    expect(stopped?.status).toBe('interrupted');
    expect(stopped?.error).toMatch(new RegExp(`^its host \\(pid ${process.pid} on .+\\) stopped while it was training$`));
    // The run it had queued but not started does not start by itself anywhere: it waits for a user.
    expect(await store.getRun(waiting!.id)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/^not started: its host .* stopped first$/) });
    expect(await store.getOwner(first.owner.id)).toBeNull();
    await store.close();

    const reopened = await freshStore(path);
    const second = new RunQueue({ store: reopened, launcher: fakeTrainerLauncher(), concurrency: 1, emit: () => undefined });
    await second.start();
    await second.pump();
    expect((await reopened.getRun(run!.id))?.status).toBe('interrupted');
    // A user resumes it here: this queue owns it now.
    await reopened.updateRun(run!.id, { status: 'queued', ownerId: second.owner.id });
    await second.pump();
    await second.idle();
    const done = await reopened.getRun(run!.id);
    expect(done?.status).toBe('completed');
    // Resumed from step 500: updates after the checkpoint were dropped and rewritten, none doubled.
    const steps = (await readSeries(reopened, { runIds: [run!.id], keys: ['train/policy_loss'], maxPoints: 1000 }))[0]!.x;
    expect(Array.from(steps)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    await second.close();
  });

  it('resumes a run stopped before its first checkpoint from the beginning, with every update once', async () => {
    const store = await freshStore();
    const first = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 1, emit: () => undefined, flushIntervalMs: 20 });
    const [run] = await queueRuns(store, first, [{ script: 'ok', updates: 10, delayMs: 300 }]);
    await first.pump();
    const lossSteps = async (): Promise<number[]> =>
      Array.from((await readSeries(store, { runIds: [run!.id], keys: ['train/policy_loss'], maxPoints: 1000 }))[0]?.x ?? []);
    await expect.poll(async () => (await lossSteps()).length, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(2);
    await first.close();
    expect(await store.listCheckpoints(run!.id)).toEqual([]);
    expect((await store.getRun(run!.id))?.status).toBe('interrupted');

    const second = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 1, emit: () => undefined });
    await second.start();
    await store.updateRun(run!.id, { status: 'queued', ownerId: second.owner.id });
    await second.pump();
    await second.idle();
    expect((await store.getRun(run!.id))?.status).toBe('completed');
    expect(await lossSteps()).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    await second.close();
  });

  it('reclaims only runs whose owner lease expired; a live owner is never touched and is not started elsewhere', async () => {
    const store = await freshStore();
    const live = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 1, emit: () => undefined, leaseMs: 60_000 });
    await live.start();
    const dead = { id: 'dead-owner', host: 'old-host', pid: 4242, startedAt: Date.UTC(2026, 11, 1) };
    await store.registerOwner(dead, 1);
    const base = { envId: 'CartPole-v1', objective: 'clip', config: {}, totalTimesteps: 1000 };
    const [deadRunning, deadQueued, liveRunning, liveQueued, legacy] = await store.createRuns([
      { ...base, seed: 1, status: 'running', ownerId: dead.id },
      { ...base, seed: 2, status: 'queued', ownerId: dead.id },
      { ...base, seed: 3, status: 'running', ownerId: live.owner.id },
      { ...base, seed: 4, status: 'queued', ownerId: live.owner.id },
      { ...base, seed: 5, status: 'running' },
    ]);
    await new Promise((r) => setTimeout(r, 5));
    const other = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 1, emit: () => undefined });
    expect((await other.reclaim()).sort()).toEqual([deadRunning!.id, deadQueued!.id, legacy!.id].sort());
    expect((await store.getRun(deadRunning!.id))?.error).toMatch(
      /^its host \(pid 4242 on old-host, started 2026-12-01T00:00:00\.000Z\) stopped renewing its lease while it was training; last heartbeat 20\d\d-\d\d-\d\dT[\d:.]+Z$/,
    );
    expect((await store.getRun(deadQueued!.id))?.error).toMatch(/^not started: its host \(pid 4242 on old-host/);
    expect((await store.getRun(legacy!.id))?.error).toBe('its host stopped renewing its lease while it was training (no live lease)');
    expect((await store.getRun(liveRunning!.id))?.status).toBe('running');
    expect(await store.getOwner(dead.id)).toBeNull();
    // Another queue does not start a live owner's queued run, nor can it claim it.
    await other.start();
    await other.pump();
    expect((await store.getRun(liveQueued!.id))?.status).toBe('queued');
    expect(await store.claimRun(liveQueued!.id, other.owner.id)).toBe(false);
    await other.close();
    await live.close();
  });

  it('does not spin on a run it cannot claim (its own lease lapsed); it starts it once the lease is renewed', async () => {
    const store = await freshStore();
    const queue = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 1, emit: () => undefined, leaseMs: 60_000 });
    const [run] = await queueRuns(store, queue, [{ script: 'ok' }]);
    await store.registerOwner(queue.owner, 1); // as if this host had stalled past its lease
    await new Promise((r) => setTimeout(r, 5));
    await queue.pump(); // resolves: one claim attempt, no busy loop
    expect((await store.getRun(run!.id))?.status).toBe('queued');
    await store.registerOwner(queue.owner, 60_000); // the next heartbeat
    await queue.pump();
    await queue.idle();
    expect((await store.getRun(run!.id))?.status).toBe('completed');
    await queue.close();
  });

  it('loses no writes when several trainers finish at once', async () => {
    const store = await freshStore();
    const logs: string[] = [];
    const queue = new RunQueue({ store, launcher: fakeTrainerLauncher(), concurrency: 3, emit: () => undefined, log: (_, l) => logs.push(l), flushIntervalMs: 1 });
    const runs = await queueRuns(store, queue, Array.from({ length: 6 }, () => ({ script: 'ok', updates: 20, delayMs: 1 })));
    await queue.pump();
    await queue.idle();
    for (const run of runs) {
      expect((await store.getRun(run.id))?.status).toBe('completed');
      expect(await episodes(store, run.id)).toBe(40);
    }
    expect(logs.filter((l) => /failed|BUSY/i.test(l))).toEqual([]);
    await queue.close();
  });
});
