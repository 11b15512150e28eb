/**
 * `proxima worker`: one machine's share of a cluster. It pulls trials from the pg-boss queue (trial-queue.ts) and
 * trains them with the same RunQueue and trainer launcher as the app and the CLI, over a WorkerStore (the store with
 * every write fenced by the trial's lease epoch). The RunQueue renews this worker's owner lease, batches metrics
 * (a flush every 250 ms) and checkpoints, and reclaims the trials of workers whose lease expired.
 *
 * - Pull: whenever a slot is free (polled every `pollMs`), fetch that many jobs, highest priority first.
 * - Cancel: LISTEN proxima_cancel (listen.ts); a NOTIFY naming a trial trained here cancels it (the trainer stops
 *   after its current update), reconnecting the listener after an outage.
 * - Heartbeat: the `workers` row (name, host, cores, trials, last heartbeat) every fifth of the lease.
 * - Stop (`stop()`, SIGTERM): fetch nothing more; each trainer is asked to drain (checkpoint the state it reached,
 *   then stop: the `drain` message), that checkpoint is written fenced, and its trial is requeued (it resumes on
 *   any worker from that step, losing at most the iteration under way), then the row is marked stopped.
 * - Run events: its queue's status, progress and metrics events are published (run-events.ts) for the app and web
 *   mode on the same store, whose views update live as for local runs.
 */
import { cpus, hostname } from 'node:os';
import type { PgBoss } from 'pg-boss';
import type { ApiEvent } from '../../core/api/contract';
import { DEFAULT_LEASE_MS, describeStoreError, newOwner, RunQueue } from '../runner/run-queue';
import { PostgresStore } from '../store/postgres-store';
import type { TrainerLauncher } from '../trainers/launcher';
import { ChannelListener } from './listen';
import { RUN_EVENTS_CHANNEL, RunEventPublisher } from './run-events';
import { CANCEL_CHANNEL, startBoss, TRIAL_QUEUE, type TrialJobData } from './trial-queue';
import { isConnectionError, WorkerStore } from './worker-store';

export interface WorkerOptions {
  url: string;
  /** Unique in the cluster; default `<host>-<pid>`. */
  name?: string;
  /** Trials at once; default the number of cores. */
  concurrency?: number;
  launcher: TrainerLauncher;
  /** Lease length (ms); default PROXIMA_LEASE_SECONDS or 15 s. */
  leaseMs?: number;
  /** How often a free slot asks the queue for a trial (ms); default 500. */
  pollMs?: number;
  /** Lines for the worker's log (stderr in the CLI). */
  log: (line: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ClusterWorker {
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private listener: ChannelListener | null = null;
  private readonly events: RunEventPublisher;
  private loop: Promise<void> = Promise.resolve();
  /** When each held run was assigned (a run not active in the queue some seconds after was lost). */
  private readonly assignedAt = new Map<number, number>();
  private readonly troubles = new Set<string>();

  private constructor(
    readonly name: string,
    private readonly options: WorkerOptions,
    private readonly store: PostgresStore,
    private readonly boss: PgBoss,
    private readonly fenced: WorkerStore,
    readonly queue: RunQueue,
    private readonly concurrency: number,
    private readonly leaseMs: number,
  ) {
    this.events = new RunEventPublisher(
      async (payload) => void (await store.run('SELECT pg_notify(?, ?)', [RUN_EVENTS_CHANNEL, payload])),
      (error) => this.trouble('publishing run events', error),
    );
  }

  static async start(options: WorkerOptions): Promise<ClusterWorker> {
    const store = await PostgresStore.open(options.url, { maxConnections: 4 });
    const boss = await startBoss(options.url, { supervise: true, onError: (m) => options.log(`queue: ${m}`) });
    const owner = newOwner();
    const name = options.name ?? `${owner.host}-${owner.pid}`;
    const concurrency = options.concurrency ?? Math.max(1, cpus().length);
    const seconds = Number(process.env['PROXIMA_LEASE_SECONDS']);
    const leaseMs = options.leaseMs ?? (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_LEASE_MS);
    const fenced = new WorkerStore(store, boss, owner.id, 60_000, (what, error) => options.log(`store unreachable (${describeStoreError(error)}) while writing ${what}: retrying`));
    let worker: ClusterWorker | null = null;
    const queue = new RunQueue({
      store: fenced,
      launcher: options.launcher,
      concurrency,
      owner,
      leaseMs,
      fenced: true,
      emit: (event) => worker?.onEvent(event),
      log: (runId, line) => options.log(`run ${runId}: ${line}`),
    });
    worker = new ClusterWorker(name, options, store, boss, fenced, queue, concurrency, leaseMs);
    await queue.start();
    await worker.heartbeat();
    worker.timers.push(setInterval(() => void worker.heartbeat(), leaseMs / 5));
    await worker.listen();
    worker.loop = worker.pull();
    options.log(`worker ${name} on ${owner.host}: ${concurrency} at a time, lease ${leaseMs / 1000} s, store ${store.location}`);
    return worker;
  }

  private onEvent(event: ApiEvent): void {
    // For the app and web mode on this store (live curves of the trials trained here).
    this.events.add(event);
    if (event.type === 'queue.state' && event.halted !== null && !this.stopping) {
      // A store write failed (the store was unreachable longer than the retries): say why, and go on shortly.
      this.options.log(event.halted);
      setTimeout(() => void this.queue.resume(), 2000).unref();
    }
    if (event.type === 'run.status' && event.status !== 'running' && event.status !== 'queued') {
      this.fenced.forget(event.runId);
      this.assignedAt.delete(event.runId);
    }
  }

  /** Says once that `what` fails, and once when it works again. */
  private trouble(what: string, error: unknown): void {
    if (error === null) {
      if (this.troubles.delete(what)) this.options.log(`${what} works again`);
    } else if (!this.troubles.has(what)) {
      this.troubles.add(what);
      this.options.log(`${what} failed: ${describeStoreError(error)}${isConnectionError(error) ? ' (the store is unreachable; retrying)' : ''}`);
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.store.run(
        `INSERT INTO workers (name, owner_id, host, pid, cores, concurrency, trials, started_at, heartbeat_at)
         VALUES (?, ?, ?, ?, ?, ?, ?::int[], ?, extract(epoch from clock_timestamp()) * 1000)
         ON CONFLICT (name) DO UPDATE SET owner_id = excluded.owner_id, host = excluded.host, pid = excluded.pid, cores = excluded.cores,
           concurrency = excluded.concurrency, trials = excluded.trials, heartbeat_at = excluded.heartbeat_at, stopped_at = NULL,
           started_at = CASE WHEN workers.owner_id = excluded.owner_id THEN workers.started_at ELSE excluded.started_at END`,
        [this.name, this.queue.owner.id, hostname(), process.pid, cpus().length, this.concurrency, this.fenced.heldRuns(), this.queue.owner.startedAt],
      );
      this.trouble('heartbeat', null);
    } catch (error) {
      this.trouble('heartbeat', error);
    }
  }

  /** LISTEN for cancels on a connection of its own (reconnecting when it drops). */
  private async listen(): Promise<void> {
    this.listener = await ChannelListener.start({
      url: this.options.url,
      channel: CANCEL_CHANNEL,
      applicationName: 'proxima-worker-listen',
      onPayload: (payload) => {
        const runId = Number(payload);
        if (this.queue.isActive(runId)) {
          this.options.log(`run ${runId}: cancel requested`);
          void this.queue.cancel(runId);
        }
      },
      onTrouble: (error) => this.trouble('listening for cancels', error),
    });
  }

  /** The pull loop: fetch jobs for the free slots, take their runs, start them. */
  private async pull(): Promise<void> {
    while (!this.stopping) {
      try {
        this.forgetLost();
        const free = this.concurrency - this.fenced.heldRuns().length;
        if (free > 0) {
          const jobs = await this.boss.fetch<TrialJobData>(TRIAL_QUEUE, { batchSize: free, includeMetadata: true });
          let taken = 0;
          for (const job of jobs) {
            if (this.stopping || !(await this.fenced.assign(job.data.runId, { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit }))) continue;
            this.assignedAt.set(job.data.runId, Date.now());
            this.options.log(`run ${job.data.runId}: taken (job ${job.id}, attempt ${job.retryCount + 1} of ${job.retryLimit + 1}, priority ${job.priority})`);
            taken++;
          }
          if (taken > 0) await this.queue.pump();
          this.trouble('fetching trials', null);
          if (jobs.length > 0) continue;
        }
      } catch (error) {
        this.trouble('fetching trials', error);
      }
      await sleep(this.options.pollMs ?? 500);
    }
  }

  /** Held runs the queue no longer trains (their lease was lost: another worker has them). */
  private forgetLost(): void {
    for (const runId of this.fenced.heldRuns()) {
      const since = this.assignedAt.get(runId) ?? 0;
      if (!this.queue.isActive(runId) && Date.now() - since > this.leaseMs) {
        this.fenced.forget(runId);
        this.assignedAt.delete(runId);
      }
    }
  }

  /** Stops fetching, stops the trainers and requeues their trials, marks the worker stopped. Once. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      await this.loop;
      // Each trainer checkpoints the state it reached and stops; its trial is requeued from that checkpoint.
      await this.queue.drain();
      await this.events.close();
      for (const timer of this.timers) clearInterval(timer);
      await this.store.run('UPDATE workers SET trials = ?::int[], stopped_at = extract(epoch from clock_timestamp()) * 1000 WHERE name = ? AND owner_id = ?', [[], this.name, this.queue.owner.id]).catch(() => undefined);
      const listener = this.listener;
      this.listener = null;
      await listener?.close();
      await this.boss.stop({ graceful: false, close: true }).catch(() => undefined);
      await this.store.close();
    })();
    return this.stopped;
  }
}
