/**
 * The experiment store: a repository of sweeps, runs, metric points, checkpoints and replays, and the one narrow
 * interface the rest of the backend uses for them. It reads and writes raw data only; downsampling, smoothing,
 * grouping, aggregation and exports are analysis (src/backend/analysis), pure functions over what any store
 * returns. `SqliteStore` implements it on better-sqlite3 and `PostgresStore` on node-postgres, which is why every
 * method returns a Promise; test/backend/store/conformance.ts runs the same cases against both.
 *
 * Conventions:
 * - Ids are positive integers assigned by the store. Times are milliseconds since the Unix epoch.
 * - Every write method is atomic: it commits completely or throws having changed nothing.
 * - A resolved Promise from a write means the data is committed and survives a crash of this process.
 * - Methods reading a missing run/sweep/checkpoint/replay return `null` (getters) or throw `StoreNotFoundError`
 *   (writers and `readRecords`).
 */
import type { FinalEval } from '../../core/api/contract';
import type { ParamValue, RunQuery, RunStatus } from '../../core/runs/run-query';

export type { FinalEval, ParamValue, RunQuery, RunStatus };

export interface SweepRow {
  id: number;
  name: string;
  envId: string;
  /** The validated sweep spec as the user wrote it. */
  spec: Record<string, unknown>;
  status: RunStatus;
  createdAt: number;
  /** Number of the sweep's runs in each status. */
  counts: Record<RunStatus, number>;
  /** Environment steps its runs have stored as done, and their budgets, summed over the runs. */
  steps: { done: number; total: number };
}

export interface NewSweep {
  name: string;
  envId: string;
  spec: Record<string, unknown>;
  /** Default `queued`. */
  status?: RunStatus;
  /** Default now. */
  createdAt?: number;
}

export interface RunRow {
  id: number;
  sweepId: number | null;
  envId: string;
  seed: number;
  /** PPO's policy objective (`clip`, `kl-adaptive`, ...), a copy of the config field for listing; other algorithms' id. */
  objective: string;
  status: RunStatus;
  /** Why it failed (status `failed`) or stopped (status `interrupted`), else null. */
  error: string | null;
  /** The tfjs backend the trainer really used; null before it started. */
  backend: string | null;
  /** Proxima version that created the run. */
  proximaVersion: string;
  /** The full resolved config (one without `algorithm`, stored before the ancestors were added, is PPO's). */
  config: Record<string, unknown>;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  totalTimesteps: number;
  stepsDone: number;
  finalEval: FinalEval | null;
  tags: string[];
  notes: string;
  hidden: boolean;
  /** The owner (run queue) that queued or trains it; runs of other owners are not started by a queue. */
  ownerId: string | null;
}

/**
 * A run to create. `params` are the hyperparameters the sweep or the user set explicitly (flat, camelCase);
 * every config field is made queryable anyway (nested objects flattened with dots, arrays as JSON text), and
 * `algorithm` always is (PPO for a config without one).
 */
export interface NewRun {
  sweepId?: number | null;
  envId: string;
  seed: number;
  objective: string;
  config: Record<string, unknown>;
  totalTimesteps: number;
  params?: Record<string, ParamValue>;
  /** Defaults: status `queued`, proximaVersion = this version, createdAt now, tags [], notes '', hidden false. */
  status?: RunStatus;
  error?: string | null;
  backend?: string | null;
  proximaVersion?: string;
  createdAt?: number;
  startedAt?: number | null;
  finishedAt?: number | null;
  stepsDone?: number;
  finalEval?: FinalEval | null;
  tags?: string[];
  notes?: string;
  hidden?: boolean;
  ownerId?: string | null;
}

/** One run queue in one process: who trains (and may queue) runs. */
export interface Owner {
  /** Unique per process start (a UUID). */
  id: string;
  host: string;
  pid: number;
  /** ms since epoch. */
  startedAt: number;
}

/** An owner with its lease (ms since epoch, the store's clock). */
export interface OwnerLease extends Owner {
  leaseUntil: number;
  heartbeatAt: number;
}

/** "pid 123 on host-a, started 2026-12-01T22:00:00.000Z": an owner as a person reads it. */
export function describeOwner(owner: Owner): string {
  return `pid ${owner.pid} on ${owner.host}, started ${new Date(owner.startedAt).toISOString()}`;
}

/** A cluster worker's row (`workers` table); times in ms since the epoch. */
export interface WorkerRow {
  name: string;
  ownerId: string;
  host: string;
  pid: number;
  cores: number;
  concurrency: number;
  trials: number[];
  startedAt: number;
  heartbeatAt: number;
  stoppedAt: number | null;
}

/** Fields of a run that change after creation. */
export type RunPatch = Partial<
  Pick<
    RunRow,
    | 'status'
    | 'error'
    | 'backend'
    | 'startedAt'
    | 'finishedAt'
    | 'stepsDone'
    | 'totalTimesteps'
    | 'finalEval'
    | 'tags'
    | 'notes'
    | 'hidden'
    | 'ownerId'
  >
>;

export interface RunPage {
  runs: RunRow[];
  /** Runs matching the filter, ignoring limit/offset. */
  total: number;
}

/** A run's hyperparameters: every flattened config field, and which of them were set explicitly. */
export interface RunParams {
  values: Record<string, ParamValue>;
  explicit: string[];
}

/**
 * Metric values of one run at one step. `seq` tells apart several points of one key at the same step (e.g. the
 * index of an episode among those finishing at that step); update-level metrics leave it 0.
 * Writing the same (run, key, step, seq) again replaces the value. NaN is stored as NULL and read back as NaN.
 */
export interface MetricSample {
  runId: number;
  step: number;
  seq?: number;
  /** Wall-clock time of the measurement (ms since epoch), optional. */
  wallTime?: number;
  values: Readonly<Record<string, number>>;
}

/** Which points `readMetrics` reads. */
export interface MetricsQuery {
  runIds: readonly number[];
  /** Default: every key the runs have. */
  keys?: readonly string[];
  /** Also read each point's `seq` / wall time (fewer columns read is most of a read's speed, so off by default). */
  withSeq?: boolean;
  withWallTime?: boolean;
}

/**
 * The stored points of one (run, key) at full resolution, ordered by (step, seq). NULL values read back as NaN.
 * `seqs` and `wallTimes` are present when asked for.
 */
export interface MetricPoints {
  runId: number;
  key: string;
  steps: number[];
  values: number[];
  seqs?: number[];
  wallTimes?: (number | null)[];
}

/** One run's latest point of one key (`readLatestMetrics`). */
export interface LatestMetric {
  runId: number;
  key: string;
  step: number;
  value: number;
  /** ms since epoch; null when the point was stored without one. */
  wallTime: number | null;
}

/** A run as `readRecords` returns it and `insertRecords` takes it: the row with all its hyperparameters. */
export interface StoredRun extends RunRow {
  params: RunParams;
}

/** Metric points with every column. */
export type StoredMetrics = Required<MetricPoints>;

export interface NewCheckpoint {
  runId: number;
  step: number;
  weights: Uint8Array;
  optimizer?: Uint8Array | null;
  /** Observation/reward normalization statistics (RunningMeanStd states), JSON-serializable. */
  normalization?: unknown;
  meta?: Record<string, unknown>;
  /** Default now. */
  createdAt?: number;
}

export interface CheckpointInfo {
  runId: number;
  step: number;
  createdAt: number;
  weightsBytes: number;
  optimizerBytes: number | null;
  meta: Record<string, unknown>;
}

export interface Checkpoint extends CheckpointInfo {
  weights: Uint8Array;
  optimizer: Uint8Array | null;
  normalization: unknown;
}

export interface NewReplay {
  runId: number;
  name: string;
  /** Step of the checkpoint the policy came from; null when not from a stored checkpoint. */
  checkpointStep: number | null;
  seed: number | null;
  envId: string;
  /** The recorded frames (JSON-serializable). */
  frames: unknown[];
  totalReturn: number;
  length: number;
  createdAt?: number;
}

export interface ReplayInfo {
  id: number;
  runId: number;
  name: string;
  checkpointStep: number | null;
  seed: number | null;
  envId: string;
  totalReturn: number;
  length: number;
  createdAt: number;
}

export interface Replay extends ReplayInfo {
  frames: unknown[];
}

/**
 * Everything stored about some runs and their sweeps: what `readRecords` reads in one transaction (a consistent
 * snapshot) and `insertRecords` writes in one transaction under new ids (ids inside refer to each other).
 */
export interface RunRecords {
  sweeps: Omit<SweepRow, 'counts' | 'steps'>[];
  runs: StoredRun[];
  /** Ordered by run (as in `runs`), then key. */
  metrics: StoredMetrics[];
  /** Ordered by run, then step. */
  checkpoints: Required<NewCheckpoint>[];
  /** Ordered by run, then id. */
  replays: (Required<NewReplay> & { id: number })[];
}

export interface ImportResult {
  /** Run id in the records → the new run id. */
  runIds: Record<number, number>;
  /** Sweep id in the records → the new sweep id. */
  sweepIds: Record<number, number>;
}

export interface ExperimentStore {
  /** Absolute path of the SQLite file, or the PostgreSQL URL with its password masked (safe to show and log). */
  readonly location: string;
  /** Opened read-only (the database cannot be written here): reads work, writes throw StoreReadOnlyError. */
  readonly readOnly: boolean;
  /**
   * Frees the space a store holds back for when the disk fills (SQLite: its reserve file), so the writes that record
   * the failure fit; true when something was freed. Stores without a reserve (PostgreSQL) leave it out.
   */
  releaseReserve?(): Promise<boolean>;

  // Sweeps

  /** Creates a sweep. */
  createSweep(sweep: NewSweep): Promise<SweepRow>;
  getSweep(id: number): Promise<SweepRow | null>;
  /** All sweeps, newest first. */
  listSweeps(): Promise<SweepRow[]>;
  /** Sets a sweep's status; throws StoreNotFoundError for an unknown id. */
  setSweepStatus(id: number, status: RunStatus): Promise<void>;
  /** Deletes a sweep with all its runs and their data; returns false when it did not exist. */
  deleteSweep(id: number): Promise<boolean>;

  // Runs

  /** Creates runs in one transaction (a sweep launch) and returns them in input order. */
  createRuns(runs: NewRun[]): Promise<RunRow[]>;
  getRun(id: number): Promise<RunRow | null>;
  /** Runs matching the filter, sorted (default newest first) and paged. Hidden runs only with includeHidden. */
  listRuns(query?: RunQuery): Promise<RunPage>;
  /** Changes the given fields; returns the updated run. Throws StoreNotFoundError for an unknown id. */
  updateRun(id: number, patch: RunPatch): Promise<RunRow>;
  /** Deletes runs with their params, metrics, checkpoints and replays; returns how many existed. */
  deleteRuns(ids: number[]): Promise<number>;
  /** Hyperparameters of each given run (runs that do not exist are absent from the result). */
  getRunParams(ids: number[]): Promise<Map<number, RunParams>>;

  // Ownership: who may train a run. Lease times are the store's own clock, so owners on different machines agree.
  /** Records a live owner whose lease runs `leaseMs` from now (or renews it, for an owner already recorded). */
  registerOwner(owner: Owner, leaseMs: number): Promise<void>;
  /** Extends the owner's lease; false when it no longer exists (its runs were reclaimed: ownership is lost). */
  renewOwner(ownerId: string, leaseMs: number): Promise<boolean>;
  /** Forgets the owner (at a clean stop, after its runs have their final statuses). */
  releaseOwner(ownerId: string): Promise<void>;
  getOwner(ownerId: string): Promise<OwnerLease | null>;
  /** Moves a queued run of this (live) owner to `running`, atomically; false when it is not so (taken, cancelled). */
  claimRun(runId: number, ownerId: string): Promise<boolean>;
  /**
   * Marks every `running` or `queued` run whose owner's lease has expired (or that has no owner) as `interrupted`,
   * storing the reason, and forgets those owners; a run with a live owner is never touched. Returns what it did.
   */
  reclaimExpired(): Promise<{ runId: number; reason: string }[]>;

  /** The cluster's workers, by name (PostgreSQL; an SQLite store has none). */
  listWorkers(): Promise<WorkerRow[]>;

  // Metrics

  /**
   * Appends metric samples (many runs, keys and steps) in one transaction. Throws StoreNotFoundError naming the
   * run when a sample's run does not exist, writing nothing.
   */
  appendMetrics(samples: readonly MetricSample[]): Promise<void>;
  /** Deletes a run's points with step > `step` (resuming from a checkpoint); returns how many were deleted. */
  deleteMetricsAfter(runId: number, step: number): Promise<number>;
  /** Metric keys with at least one point, for the given runs (default: all runs), sorted. */
  listMetricKeys(runIds?: number[]): Promise<string[]>;
  /**
   * Full-resolution points of these keys of these runs in one indexed read: one entry per (run, key) that has
   * points, grouped by run in ascending id order (keys within a run in no particular order).
   */
  readMetrics(query: MetricsQuery): Promise<MetricPoints[]>;
  /**
   * The last finite point (highest step, then seq) of each of these keys of each of these runs, one index lookup per
   * pair, in no particular order; a pair without a finite point is absent. (The Runs table's current values.)
   */
  readLatestMetrics(runIds: readonly number[], keys: readonly string[]): Promise<LatestMetric[]>;

  // Checkpoints

  /** Stores a checkpoint, replacing one at the same (run, step). */
  saveCheckpoint(checkpoint: NewCheckpoint): Promise<void>;
  /** A run's checkpoints without their blobs, by step ascending. */
  listCheckpoints(runId: number): Promise<CheckpointInfo[]>;
  /** The checkpoint at `step`, or the latest one when `step` is omitted; null when there is none. */
  getCheckpoint(runId: number, step?: number): Promise<Checkpoint | null>;
  /** Deletes a run's checkpoints at these steps; returns how many there were. */
  deleteCheckpoints(runId: number, steps: readonly number[]): Promise<number>;

  // Replays

  /** Stores a recorded episode; returns its id. */
  saveReplay(replay: NewReplay): Promise<number>;
  /** Replays without frames, newest first; all runs when `runId` is omitted. */
  listReplays(runId?: number): Promise<ReplayInfo[]>;
  getReplay(id: number): Promise<Replay | null>;
  deleteReplay(id: number): Promise<boolean>;

  // Copies (bundles, backups)

  /** Everything about these runs and their sweeps, read as one snapshot; throws StoreNotFoundError for a missing run. */
  readRecords(runIds: number[]): Promise<RunRecords>;
  /** Writes records read from this or another store under new ids, in one transaction. */
  insertRecords(records: RunRecords): Promise<ImportResult>;

  // Maintenance

  /** Checks the database (SQLite: its full integrity check; PostgreSQL: invalid indexes); [] when sound, else the problems. */
  checkIntegrity(): Promise<string[]>;
  /** Closes the store; later calls throw. */
  close(): Promise<void>;
}

/** Why a database could not be opened. The file is left exactly as it was. */
export type StoreOpenErrorReason = 'not-sqlite' | 'not-proxima' | 'newer' | 'corrupt' | 'unreadable';

export class StoreOpenError extends Error {
  constructor(
    readonly reason: StoreOpenErrorReason,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

/** A write to a database that was opened read-only (its file or folder cannot be written); names the file. */
export class StoreReadOnlyError extends Error {
  constructor(readonly path: string) {
    super(`${path} is read-only (its file or folder cannot be written): listing and reading work, changing it does not`);
    this.name = 'StoreReadOnlyError';
  }
}

/**
 * A fenced write was refused: the run's `lease_epoch` is no longer the one the writer claimed it under (its lease
 * expired and the run was requeued or claimed by another worker). Nothing was written; the writer must stop.
 */
export class LeaseLostError extends Error {
  constructor(
    readonly runId: number,
    readonly epoch: number,
  ) {
    super(`run ${runId}: write refused, its lease (epoch ${epoch}) was lost to another worker`);
    this.name = 'LeaseLostError';
  }
}

export class StoreNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreNotFoundError';
  }
}
