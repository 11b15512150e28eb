/**
 * The run queue: trials wait in the store as `queued` runs (so the queue survives restarts), and up to
 * `concurrency` of them train at once, each in its own trainer process. Metrics stream from the trainers and this
 * one writer stores them in batched transactions. A trainer that throws, reports NaN losses, runs out of memory or
 * is killed fails its run with the reason; the other trials continue and the host keeps running.
 *
 * A queued run that already has a checkpoint resumes from its latest one (its later metrics are dropped first), so
 * "resume" is just "queue again"; "restart" creates a fresh run.
 */
import type { ApiEvent, FinalEval, QueueState } from '../../core/api/contract';
import { DIVERGENCE_METRICS } from '../../core/metrics/keys';
import { describeBackendFailures, type CheckpointWire, type TrainerMessage } from '../../core/protocol/trainer';
import type { ExperimentStore, RunRow, RunStatus } from '../store/types';
import { describeExit, startTrainer, stopTrainer, type TrainerLauncher, type TrainerProcess } from '../trainers/launcher';
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
  lastProgressAt: number;
  totalSteps: number;
  stepsDone: number;
  fps: number | null;
  finished: Promise<void>;
}

export class RunQueue {
  private readonly active = new Map<number, ActiveRun>();
  private paused = false;
  private closed = false;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private queued = 0;
  /** When set, only these runs are started (a CLI host training its own runs beside others in the database). */
  private scope: Set<number> | null = null;
  private readonly flushTimer: NodeJS.Timeout;

  constructor(private readonly options: RunQueueOptions) {
    this.flushTimer = setInterval(() => {
      for (const run of this.active.values()) this.flush(run);
    }, options.flushIntervalMs ?? 250);
    this.flushTimer.unref();
  }

  /** Marks runs left `running` by a previous host (crash, kill, power loss) as `interrupted`. Call once at start. */
  async recoverInterrupted(): Promise<number[]> {
    const ids = await this.options.store.markInterrupted();
    for (const runId of ids) {
      this.log(runId, 'interrupted: the host stopped while this run was training');
      this.options.emit({ type: 'run.status', runId, status: 'interrupted' });
    }
    return ids;
  }

  state(): QueueState {
    return { paused: this.paused, running: this.active.size, queued: this.queued, concurrency: this.options.concurrency };
  }

  pause(): QueueState {
    this.paused = true;
    this.emitState();
    return this.state();
  }

  async resume(): Promise<QueueState> {
    this.paused = false;
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
      do {
        this.pumpAgain = false;
        await this.fill();
      } while (this.pumpAgain);
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

  /** Resolves when nothing runs and nothing is queued (or the queue is paused). */
  async idle(): Promise<void> {
    for (;;) {
      await this.pumping;
      if (this.active.size === 0 && (this.paused || this.queued === 0)) return;
      const tick = new Promise<void>((resolve) => setTimeout(resolve, 100));
      await Promise.race([...[...this.active.values()].map((r) => r.finished), tick]);
    }
  }

  /**
   * Stops the queue: running trainers are killed and their runs marked `interrupted` (resumable from their last
   * checkpoint) after the metrics they already sent are written.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.flushTimer);
    await this.pumping;
    const runs = [...this.active.values()];
    for (const run of runs) {
      run.interrupted = true;
      run.trainer?.kill();
    }
    await Promise.all(runs.map((r) => r.finished));
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

  private async fill(): Promise<void> {
    while (!this.closed && !this.paused && this.active.size < this.options.concurrency) {
      const page = await this.options.store.listRuns({
        filter: { status: ['queued'], includeHidden: true },
        sort: { by: 'id', dir: 'asc' },
        ...(this.scope === null ? { limit: this.options.concurrency + this.active.size } : {}),
      });
      const next = page.runs.find((r) => !this.active.has(r.id) && (this.scope === null || this.scope.has(r.id)));
      if (!next) break;
      await this.start(next);
    }
    await this.refreshQueued();
  }

  private async start(row: RunRow): Promise<void> {
    let resolveFinished!: () => void;
    const run: ActiveRun = {
      runId: row.id,
      trainer: null,
      buffer: new MetricBuffer(row.id),
      writes: Promise.resolve(),
      cancelRequested: false,
      interrupted: false,
      failure: null,
      lastProgressAt: 0,
      totalSteps: row.totalTimesteps,
      stepsDone: 0,
      fps: null,
      finished: new Promise((r) => (resolveFinished = r)),
    };
    this.active.set(row.id, run);
    const checkpoint = await this.options.store.getCheckpoint(row.id);
    let resume: CheckpointWire | null = null;
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
    this.log(row.id, resume ? `resuming from the checkpoint at step ${resume.step}` : 'started');
    this.options.emit({ type: 'run.status', runId: row.id, status: 'running' });
    void this.drive(run, row.config, resume).finally(() => {
      this.active.delete(row.id);
      resolveFinished();
      if (!this.closed) void this.pump();
    });
  }

  /** Queues a store write behind this run's earlier ones; failures are logged, never thrown. */
  private write(run: ActiveRun, task: () => Promise<unknown>): Promise<void> {
    run.writes = run.writes.then(task).then(
      () => undefined,
      (error: unknown) => this.log(run.runId, `store write failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    return run.writes;
  }

  private flush(run: ActiveRun): Promise<void> {
    const { samples, progress } = run.buffer.drain();
    if (samples.length === 0 && progress === null) return run.writes;
    return this.write(run, async () => {
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
          if (run.interrupted) resolve({ status: 'interrupted', error: null, finalEval: null });
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
        ? { status: 'interrupted', error: null, finalEval: null }
        : { status: 'failed', error: message, finalEval: null };
      run.trainer?.kill();
    }
    await this.flush(run);
    await this.write(run, () =>
      this.options.store.updateRun(run.runId, {
        status: outcome.status,
        error: outcome.error,
        finishedAt: Date.now(),
        ...(outcome.finalEval ? { finalEval: outcome.finalEval } : {}),
      }),
    );
    this.log(run.runId, outcome.error ? `${outcome.status}: ${outcome.error}` : outcome.status);
    this.options.emit({ type: 'run.status', runId: run.runId, status: outcome.status, error: outcome.error });
  }

  /** Buffers a trainer message; returns the final outcome when the message ends the run. */
  private onTrainerMessage(run: ActiveRun, message: TrainerMessage): Outcome | null {
    if ('runId' in message && message.runId !== undefined && message.runId !== run.runId) return null;
    switch (message.type) {
      case 'update': {
        const bad = Object.entries(message.metrics).find(([key, value]) => DIVERGENCE_METRICS.has(key) && !Number.isFinite(value));
        run.buffer.addUpdate(message.step, message.metrics);
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
        void this.write(run, () =>
          this.options.store.saveCheckpoint({
            runId: run.runId,
            step,
            weights: weights instanceof Uint8Array ? weights : new Uint8Array(weights),
            optimizer: optimizer === null ? null : optimizer instanceof Uint8Array ? optimizer : new Uint8Array(optimizer),
            normalization: normalization ?? null,
            meta: rest,
          }),
        );
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
        void this.write(run, () => this.options.store.updateRun(run.runId, { backend: message.backend }));
        return null;
      }
      default:
        return null;
    }
  }
}
