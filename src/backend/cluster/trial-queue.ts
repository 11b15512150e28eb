/**
 * The cluster's trial queue: pg-boss (https://github.com/timgit/pg-boss) in the same PostgreSQL database as the
 * store, in its own schema `pgboss`. A trial is a run row (status `queued`, `job_id` set) plus one pg-boss job
 * `{ runId }` in queue `proxima-trials`; both are written in ONE transaction: pg-boss's `db` option runs its SQL on
 * the client of the store's transaction, so a trial and its job commit or roll back together.
 *
 * - Priorities and retries are pg-boss's (`priority`, `retryLimit`): a trial that fails is retried until its limit.
 * - Liveness is the store's owner lease (the reliability mechanism), not pg-boss's job expiry: a worker whose lease
 *   expires has its trials requeued (`requeue`: a new job, the old one cancelled) by any other worker's reclaim.
 * - Cancellation: a queued trial's job is cancelled with its run; a running trial is told through
 *   `NOTIFY proxima_cancel, '<runId>'`, which the worker training it LISTENs to.
 */
import { randomUUID } from 'node:crypto';
import { PgBoss, type Db, type JobInsert } from 'pg-boss';
import type pg from 'pg';
import type { PostgresStore } from '../store/postgres-store';
import { maskSecrets, urlPassword } from '../store/store-url';
import type { NewRun, NewSweep } from '../store/types';

export const TRIAL_QUEUE = 'proxima-trials';
export const CANCEL_CHANNEL = 'proxima_cancel';

/** What a trial's job carries. */
export interface TrialJobData {
  runId: number;
}

export interface TrialOptions {
  /** Higher runs first (pg-boss priority); default 0. */
  priority?: number;
  /** Failed attempts retried at most this many times; default 1. */
  retryLimit?: number;
}

/** A pg-boss `db` that runs its statements on this client (inside the caller's transaction). */
export function onClient(client: pg.ClientBase): Db {
  return { executeSql: (text: string, values?: unknown[]) => client.query(text, values) };
}

/**
 * pg-boss on the store's database, its queue created if missing. `supervise`: run pg-boss maintenance here
 * (workers do; a CLI that only enqueues does not). Errors of its background work go to `onError`, passwords masked.
 */
export async function startBoss(url: string, options: { supervise: boolean; onError?: (message: string) => void }): Promise<PgBoss> {
  const secrets = [urlPassword(url), process.env['PGPASSWORD'] ?? ''].filter((s) => s.length > 0);
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 3, application_name: 'proxima-queue', supervise: options.supervise, schedule: false });
  boss.on('error', (error: Error) => options.onError?.(maskSecrets(error.message, secrets)));
  await boss.start();
  // Expiry at pg-boss's maximum (24 h): liveness is the owner lease. A trial longer than that has its job expired and
  // retried, but the retry finds its run still running under a live owner, so it is settled as stale, not trained twice.
  await boss.createQueue(TRIAL_QUEUE, { retryLimit: 1, retryDelay: 1, expireInSeconds: 24 * 3600, deleteAfterSeconds: 7 * 24 * 3600 });
  return boss;
}

/** The job rows of these trials (a new id each, which the run row records). */
function jobsFor(runIds: readonly number[], options: TrialOptions): { ids: string[]; jobs: JobInsert<TrialJobData>[] } {
  const ids = runIds.map(() => randomUUID());
  const jobs = runIds.map((runId, i) => ({ id: ids[i], data: { runId }, priority: options.priority ?? 0, retryLimit: options.retryLimit ?? 1, retryDelay: 1 }));
  return { ids, jobs };
}

/** Records the jobs on their runs and inserts them into pg-boss, on `client` (inside its transaction). */
async function sendJobs(store: PostgresStore, boss: PgBoss, client: pg.ClientBase, runIds: readonly number[], options: TrialOptions): Promise<void> {
  if (runIds.length === 0) return;
  const { ids, jobs } = jobsFor(runIds, options);
  await store.run('UPDATE runs r SET job_id = u.job FROM unnest(?::int[], ?::text[]) AS u(id, job) WHERE r.id = u.id', [[...runIds], ids], client);
  await boss.insert(TRIAL_QUEUE, jobs, { db: onClient(client) });
}

/** Creates a sweep and its trials, queued into the cluster: the sweep, every run row and every job in one transaction. */
export async function enqueueSweep(store: PostgresStore, boss: PgBoss, sweep: NewSweep, runs: NewRun[], options: TrialOptions = {}): Promise<{ sweepId: number; runIds: number[] }> {
  return store.inTransaction(async (client) => {
    const { rows } = await store.run<{ id: number }>("INSERT INTO sweeps (name, env_id, spec, status, created_at) VALUES (?, ?, ?, 'running', ?) RETURNING id", [sweep.name, sweep.envId, JSON.stringify(sweep.spec), sweep.createdAt ?? Date.now()], client);
    const sweepId = rows[0].id;
    const runIds = await store.insertRuns(
      client,
      runs.map((r) => ({ ...r, sweepId, status: 'queued', ownerId: null })),
    );
    await sendJobs(store, boss, client, runIds, options);
    return { sweepId, runIds };
  });
}

/**
 * Puts trials back into the queue on `client` (inside the caller's transaction, after it fenced or locked their
 * rows): each gets a new job carrying what is left of its retries, its run becomes `queued` without an owner, and its
 * old job (held by a worker that stopped or lost its lease) is cancelled so it never runs again.
 */
export async function requeue(store: PostgresStore, boss: PgBoss, client: pg.ClientBase, trials: readonly { runId: number; jobId: string | null; reason: string }[]): Promise<void> {
  for (const trial of trials) {
    const old = trial.jobId === null ? null : await boss.getJobById<TrialJobData>(TRIAL_QUEUE, trial.jobId, { db: onClient(client) });
    const options: TrialOptions = { priority: old?.priority ?? 0, retryLimit: old ? Math.max(0, old.retryLimit - old.retryCount) : 1 };
    await store.run("UPDATE runs SET status = 'queued', owner_id = NULL, error = ?, finished_at = NULL, lease_epoch = lease_epoch + 1 WHERE id = ?", [trial.reason, trial.runId], client);
    await sendJobs(store, boss, client, [trial.runId], options);
    if (old && (old.state === 'active' || old.state === 'created' || old.state === 'retry')) await boss.cancel(TRIAL_QUEUE, old.id, { db: onClient(client) });
  }
}

/**
 * Cancels trials of the cluster: queued ones at once (run `cancelled`, job cancelled, in one transaction); running
 * ones by a NOTIFY to the worker training them, which stops the trainer and stores `cancelled`. Returns how many of
 * each there were, and the ids of both (runs that are not cluster trials, or already ended, are left out). The one
 * home of cluster cancels: `proxima cancel --store` and the API (runs.cancel, sweeps.cancel) call it.
 */
export async function cancelTrials(store: PostgresStore, boss: PgBoss, runIds: readonly number[]): Promise<{ queued: number; running: number; runIds: number[] }> {
  return store.inTransaction(async (client) => {
    const queued = await store.run<{ id: number; job_id: string }>(
      "UPDATE runs SET status = 'cancelled', finished_at = ? WHERE id = ANY(?::int[]) AND status IN ('queued', 'interrupted') AND job_id IS NOT NULL RETURNING id, job_id",
      [Date.now(), [...runIds]],
      client,
    );
    if (queued.rows.length > 0) await boss.cancel(TRIAL_QUEUE, queued.rows.map((r) => r.job_id), { db: onClient(client) });
    const running = await store.run<{ id: number }>("SELECT id, pg_notify(?, id::text) FROM runs WHERE id = ANY(?::int[]) AND status = 'running' AND job_id IS NOT NULL", [CANCEL_CHANNEL, [...runIds]], client);
    return { queued: queued.rows.length, running: running.rows.length, runIds: [...queued.rows, ...running.rows].map((r) => r.id) };
  });
}
