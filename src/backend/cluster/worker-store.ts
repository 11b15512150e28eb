/**
 * A cluster worker's view of the PostgreSQL store, handed to its RunQueue in place of the store itself: the same
 * repository, with every write the worker makes for a trial fenced by the `lease_epoch` it claimed the trial under.
 *
 * - `assign` takes a fetched job's run (owner = this worker, `queued`, epoch + 1); the RunQueue then claims it as
 *   for any run it owns (`claimRun`: `running`, epoch + 1), and from then on its metrics batches, checkpoints and
 *   status changes carry that epoch and are refused in the same statement (LeaseLostError, nothing written) once it
 *   moved on: the RunQueue then stops that trainer and writes nothing more for it.
 * - A final status settles the trial's pg-boss job in the same transaction as the fenced status write: `completed`
 *   completes it, `cancelled` cancels it, `failed` fails it (pg-boss retries it while its retry limit allows, and
 *   the run goes back to `queued` saying which attempt failed), `interrupted` (this worker stopping: SIGTERM) requeues
 *   the trial with a new job.
 * - `reclaimExpired` requeues the trials of workers whose lease expired (a killed or stopped process), then
 *   reclaims local runs as the plain store does.
 * - Writes that fail because the server is unreachable (a restart, a network cut) are retried with a growing delay
 *   for up to `retryForMs`: a metrics batch waits in its retrying write, so no buffered point is lost.
 */
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { patchAssignments, reclaimReason, type ReclaimRecord } from '../store/rows';
import type { PostgresStore } from '../store/postgres-store';
import {
  LeaseLostError,
  type ExperimentStore,
  type MetricSample,
  type NewCheckpoint,
  type RunPatch,
  type RunQuery,
  type RunRow,
} from '../store/types';
import { onClient, requeue, TRIAL_QUEUE } from './trial-queue';

/** The job attempt a worker holds for a run (as pg-boss `fetch` returned it). */
export interface HeldJob {
  id: string;
  retryCount: number;
  retryLimit: number;
}

/** Errors that mean "the server cannot be reached now" (worth retrying), not "the statement is wrong". */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P02', '57P03'].includes(code) || code.startsWith('08')) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(message);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class WorkerStore implements ExperimentStore {
  /** runId → the lease_epoch this worker holds it under. */
  private readonly epochs = new Map<number, number>();
  private readonly jobs = new Map<number, HeldJob>();

  constructor(
    readonly base: PostgresStore,
    private readonly boss: PgBoss,
    private readonly ownerId: string,
    private readonly retryForMs = 60_000,
    private readonly onRetry: (what: string, error: unknown) => void = () => undefined,
  ) {}

  get location(): string {
    return this.base.location;
  }

  get readOnly(): boolean {
    return this.base.readOnly;
  }

  /** Runs this worker holds a job for. */
  heldRuns(): number[] {
    return [...this.jobs.keys()];
  }

  /** The epoch this worker holds `runId` under, if it does. */
  epochOf(runId: number): number | undefined {
    return this.epochs.get(runId);
  }

  /** Forgets a run (its trial ended or was lost). */
  forget(runId: number): void {
    this.epochs.delete(runId);
    this.jobs.delete(runId);
  }

  /** `task`, retried while the server cannot be reached, for up to `retryForMs`. */
  private async retrying<T>(what: string, task: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryForMs;
    for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
      try {
        return await task();
      } catch (error) {
        if (!isConnectionError(error) || Date.now() + delay > deadline) throw error;
        this.onRetry(what, error);
        await sleep(delay);
      }
    }
  }

  /**
   * Takes the run of a fetched job: true when it is this worker's now (queued under this owner, its epoch moved on
   * so any earlier holder is fenced out); false when the job is stale (the run was requeued under a newer job, or
   * ended, or was cancelled), in which case the job is completed so it is never fetched again.
   */
  async assign(runId: number, job: HeldJob): Promise<boolean> {
    const { rows } = await this.retrying('taking a trial', () =>
      this.base.run<{ lease_epoch: number }>(
        "UPDATE runs SET owner_id = ?, status = 'queued', lease_epoch = lease_epoch + 1 WHERE id = ? AND job_id = ? AND status IN ('queued', 'interrupted') RETURNING lease_epoch",
        [this.ownerId, runId, job.id],
      ),
    );
    if (rows.length === 0) {
      await this.retrying('settling a stale job', () => this.boss.complete(TRIAL_QUEUE, job.id));
      return false;
    }
    this.epochs.set(runId, rows[0].lease_epoch);
    this.jobs.set(runId, job);
    return true;
  }

  /** A fenced transaction on this run: `fn` gets the client and the epoch; LeaseLostError when it is not held. */
  private fencedTransaction<T>(runId: number, fn: (client: pg.PoolClient, epoch: number) => Promise<T>): Promise<T> {
    const epoch = this.epochs.get(runId);
    if (epoch === undefined) return Promise.reject(new LeaseLostError(runId, -1));
    return this.retrying(`run ${runId}`, () => this.base.inTransaction((client) => fn(client, epoch)));
  }

  /** The fenced UPDATE of a patch inside a transaction; throws LeaseLostError (rolling it back) when refused. */
  private async patchOn(client: pg.ClientBase, runId: number, epoch: number, patch: RunPatch): Promise<void> {
    const { sets, args } = patchAssignments(patch);
    const { rowCount } = await this.base.run(`UPDATE runs SET ${sets.join(', ')} WHERE id = ? AND lease_epoch = ?`, [...args, runId, epoch], client);
    if (rowCount === 0) throw new LeaseLostError(runId, epoch);
  }

  /** Locks the run row while it is held under `epoch`; LeaseLostError when it is not. */
  private async lockOn(client: pg.ClientBase, runId: number, epoch: number): Promise<void> {
    const { rows } = await this.base.run('SELECT id FROM runs WHERE id = ? AND lease_epoch = ? FOR UPDATE', [runId, epoch], client);
    if (rows.length === 0) throw new LeaseLostError(runId, epoch);
  }

  async claimRun(runId: number, ownerId: string): Promise<boolean> {
    const epoch = this.epochs.get(runId);
    if (epoch === undefined) return false;
    const { rows } = await this.retrying(`claiming run ${runId}`, () =>
      this.base.run<{ lease_epoch: number }>(
        `UPDATE runs SET status = 'running', lease_epoch = lease_epoch + 1
          WHERE id = ? AND status = 'queued' AND owner_id = ? AND lease_epoch = ?
            AND EXISTS (SELECT 1 FROM owners o WHERE o.id = ? AND o.lease_until >= extract(epoch from clock_timestamp()) * 1000)
          RETURNING lease_epoch`,
        [runId, ownerId, epoch, ownerId],
      ),
    );
    if (rows.length === 0) return false;
    this.epochs.set(runId, rows[0].lease_epoch);
    return true;
  }

  async updateRun(id: number, patch: RunPatch): Promise<RunRow> {
    const epoch = this.epochs.get(id);
    const job = this.jobs.get(id);
    if (epoch === undefined || job === undefined) return this.base.updateRun(id, patch);
    const status = patch.status;
    if (status === 'completed' || status === 'cancelled' || status === 'failed' || status === 'interrupted') {
      await this.fencedTransaction(id, async (client, fence) => {
        const db = { db: onClient(client) };
        if (status === 'interrupted') {
          await this.lockOn(client, id, fence);
          await requeue(this.base, this.boss, client, [{ runId: id, jobId: job.id, reason: `requeued: ${patch.error ?? 'its worker stopped'}` }]);
        } else if (status === 'failed' && job.retryCount < job.retryLimit) {
          // pg-boss retries the job; the run waits for it as a queued trial.
          const error = `attempt ${job.retryCount + 1} of ${job.retryLimit + 1} failed (${patch.error ?? 'unknown error'}); retried`;
          await this.patchOn(client, id, fence, { ...patch, status: 'queued', error, finishedAt: null, ownerId: null });
          await this.boss.fail(TRIAL_QUEUE, { id: job.id, retryCount: job.retryCount }, { error: patch.error }, db);
        } else {
          await this.patchOn(client, id, fence, patch);
          if (status === 'completed') await this.boss.complete(TRIAL_QUEUE, job.id, null, db);
          else if (status === 'cancelled') await this.boss.cancel(TRIAL_QUEUE, job.id, db);
          else await this.boss.fail(TRIAL_QUEUE, { id: job.id, retryCount: job.retryCount }, { error: patch.error }, db);
        }
      });
      this.forget(id);
      return (await this.base.getRun(id))!;
    }
    return this.retrying(`run ${id}`, () => this.base.updateRun(id, patch, epoch));
  }

  async appendMetrics(samples: readonly MetricSample[]): Promise<void> {
    const byRun = new Map<number, MetricSample[]>();
    for (const s of samples) byRun.set(s.runId, [...(byRun.get(s.runId) ?? []), s]);
    for (const [runId, batch] of byRun) {
      const epoch = this.epochs.get(runId);
      await this.retrying(`metrics of run ${runId}`, () => this.base.appendMetrics(batch, epoch === undefined ? undefined : { runId, epoch }));
    }
  }

  async deleteMetricsAfter(runId: number, step: number): Promise<number> {
    return this.retrying(`run ${runId}`, () => this.base.deleteMetricsAfter(runId, step, this.epochs.get(runId)));
  }

  async saveCheckpoint(checkpoint: NewCheckpoint): Promise<void> {
    return this.retrying(`checkpoint of run ${checkpoint.runId}`, () => this.base.saveCheckpoint(checkpoint, this.epochs.get(checkpoint.runId)));
  }

  async deleteCheckpoints(runId: number, steps: readonly number[]): Promise<number> {
    return this.retrying(`run ${runId}`, () => this.base.deleteCheckpoints(runId, steps, this.epochs.get(runId)));
  }

  /**
   * Requeues the trials of owners whose lease expired (their runs' epochs move on, so the old holder's writes are
   * refused from now on), then reclaims local runs and forgets expired owners as the plain store does.
   */
  async reclaimExpired(): Promise<{ runId: number; reason: string }[]> {
    const requeued = await this.base.inTransaction(async (client) => {
      const { rows } = await this.base.run<Omit<ReclaimRecord, 'status'> & { status: ReclaimRecord['status'] | 'interrupted'; job_id: string }>(
        `SELECT r.id, r.status, r.job_id, o.id AS owner, o.host, o.pid, o.started_at, o.heartbeat_at
           FROM runs r LEFT JOIN owners o ON o.id = r.owner_id
          WHERE r.job_id IS NOT NULL AND r.owner_id IS NOT NULL AND r.status IN ('queued', 'running', 'interrupted')
            AND (o.id IS NULL OR o.lease_until < extract(epoch from clock_timestamp()) * 1000)
          ORDER BY r.id FOR UPDATE OF r`,
        [],
        client,
      );
      // An `interrupted` trial here is one whose worker could not requeue it when it stopped (the store was down).
      const trials = rows.map((row) => ({ runId: row.id, jobId: row.job_id, reason: `requeued: ${reclaimReason({ ...row, status: row.status === 'queued' ? 'queued' : 'running' })}` }));
      await requeue(this.base, this.boss, client, trials);
      return trials;
    });
    return [...requeued, ...(await this.base.reclaimExpired())];
  }

  // Everything else is the store's own.

  createSweep: ExperimentStore['createSweep'] = (s) => this.base.createSweep(s);
  getSweep: ExperimentStore['getSweep'] = (id) => this.base.getSweep(id);
  listSweeps: ExperimentStore['listSweeps'] = () => this.base.listSweeps();
  setSweepStatus: ExperimentStore['setSweepStatus'] = (id, status) => this.base.setSweepStatus(id, status);
  deleteSweep: ExperimentStore['deleteSweep'] = (id) => this.base.deleteSweep(id);
  createRuns: ExperimentStore['createRuns'] = (runs) => this.base.createRuns(runs);
  getRun: ExperimentStore['getRun'] = (id) => this.retrying(`run ${id}`, () => this.base.getRun(id));
  listRuns = (query?: RunQuery): ReturnType<ExperimentStore['listRuns']> => this.retrying('listing runs', () => this.base.listRuns(query));
  deleteRuns: ExperimentStore['deleteRuns'] = (ids) => this.base.deleteRuns(ids);
  getRunParams: ExperimentStore['getRunParams'] = (ids) => this.base.getRunParams(ids);
  registerOwner: ExperimentStore['registerOwner'] = (owner, leaseMs) => this.base.registerOwner(owner, leaseMs);
  renewOwner: ExperimentStore['renewOwner'] = (id, leaseMs) => this.base.renewOwner(id, leaseMs);
  releaseOwner: ExperimentStore['releaseOwner'] = (id) => this.base.releaseOwner(id);
  getOwner: ExperimentStore['getOwner'] = (id) => this.base.getOwner(id);
  listWorkers: ExperimentStore['listWorkers'] = () => this.base.listWorkers();
  listMetricKeys: ExperimentStore['listMetricKeys'] = (ids) => this.base.listMetricKeys(ids);
  readMetrics: ExperimentStore['readMetrics'] = (q) => this.base.readMetrics(q);
  readLatestMetrics: ExperimentStore['readLatestMetrics'] = (ids, keys) => this.base.readLatestMetrics(ids, keys);
  listCheckpoints: ExperimentStore['listCheckpoints'] = (id) => this.retrying(`run ${id}`, () => this.base.listCheckpoints(id));
  getCheckpoint: ExperimentStore['getCheckpoint'] = (id, step) => this.retrying(`run ${id}`, () => this.base.getCheckpoint(id, step));
  saveReplay: ExperimentStore['saveReplay'] = (r) => this.base.saveReplay(r);
  listReplays: ExperimentStore['listReplays'] = (id) => this.base.listReplays(id);
  getReplay: ExperimentStore['getReplay'] = (id) => this.base.getReplay(id);
  deleteReplay: ExperimentStore['deleteReplay'] = (id) => this.base.deleteReplay(id);
  readRecords: ExperimentStore['readRecords'] = (ids) => this.base.readRecords(ids);
  insertRecords: ExperimentStore['insertRecords'] = (records) => this.base.insertRecords(records);
  checkIntegrity: ExperimentStore['checkIntegrity'] = () => this.base.checkIntegrity();
  close: ExperimentStore['close'] = () => this.base.close();
}
