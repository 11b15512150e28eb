/**
 * The run queue: trials wait in the store as `queued` runs (so the queue survives restarts), and up to
 * `concurrency` of them train at once, each in its own trainer process. Metrics stream from the trainers and this
 * one writer stores them in batched transactions. A trainer that throws, reports NaN losses, runs out of memory or
 * is killed fails its run with the reason; the other trials continue and the host keeps running.
 *
 * A queued run that already has a checkpoint resumes from its latest one (its later metrics are dropped first), so
 * "resume" is just "queue again"; "restart" creates a fresh run.
 *
 * Ownership by lease: the queue is an owner in the store, renewing its lease every fifth of `leaseMs`. It starts only
 * queued runs it owns (those it queued: launched or explicitly resumed here) and claims each atomically. Every third of
 * `leaseMs` it reclaims the runs of owners whose lease has expired (a CLI killed with SIGKILL, a crashed app, a
 * machine that lost power): they become `interrupted`, with the reason stored. A run with a live owner is never
 * touched, so two front-ends on one database never train one run twice. If this queue's own lease was reclaimed
 * (the process was suspended past it), its trainers are stopped and nothing more is written for their runs.
 */
import type { ApiEvent, FinalEval, QueueState } from '../../core/api/contract';
import { DIVERGENCE_METRICS } from '../../core/metrics/keys';
import { describeBackendFailures, type CheckpointWire, type TrainerMessage } from '../../core/protocol/trainer';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { describeOwner, LeaseLostError, type ExperimentStore, type Owner, type RunRow, type RunStatus } from '../store/types';
import { describeExit, startTrainer, stopTrainer, type TrainerLauncher, type TrainerProcess } from '../trainers/launcher';
import { checkpointsToDrop } from './checkpoint-thinning';
import { MetricBuffer } from './metric-buffer';

export interface RunQueueOptions {
  store: ExperimentStore;
  launcher: TrainerLauncher;
  /** Trials training at once (default: the number of cores). */
  concurrency: number;
  /** Events for the UI (progress, status, new metrics, queue state). */
  emit: (event: ApiEvent) => void;
  /** Log lines per run (status changes, trainer warnings, errors). */
  log?: (runId: number, line: string) => void;
  /** Metric writes are flushed at least this often (ms). */
  flushIntervalMs?: number;
  /** Progress events per run at most this often (ms). */
  progressIntervalMs?: number;
  /** This queue as an owner of runs; default: a new owner for this process. */
  owner?: Owner;
  /** Lease length in ms (default 15 s); renewed every fifth of it, expired leases reclaimed every third. */
  leaseMs?: number;
  /**
   * The store fences every write of a run by the lease epoch it was claimed under (a cluster worker's WorkerStore):
   * a run whose lease was lost is stopped by its first refused write (LeaseLostError), the one authority on
   * ownership, rather than by this host noticing its own lease renewal failed.
   */
  fenced?: boolean;
}

/** Default lease: long enough to ride out a busy event loop, short enough that a killed CLI's runs free up quickly. */
export const DEFAULT_LEASE_MS = 15_000;

/** A store error as a person reads it: SQLite's "database or disk is full" becomes "disk full". */
export function describeStoreError(error: unknown): string {
  if (isDiskFull(error)) return 'disk full';
  return error instanceof Error ? error.message : String(error);
}

/** SQLite's "database or disk is full", or the file system's ENOSPC. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

/** PROXIMA_LEASE_SECONDS, when set to a positive number (fault-injection tests shorten the lease with it). */
function leaseMsFromEnvironment(): number | null {
  const seconds = Number(process.env['PROXIMA_LEASE_SECONDS']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

/** A new owner identity for this process. */
export function newOwner(): Owner {
  return { id: randomUUID(), host: hostname(), pid: process.pid, startedAt: Date.now() };
}

type Outcome = { status: Exclude<RunStatus, 'queued' | 'running'>; error: string | null; finalEval: FinalEval | null };

interface ActiveRun {
  runId: number;
  trainer: TrainerProcess | null;
  buffer: MetricBuffer;
  /** Serializes this run's store writes (flushes, checkpoints) in arrival order. */
  writes: Promise<void>;
  cancelRequested: boolean;
  interrupted: boolean;
  failure: string | null;
  /** Another host reclaimed this run (our lease had expired): stop, and write nothing more for it. */
  lost: boolean;
  /** A store write of this run failed: it fails with the reason; later writes of its data are not attempted. */
  storeFailed: boolean;
  lastProgressAt: number;
  totalSteps: number;
  stepsDone: number;
  fps: number | null;
  finished: Promise<void>;
}

export class RunQueue {
  private readonly active = new Map<number, ActiveRun>();
  private paused = false;
  /** Why the queue stopped launching runs (a store write failed: the disk is full, …); resume clears it. */
  private halted: string | null = null;
  private closed = false;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private queued = 0;
  /** When set, only these runs are started (a CLI host training its own runs beside others in the database). */
  private scope: Set<number> | null = null;
  private readonly flushTimer: NodeJS.Timeout;
  private leaseTimers: NodeJS.Timeout[] = [];
  readonly owner: Owner;
  private readonly leaseMs: number;
  /** Whether `start` has registered the owner (pumping does it first when it has not). */
  private registered = false;
  private readonly leaseFailing = new Set<'renewal' | 'reclaim'>();

  constructor(private readonly options: RunQueueOptions) {
    this.owner = options.owner ?? newOwner();
    this.leaseMs = options.leaseMs ?? leaseMsFromEnvironment() ?? DEFAULT_LEASE_MS;
    this.flushTimer = setInterval(() => {
      for (const run of this.active.values()) this.flush(run);
    }, options.flushIntervalMs ?? 250);
    this.flushTimer.unref();
  }

  /**
   * Registers this queue as a live owner, keeps its lease renewed, and from now on reclaims expired leases
   * (once at once). Call before queueing or starting runs.
   */
  async start(): Promise<void> {
    await this.options.store.registerOwner(this.owner, this.leaseMs);
    this.registered = true;
    if (this.leaseTimers.length === 0) {
      const heartbeat = setInterval(() => void this.heartbeat().then(() => this.leaseTrouble('renewal', null), (e: unknown) => this.leaseTrouble('renewal', e)), this.leaseMs / 5);
      const reclaim = setInterval(() => void this.reclaim().then(() => this.leaseTrouble('reclaim', null), (e: unknown) => this.leaseTrouble('reclaim', e)), this.leaseMs / 3);
      for (const timer of [heartbeat, reclaim]) timer.unref();
      this.leaseTimers = [heartbeat, reclaim];
    }
    await this.reclaim();
  }

  /** Marks the runs of owners whose lease has expired as `interrupted`, with the reason; returns their ids. */
  async reclaim(): Promise<number[]> {
    const reclaimed = await this.options.store.reclaimExpired();
    for (const { runId, reason } of reclaimed) {
      this.log(runId, reason);
      this.options.emit({ type: 'run.status', runId, status: 'interrupted', error: reason });
    }
    if (reclaimed.length > 0) await this.refreshQueued();
    return reclaimed.map((r) => r.runId);
  }

  private async heartbeat(): Promise<void> {
    if (await this.options.store.renewOwner(this.owner.id, this.leaseMs)) return;
    // Our lease expired and another host reclaimed our runs: they are no longer ours to train or write. (A fenced
    // store refuses their next write instead, which stops them.)
    if (this.options.fenced) this.hostLog('this host\'s lease had expired (it was unresponsive for too long): its runs\' next writes decide whether they are still its own');
    else for (const run of this.active.values()) this.loseRun(run, 'stopped: this host lost its lease (it was unresponsive for too long) and the run was reclaimed');
    await this.options.store.registerOwner(this.owner, this.leaseMs);
  }

  /** The run belongs to another owner now: its trainer is stopped and nothing more is written for it. */
  private loseRun(run: ActiveRun, why: string): void {
    if (run.lost) return;
    run.lost = true;
    this.log(run.runId, why, 'warn');
    run.trainer?.kill();
  }

  /** Says once (not at every tick) that lease renewal or reclaiming fails, and once when it works again. */
  private leaseTrouble(what: 'renewal' | 'reclaim', error: unknown): void {
    const failing = this.leaseFailing.has(what);
    if (error === null) {
      if (failing) this.hostLog(`lease ${what} works again`);
      this.leaseFailing.delete(what);
    } else if (!failing) {
      this.leaseFailing.add(what);
      this.hostLog(`lease ${what} failed: ${describeStoreError(error)}`);
    }
  }

  /** Messages about the queue itself, not a run (there is no host log yet: stderr). */
  private hostLog(line: string): void {
    process.stderr.write(`proxima: ${line}\n`);
  }

  state(): QueueState {
    return { paused: this.paused, running: this.active.size, queued: this.queued, concurrency: this.options.concurrency, halted: this.halted };
  }

  pause(): QueueState {
    this.paused = true;
    this.emitState();
    return this.state();
  }

  async resume(): Promise<QueueState> {
    this.paused = false;
    this.halted = null;
    await this.pump();
    return this.state();
  }

  /** Starts only these runs from now on, and unpauses the queue. */
  async runOnly(runIds: number[]): Promise<void> {
    this.scope = new Set(runIds);
    await this.resume();
  }

  isActive(runId: number): boolean {
    return this.active.has(runId);
  }

  /** Live progress of a running run: steps done, steps per second and the ETA in seconds. */
  liveProgress(runId: number): { stepsDone: number; fps: number | null; etaSeconds: number | null } | null {
    const run = this.active.get(runId);
    if (!run) return null;
    const eta = run.fps && run.fps > 0 ? Math.max(0, run.totalSteps - run.stepsDone) / run.fps : null;
    return { stepsDone: run.stepsDone, fps: run.fps, etaSeconds: eta };
  }

  /** Starts queued runs while there is room. Call after queueing runs; concurrent calls coalesce. */
  pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      try {
        if (!this.registered && !this.closed) await this.start();
        do {
          this.pumpAgain = false;
          await this.fill();
        } while (this.pumpAgain);
      } catch (error) {
        // Starting a run needs the store (claim it, mark it running); when that fails, launch nothing more.
        await this.releaseReserveOn(error);
        this.halt(`could not start a run: ${describeStoreError(error)}`);
      }
    })().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  /** Cancels a running run (the trainer stops at the next safe point) or a queued one. */
  async cancel(runId: number): Promise<boolean> {
    const run = this.active.get(runId);
    if (run) {
      run.cancelRequested = true;
      try {
        run.trainer?.send({ type: 'cancel' });
      } catch {
        run.trainer?.kill();
      }
      // A trainer that does not stop within 10 s is killed; the run still ends `cancelled`.
      const timer = setTimeout(() => run.trainer?.kill(), 10_000);
      await run.finished;
      clearTimeout(timer);
      return true;
    }
    const row = await this.options.store.getRun(runId);
    if (!row || (row.status !== 'queued' && row.status !== 'interrupted')) return false;
    await this.options.store.updateRun(runId, { status: 'cancelled', finishedAt: Date.now() });
    this.log(runId, 'cancelled before it started');
    this.options.emit({ type: 'run.status', runId, status: 'cancelled' });
    await this.refreshQueued();
    return true;
  }

  /**
   * Stops the queue after a fresh checkpoint of every running trial: each trainer is asked to `drain` (checkpoint the
   * state it reached, then stop), and is killed if it has not stopped within `timeoutMs`. Its run ends `interrupted`
   * once that checkpoint and the metrics before it are stored (this run's writes are serialized), so a resumed run
   * loses at most the iteration that was under way. Nothing more is launched meanwhile; then the queue closes.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    this.paused = true;
    await this.pumping;
    const runs = [...this.active.values()];
    for (const run of runs) {
      run.interrupted = true;
      try {
        run.trainer?.send({ type: 'drain' });
      } catch {
        run.trainer?.kill();
      }
    }
    const timer = setTimeout(() => {
      for (const run of runs) run.trainer?.kill();
    }, timeoutMs);
    await Promise.all(runs.map((r) => r.finished));
    clearTimeout(timer);
    await this.close();
  }

  /** Resolves when nothing runs and nothing is queued (or the queue is paused or halted). */
  async idle(): Promise<void> {
    for (;;) {
      await this.pumping;
      if (this.active.size === 0 && (this.paused || this.halted !== null || this.queued === 0)) return;
      const tick = new Promise<void>((resolve) => setTimeout(resolve, 100));
      await Promise.race([...[...this.active.values()].map((r) => r.finished), tick]);
    }
  }

  /**
   * Stops the queue: running trainers are killed and their runs marked `interrupted` (resumable from their last
   * checkpoint) after the metrics they already sent are written; runs it queued but did not start become
   * `interrupted` too (they start again only when a user resumes them); then the owner is released.
   */
  /** Stops the trainers, marks what they leave interrupted and releases the lease; once (later calls wait for it). */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private closing: Promise<void> | null = null;

  private async closeOnce(): Promise<void> {
    this.closed = true;
    clearInterval(this.flushTimer);
    for (const timer of this.leaseTimers) clearInterval(timer);
    this.leaseTimers = [];
    await this.pumping;
    const runs = [...this.active.values()];
    for (const run of runs) {
      run.interrupted = true;
      run.trainer?.kill();
    }
    await Promise.all(runs.map((r) => r.finished));
    // A queue that never registered (e.g. on a read-only database) queued nothing and owns nothing.
    if (!this.registered) return;
    try {
      const store = this.options.store;
      // Runs it queued but did not start, and any it claimed but could not start (a failed write).
      const { runs: waiting } = await store.listRuns({ filter: { status: ['queued', 'running'], ownerId: this.owner.id, includeHidden: true } });
      const notStarted = `not started: its host (${describeOwner(this.owner)}) stopped first`;
      for (const row of waiting) {
        // A `running` row here trained but its final status could not be written (e.g. the disk was full).
        const reason = row.status === 'running' ? this.stopReason() : notStarted;
        await store.updateRun(row.id, { status: 'interrupted', error: reason });
        this.log(row.id, reason);
        this.options.emit({ type: 'run.status', runId: row.id, status: 'interrupted', error: reason });
      }
      await store.releaseOwner(this.owner.id);
    } catch (error) {
      // E.g. the disk is full: this owner's lease then expires and another host reclaims what is left.
      this.hostLog(`could not mark the runs this host queued as interrupted (${describeStoreError(error)}); they are reclaimed once its lease expires`);
    }
  }

  private log(runId: number, line: string, level: 'info' | 'warn' = 'info'): void {
    this.options.log?.(runId, level === 'warn' ? `warning: ${line}` : line);
    this.options.emit({ type: 'run.log', runId, level, line });
  }

  private emitState(): void {
    this.options.emit({ type: 'queue.state', ...this.state() });
  }

  private async refreshQueued(): Promise<void> {
    this.queued = (await this.options.store.listRuns({ filter: { status: ['queued'] }, limit: 1 })).total;
    this.emitState();
  }

  /** Stops launching runs, says why (queue state; the UI shows a banner, the CLI a line); running ones go on. */
  /** On "disk full", frees the store's reserve (once; a no-op otherwise or when there is none). */
  private async releaseReserveOn(error: unknown): Promise<void> {
    if (!isDiskFull(error)) return;
    try {
      if (await this.options.store.releaseReserve?.()) this.hostLog('disk full: released the database\'s reserve to record what happened');
    } catch {
      // Nothing more to free: the writes that follow fail and say so.
    }
  }

    private halt(reason: string): void {
    if (this.halted) return;
    this.halted = `stopped launching runs: ${reason}`;
    this.emitState();
  }

  private async fill(): Promise<void> {
    while (!this.closed && !this.paused && !this.halted && this.active.size < this.options.concurrency) {
      const page = await this.options.store.listRuns({
        filter: { status: ['queued'], includeHidden: true, ownerId: this.owner.id },
        sort: { by: 'id', dir: 'asc' },
        ...(this.scope === null ? { limit: this.options.concurrency + this.active.size } : {}),
      });
      const next = page.runs.find((r) => !this.active.has(r.id) && (this.scope === null || this.scope.has(r.id)));
      if (!next) break;
      // Not claimed (cancelled meanwhile, or this owner's lease lapsed until the next heartbeat): try again later.
      if (!(await this.launch(next))) break;
    }
    await this.refreshQueued();
  }

  /** Claims and starts one queued run; false when it could not be claimed. */
  private async launch(row: RunRow): Promise<boolean> {
    if (!(await this.options.store.claimRun(row.id, this.owner.id))) return false;
    let resolveFinished!: () => void;
    const run: ActiveRun = {
      runId: row.id,
      trainer: null,
      buffer: new MetricBuffer(row.id),
      writes: Promise.resolve(),
      cancelRequested: false,
      interrupted: false,
      failure: null,
      lost: false,
      storeFailed: false,
      lastProgressAt: 0,
      totalSteps: row.totalTimesteps,
      stepsDone: 0,
      fps: null,
      finished: new Promise((r) => (resolveFinished = r)),
    };
    this.active.set(row.id, run);
    let resume: CheckpointWire | null = null;
    try {
      const checkpoint = await this.options.store.getCheckpoint(row.id);
      // A run that already trained starts again from its latest checkpoint, or from the beginning when it has none:
      // either way the metrics it logged after that point are dropped, so no update is lost or doubled.
      if (!checkpoint) await this.options.store.deleteMetricsAfter(row.id, -Infinity);
      if (checkpoint) {
        await this.options.store.deleteMetricsAfter(row.id, checkpoint.step);
        resume = {
          step: checkpoint.step,
          weights: checkpoint.weights,
          optimizer: checkpoint.optimizer,
          meta: { ...checkpoint.meta, normalization: checkpoint.normalization },
        };
      }
      await this.options.store.updateRun(row.id, {
        status: 'running',
        error: null,
        startedAt: Date.now(),
        finishedAt: null,
        stepsDone: checkpoint?.step ?? 0,
      });
    } catch (error) {
      // It was claimed but cannot start: say why on the run if the store still takes that much; otherwise it stays
      // ours, and closing (or, if this host dies, the lease) marks it interrupted.
      this.active.delete(row.id);
      resolveFinished();
      // Claimed, then lost before it started (a fenced store refused a write): the new owner trains it.
      if (error instanceof LeaseLostError) return false;
      const reason = `${describeStoreError(error)} while starting the run`;
      await this.releaseReserveOn(error);
      await this.options.store.updateRun(row.id, { status: 'failed', error: reason, finishedAt: Date.now() }).then(
        () => this.options.emit({ type: 'run.status', runId: row.id, status: 'failed', error: reason }),
        () => undefined,
      );
      throw error;
    }
    this.log(row.id, resume ? `resuming from the checkpoint at step ${resume.step}` : row.stepsDone > 0 ? 'started again from the beginning (no checkpoint)' : 'started');
    this.options.emit({ type: 'run.status', runId: row.id, status: 'running' });
    void this.drive(run, row.config, resume).finally(() => {
      this.active.delete(row.id);
      resolveFinished();
      if (!this.closed) void this.pump();
    });
    return true;
  }

  /**
   * Queues a store write (`what`, e.g. "metrics at step 4096") behind this run's earlier ones. It never rejects, and a
   * failure is never ignored: the run stops and fails with the reason ("disk full while writing metrics at step N"),
   * and the queue stops launching runs, saying why. Nothing already stored is touched.
   */
  private write(run: ActiveRun, what: string, task: () => Promise<unknown>): Promise<void> {
    run.writes = run.writes.then(() => (run.lost || run.storeFailed ? undefined : task())).then(
      () => undefined,
      async (error: unknown) => {
        if (error instanceof LeaseLostError) {
          // A fenced store (a cluster worker's) refused it: the run moved to another owner. Stop, write nothing more.
          if (run.lost) this.log(run.runId, `the store refused ${what} (${error.message})`, 'warn');
          this.loseRun(run, `stopped: the store refused ${what} (${error.message})`);
          return;
        }
        const reason = `${describeStoreError(error)} while writing ${what}`;
        // Make room for the writes that record the failure (the run's status, interrupted marks).
        await this.releaseReserveOn(error);
        run.storeFailed = true;
        run.failure ??= reason;
        this.log(run.runId, `store write failed: ${reason}`);
        this.halt(`run ${run.runId}: ${reason}`);
        run.trainer?.kill();
      },
    );
    return run.writes;
  }

  private flush(run: ActiveRun): Promise<void> {
    const { samples, progress } = run.buffer.drain();
    if (samples.length === 0 && progress === null) return run.writes;
    const lastStep = samples.reduce((m, s) => Math.max(m, s.step), progress?.stepsDone ?? 0);
    return this.write(run, `metrics at step ${lastStep}`, async () => {
      if (samples.length > 0) await this.options.store.appendMetrics(samples);
      if (progress) await this.options.store.updateRun(run.runId, { stepsDone: progress.stepsDone });
      if (samples.length > 0) {
        const keys = [...new Set(samples.flatMap((s) => Object.keys(s.values)))];
        const step = samples.reduce((m, s) => Math.max(m, s.step), 0);
        this.options.emit({ type: 'run.metrics', runId: run.runId, step, keys });
      }
    });
  }

  /** One run from trainer start to its final status. Never throws. */
  private async drive(run: ActiveRun, config: Record<string, unknown>, resume: CheckpointWire | null): Promise<void> {
    let outcome: Outcome = { status: 'failed', error: 'trainer ended without a result', finalEval: null };
    try {
      // The run's `train` chooses and proves its backend (reported by a `backend` message): none is set up twice.
      const { trainer, ready } = await startTrainer(this.options.launcher, null);
      run.trainer = trainer;
      trainer.onProtocolError((error) => this.log(run.runId, `malformed message from the trainer, ignored: ${error}`));
      if (run.interrupted || run.cancelRequested) trainer.kill();
      this.log(run.runId, `trainer pid ${ready.pid} started (Node ${ready.nodeVersion})`);
      outcome = await new Promise<Outcome>((resolve) => {
        const offExit = trainer.onExit((exit) => {
          offMessage();
          if (run.interrupted) resolve({ status: 'interrupted', error: this.stopReason(), finalEval: null });
          else if (run.cancelRequested) resolve({ status: 'cancelled', error: null, finalEval: null });
          else resolve({ status: 'failed', error: run.failure ?? describeExit(exit), finalEval: null });
        });
        const offMessage = trainer.onMessage((message) => {
          const settled = this.onTrainerMessage(run, message);
          if (settled) {
            offMessage();
            offExit();
            resolve(settled);
          }
        });
        trainer.send({ type: 'train', runId: run.runId, config, ...(resume ? { resume } : {}) });
      });
      if (outcome.status === 'completed' || outcome.status === 'cancelled') await stopTrainer(trainer);
      else trainer.kill();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = run.interrupted
        ? { status: 'interrupted', error: this.stopReason(), finalEval: null }
        : { status: 'failed', error: message, finalEval: null };
      run.trainer?.kill();
    }
    await this.flush(run);
    if (run.lost) return;
    // A run whose data could not all be stored is never `completed`: it fails with the reason of the failed write.
    if (run.storeFailed) outcome = { status: 'failed', error: run.failure, finalEval: null };
    const final = {
      status: outcome.status,
      error: outcome.error,
      finishedAt: Date.now(),
      ...(outcome.finalEval ? { finalEval: outcome.finalEval } : {}),
    };
    try {
      await this.options.store.updateRun(run.runId, final).catch(async (error: unknown) => {
        // Disk full with the reserve still held: free it and try once more.
        if (!isDiskFull(error) || !(await this.options.store.releaseReserve?.().catch(() => false))) throw error;
        await this.options.store.updateRun(run.runId, final);
      });
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.loseRun(run, `stopped: the store refused its final status (${error.message})`);
        return;
      }
      // Even the final status could not be written: the run stays `running` under this owner, and is reclaimed as
      // interrupted once the owner is gone (its lease expires, or a clean stop releases it).
      this.halt(`run ${run.runId}: ${describeStoreError(error)} while writing its final status (${outcome.status})`);
    }
    this.log(run.runId, outcome.error ? `${outcome.status}: ${outcome.error}` : outcome.status);
    this.options.emit({ type: 'run.status', runId: run.runId, status: outcome.status, error: outcome.error });
  }

  /** Why this queue's runs are being interrupted: its host is stopping. */
  private stopReason(): string {
    return `its host (${describeOwner(this.owner)}) stopped while it was training`;
  }

  /** Buffers a trainer message; returns the final outcome when the message ends the run. */
  private onTrainerMessage(run: ActiveRun, message: TrainerMessage): Outcome | null {
    if ('runId' in message && message.runId !== undefined && message.runId !== run.runId) return null;
    switch (message.type) {
      case 'update': {
        const bad = Object.entries(message.metrics).find(([key, value]) => DIVERGENCE_METRICS.has(key) && !Number.isFinite(value));
        run.buffer.addUpdate(message.step, message.metrics, message.distributions);
        if (bad) {
          run.failure = `${bad[0]} became ${bad[1]} at step ${message.step}: training diverged`;
          run.trainer?.kill();
        }
        return null;
      }
      case 'episode':
        run.buffer.addEpisode(message.step, message.return, message.length);
        return null;
      case 'eval':
        run.buffer.addEval(message.step, message.mean, message.std);
        return null;
      case 'checkpoint': {
        // Metrics up to the checkpoint are written before it, so a resumed run continues a complete series.
        void this.flush(run);
        const { step, weights, optimizer, meta } = message.checkpoint;
        const { normalization, ...rest } = meta;
        void this.write(run, `the checkpoint at step ${step}`, async () => {
          const store = this.options.store;
          await store.saveCheckpoint({
            runId: run.runId,
            step,
            weights: weights instanceof Uint8Array ? weights : new Uint8Array(weights),
            optimizer: optimizer === null ? null : optimizer instanceof Uint8Array ? optimizer : new Uint8Array(optimizer),
            normalization: normalization ?? null,
            meta: rest,
          });
          // Checkpoints come every 5% of the budget by default (and by wall time): thin the old ones out.
          await store.deleteCheckpoints(run.runId, checkpointsToDrop((await store.listCheckpoints(run.runId)).map((c) => c.step)));
        });
        return null;
      }
      case 'progress': {
        run.buffer.setProgress(message.stepsDone);
        run.totalSteps = message.totalSteps;
        run.stepsDone = message.stepsDone;
        run.fps = message.fps;
        const now = Date.now();
        if (now - run.lastProgressAt >= (this.options.progressIntervalMs ?? 250)) {
          run.lastProgressAt = now;
          const left = Math.max(0, message.totalSteps - message.stepsDone);
          this.options.emit({
            type: 'run.progress',
            runId: run.runId,
            stepsDone: message.stepsDone,
            totalSteps: message.totalSteps,
            fps: message.fps,
            etaSeconds: message.fps > 0 ? left / message.fps : null,
            lastReturn: run.buffer.lastReturn,
          });
        }
        return null;
      }
      case 'done':
        run.buffer.setProgress(message.stepsDone);
        // Stopped by a drain (this host stopping), not by a user: resumable, from the checkpoint it just sent.
        if (message.cancelled && run.interrupted) return { status: 'interrupted', error: this.stopReason(), finalEval: null };
        if (message.cancelled) return { status: 'cancelled', error: null, finalEval: null };
        return { status: 'completed', error: null, finalEval: message.finalEval };
      case 'error':
        if (message.runId === undefined) {
          this.log(run.runId, `trainer error: ${message.message}`);
          return null;
        }
        return { status: 'failed', error: message.message, finalEval: null };
      case 'log':
        this.log(run.runId, `${message.level}: ${message.message}`);
        return null;
      case 'backend': {
        // The run's own backend choice, proven on its model (the one `ready` reported was the trainer's default).
        for (const line of describeBackendFailures(message.checks)) this.log(run.runId, line, 'warn');
        const calibration = message.calibration
          ? ` (calibration, ms per update: ${Object.entries(message.calibration).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')})`
          : '';
        this.log(run.runId, `training on tfjs backend ${message.backend}${calibration}`);
        void this.write(run, 'the run\'s backend', () => this.options.store.updateRun(run.runId, { backend: message.backend }));
        return null;
      }
      default:
        return null;
    }
  }
}
