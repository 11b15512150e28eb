/**
 * Fencing on a real PostgreSQL: two workers claim one trial in turn (the first's lease expired and the second's
 * reclaim requeued it); every write of the stale holder — metrics batch, checkpoint, status — is refused in its own
 * statement with LeaseLostError, and the new owner's data stays exactly as it wrote it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PgBoss } from 'pg-boss';
import { enqueueSweep, startBoss, TRIAL_QUEUE, type TrialJobData } from '../../../src/backend/cluster/trial-queue';
import { WorkerStore } from '../../../src/backend/cluster/worker-store';
import { newOwner } from '../../../src/backend/runner/run-queue';
import { PostgresStore } from '../../../src/backend/store/postgres-store';
import { LeaseLostError } from '../../../src/backend/store/types';
import { describeOnPostgres } from '../../support/postgres';
import { newRun } from '../store/helpers';

describeOnPostgres('cluster fencing', (server) => {
  let store: PostgresStore;
  let boss: PgBoss;
  beforeAll(async () => {
    const url = await server().createDatabase();
    store = await PostgresStore.open(url);
    boss = await startBoss(url, { supervise: false });
  }, 60_000);
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    await store?.close();
  });

  /** Fetches the next job and gives its run to `worker`. */
  async function take(worker: WorkerStore): Promise<number> {
    const [job] = await boss.fetch<TrialJobData>(TRIAL_QUEUE, { includeMetadata: true });
    expect(job).toBeDefined();
    expect(await worker.assign(job.data.runId, { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit })).toBe(true);
    return job.data.runId;
  }

  it('refuses every write of a worker whose claim was superseded, and leaves the new owner\'s data alone', async () => {
    const { runIds } = await enqueueSweep(store, boss, { name: 'fence', envId: 'CartPole-v1', spec: {} }, [newRun(1)]);
    const [ownerA, ownerB] = [newOwner(), newOwner()];
    const a = new WorkerStore(store, boss, ownerA.id);
    const b = new WorkerStore(store, boss, ownerB.id);
    await store.registerOwner(ownerA, 60_000);
    const runId = await take(a);
    expect(runId).toBe(runIds[0]);
    expect(await a.claimRun(runId, ownerA.id)).toBe(true);
    const epochA = a.epochOf(runId)!;
    await a.appendMetrics([{ runId, step: 1, values: { 'train/loss': 1 } }]);
    await a.saveCheckpoint({ runId, step: 1, weights: new Uint8Array([1]) });

    // A's lease expires (a stopped process): B's reclaim requeues the trial under a new job, B claims it.
    await store.registerOwner(ownerA, -1);
    await store.registerOwner(ownerB, 60_000);
    const requeued = await b.reclaimExpired();
    expect(requeued.map((r) => r.runId)).toContain(runId);
    expect((await store.getRun(runId))!.status).toBe('queued');
    expect(await take(b)).toBe(runId);
    expect(await b.claimRun(runId, ownerB.id)).toBe(true);
    expect(b.epochOf(runId)!).toBeGreaterThan(epochA);
    await b.deleteMetricsAfter(runId, 1);
    await b.appendMetrics([{ runId, step: 2, values: { 'train/loss': 2 } }]);
    await b.saveCheckpoint({ runId, step: 2, weights: new Uint8Array([2]) });

    // A comes back: each of its writes is refused, and nothing of B's changes.
    await expect(a.appendMetrics([{ runId, step: 2, values: { 'train/loss': 99 } }, { runId, step: 3, values: { 'train/loss': 99 } }])).rejects.toBeInstanceOf(LeaseLostError);
    await expect(a.saveCheckpoint({ runId, step: 2, weights: new Uint8Array([99]) })).rejects.toBeInstanceOf(LeaseLostError);
    await expect(a.deleteCheckpoints(runId, [2])).rejects.toBeInstanceOf(LeaseLostError);
    await expect(a.deleteMetricsAfter(runId, 0)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(a.updateRun(runId, { stepsDone: 999 })).rejects.toBeInstanceOf(LeaseLostError);
    await expect(a.updateRun(runId, { status: 'completed', finishedAt: Date.now() })).rejects.toBeInstanceOf(LeaseLostError);

    const [series] = await store.readMetrics({ runIds: [runId], keys: ['train/loss'] });
    expect(series.steps).toEqual([1, 2]);
    expect(series.values).toEqual([1, 2]);
    const checkpoint = await store.getCheckpoint(runId);
    expect(checkpoint?.step).toBe(2);
    expect([...checkpoint!.weights]).toEqual([2]);
    const row = (await store.getRun(runId))!;
    expect(row.status).toBe('running');
    expect(row.ownerId).toBe(ownerB.id);
    expect(row.stepsDone).not.toBe(999);

    // B finishes: its final status and the job's completion commit together.
    await b.updateRun(runId, { status: 'completed', finishedAt: Date.now() });
    expect((await store.getRun(runId))!.status).toBe('completed');
    const [{ job_id: jobId }] = (await store.run<{ job_id: string }>('SELECT job_id FROM runs WHERE id = ?', [runId])).rows;
    expect((await boss.getJobById(TRIAL_QUEUE, jobId))?.state).toBe('completed');
  }, 60_000);
});
