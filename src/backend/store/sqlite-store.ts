/**
 * `ExperimentStore` on better-sqlite3 (see types.ts for each method's contract).
 *
 * - Open: `inspectDatabaseFile` checks the file read-only first (foreign, newer and damaged files are refused
 *   untouched); then WAL, synchronous=NORMAL (a committed transaction survives a crash of the process; only an OS
 *   crash or power cut can lose the last ones), foreign keys, a busy timeout, and pending migrations in one
 *   transaction.
 * - Writes: every write is one `BEGIN IMMEDIATE` transaction, so concurrent writers (several processes on one
 *   file) queue on the busy timeout instead of failing with SQLITE_BUSY on a read-to-write upgrade.
 * - Metrics: one row per point in a WITHOUT ROWID table keyed (run_id, key_id, step, seq), inserted 64 rows per
 *   statement; "these keys for these runs" is one range scan per (run, key) on that key.
 * - Copies: `readRecords` reads in one transaction (a consistent snapshot); `insertRecords` writes in one.
 *
 * Row conversions are in rows.ts, run filters/sorts as SQL in run-query-sql.ts and metric batch checks in
 * metric-samples.ts (all three shared with the PostgreSQL store), migrations in migrate.ts.
 */
import { accessSync, constants, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { RunQuery, RunStatus } from '../../core/runs/run-query';
import { inspectDatabaseFile, type InspectOptions } from './inspect';
import { checkSample, checkValue, missingRunsError, sampleRunIds } from './metric-samples';
import { flattenParams } from './params';
import { migrate } from './migrate';
import { SCHEMA_VERSION } from './schema';
import { runPageSql, SQLITE_DIALECT } from './run-query-sql';
import {
  blob,
  countsBySweep,
  groupMetricRows,
  paramRows,
  paramsFromRows,
  patchAssignments,
  reclaimReason,
  RUN_INSERT_COLUMNS,
  runInsertValues,
  sortRecordMetrics,
  toCheckpoint,
  toCheckpointInfo,
  toOwner,
  toReplayInfo,
  toRun,
  toStoredCheckpoint,
  toSweep,
  type CheckpointRecord,
  type OwnerRecord,
  type ReclaimRecord,
  type ReplayRecord,
  type RunRecord,
  type SweepRecord,
} from './rows';
import {
  StoreNotFoundError,
  StoreOpenError,
  StoreReadOnlyError,
  type Checkpoint,
  type CheckpointInfo,
  type ExperimentStore,
  type ImportResult,
  type LatestMetric,
  type MetricPoints,
  type MetricSample,
  type MetricsQuery,
  type NewCheckpoint,
  type NewReplay,
  type NewRun,
  type NewSweep,
  type Owner,
  type OwnerLease,
  type ParamValue,
  type Replay,
  type ReplayInfo,
  type RunPage,
  type RunParams,
  type RunPatch,
  type StoredRun,
  type RunRecords,
  type RunRow,
  type SweepRow,
  type WorkerRow,
} from './types';

export interface SqliteStoreOptions extends InspectOptions {
  /** How long a write waits for another connection's lock before failing (ms); default 30,000. */
  busyTimeoutMs?: number;
}

/** Rows per multi-row INSERT: 64 × 6 parameters stays far below SQLite's limit and amortizes the call overhead. */
const ROWS_PER_INSERT = 64;

export class SqliteStore implements ExperimentStore {
  private readonly keyIds = new Map<string, number>();
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    readonly location: string,
    /** Opened read-only: the file (or its folder, which must hold SQLite's journal) cannot be written. */
    readonly readOnly = false,
  ) {}

  /**
   * Opens (creating if needed) the database at `path`. Throws StoreOpenError, leaving the file unchanged, when it
   * is not an SQLite file, belongs to another application, was written by a newer schema, or is damaged.
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    inspectDatabaseFile(path, options);
    if (existsSync(path) && !writable(path)) return SqliteStore.openReadOnly(path);
    const db = new Database(path);
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 30_000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // Ingest speed: statement journals of the multi-row INSERTs stay in memory (with temp files, ~1 pwrite per
      // point: 1.2 M syscalls per 1.5 M points, measured with strace -c), a 64 MiB page cache, and checkpoints every
      // ~40 MB of WAL instead of ~4 MB. Together ~1.5× the points per CPU-second.
      db.pragma('temp_store = MEMORY');
      db.pragma('cache_size = -65536');
      db.pragma('wal_autocheckpoint = 10000');
      migrate(db, path);
    } catch (err) {
      db.close();
      const code = (err as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
        throw new StoreOpenError('corrupt', path, `${path} is a damaged database (${(err as Error).message}); it was left untouched.`);
      }
      throw err;
    }
    const store = new SqliteStore(db, path);
    store.keepReserve();
    return store;
  }

  /**
   * The reserve beside the database (`<file>-reserve`, RESERVE_BYTES of zeros): space held back so that, when the disk
   * fills, the last writes that say what happened (a run's `failed` status and its reason, interrupted marks) still
   * fit. `releaseReserve` deletes it on the first "disk full"; the next open puts it back when there is room again.
   */
  private keepReserve(): void {
    const reserve = `${this.location}${RESERVE_SUFFIX}`;
    if (existsSync(reserve)) return;
    try {
      writeFileSync(reserve, Buffer.alloc(RESERVE_BYTES));
    } catch {
      // Already too full to hold it: the database still works, without the margin.
      rmSync(reserve, { force: true });
    }
  }

  async releaseReserve(): Promise<boolean> {
    const reserve = `${this.location}${RESERVE_SUFFIX}`;
    if (this.readOnly || !existsSync(reserve)) return false;
    rmSync(reserve, { force: true });
    return true;
  }

  /** An existing database that cannot be written, opened for reading (listing runs, showing, exporting). */
  private static openReadOnly(path: string): SqliteStore {
    let db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      db.pragma('user_version', { simple: true });
    } catch {
      // A WAL database in a folder that cannot be written has no shared-memory file to coordinate readers through
      // (and better-sqlite3 builds SQLite without URI filenames, so no `immutable=1`). Nothing can be writing it
      // there either, so read a snapshot: the file's bytes in memory, its header's WAL flags (bytes 18 and 19, file
      // format versions 2) set back to the rollback journal (1), which a memory database can open.
      db.close();
      if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) {
        throw new StoreOpenError('unreadable', path, `${path} is read-only and its journal (${path}-wal) holds changes not yet in the file: open it once where it can be written`);
      }
      const bytes = readFileSync(path);
      bytes[18] = 1;
      bytes[19] = 1;
      db = new Database(bytes, { readonly: true });
    }
    try {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== SCHEMA_VERSION) {
        throw new StoreOpenError('unreadable', path, `${path} is read-only and needs an upgrade to schema ${SCHEMA_VERSION} (it has ${version}): make it writable once`);
      }
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db, path, true);
  }

  private stmt(sql: string): Database.Statement {
    if (this.closed) throw new Error('the experiment store is closed');
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs `fn` in a BEGIN IMMEDIATE transaction. */
  private write<T>(fn: () => T): T {
    if (this.closed) throw new Error('the experiment store is closed');
    if (this.readOnly) throw new StoreReadOnlyError(this.location);
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      // Key ids cached inside a rolled-back transaction may not exist.
      this.keyIds.clear();
      throw err;
    }
  }

  // Sweeps

  async createSweep(sweep: NewSweep): Promise<SweepRow> {
    const id = this.write(
      () =>
        this.stmt('INSERT INTO sweeps (name, env_id, spec, status, created_at) VALUES (?, ?, ?, ?, ?)').run(
          sweep.name,
          sweep.envId,
          JSON.stringify(sweep.spec),
          sweep.status ?? 'queued',
          sweep.createdAt ?? Date.now(),
        ).lastInsertRowid,
    );
    return (await this.getSweep(Number(id)))!;
  }

  private sweepRows(where: string, args: unknown[]): SweepRow[] {
    const rows = this.stmt(`SELECT * FROM sweeps ${where} ORDER BY created_at DESC, id DESC`).all(...args) as SweepRecord[];
    if (rows.length === 0) return [];
    const counts = this.stmt(
      'SELECT sweep_id, status, COUNT(*) AS n FROM runs WHERE sweep_id IN (SELECT value FROM json_each(?)) GROUP BY sweep_id, status',
    ).all(JSON.stringify(rows.map((r) => r.id))) as { sweep_id: number; status: RunStatus; n: number }[];
    const bySweep = countsBySweep(counts);
    const steps = this.stmt(
      'SELECT sweep_id, SUM(steps_done) AS done, SUM(total_timesteps) AS total FROM runs WHERE sweep_id IN (SELECT value FROM json_each(?)) GROUP BY sweep_id',
    ).all(JSON.stringify(rows.map((r) => r.id))) as { sweep_id: number; done: number; total: number }[];
    const stepsBySweep = new Map(steps.map((s) => [s.sweep_id, { done: s.done, total: s.total }]));
    return rows.map((r) => toSweep(r, bySweep.get(r.id), stepsBySweep.get(r.id)));
  }

  async getSweep(id: number): Promise<SweepRow | null> {
    return this.sweepRows('WHERE id = ?', [id])[0] ?? null;
  }

  async listSweeps(): Promise<SweepRow[]> {
    return this.sweepRows('', []);
  }

  async setSweepStatus(id: number, status: RunStatus): Promise<void> {
    const changes = this.write(() => this.stmt('UPDATE sweeps SET status = ? WHERE id = ?').run(status, id).changes);
    if (changes === 0) throw new StoreNotFoundError(`sweep ${id} does not exist`);
  }

  async deleteSweep(id: number): Promise<boolean> {
    return this.write(() => this.stmt('DELETE FROM sweeps WHERE id = ?').run(id).changes > 0);
  }

  // Runs

  /** Inserts a run and its params; a run whose params lack `algorithm` (an old bundle, a legacy config) gets its config's, PPO when none. */
  private insertRun(run: NewRun, sweepId: number | null, given: Record<string, ParamValue>, explicit: Iterable<string>): number {
    const id = Number(
      this.stmt(`INSERT INTO runs (${RUN_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...runInsertValues(run, sweepId))
        .lastInsertRowid,
    );
    const insertParam = this.stmt('INSERT INTO run_params (run_id, key, num_value, text_value, explicit) VALUES (?, ?, ?, ?, ?)');
    for (const row of paramRows(run, given, explicit)) insertParam.run(id, ...row);
    return id;
  }

  async createRuns(runs: NewRun[]): Promise<RunRow[]> {
    const ids = this.write(() =>
      runs.map((run) => {
        const params = { ...flattenParams(run.config), ...(run.params ?? {}) };
        return this.insertRun(run, run.sweepId ?? null, params, Object.keys(run.params ?? {}));
      }),
    );
    return ids.map((id) => this.runById(id)!);
  }

  private runById(id: number): RunRow | null {
    const row = this.stmt('SELECT * FROM runs WHERE id = ?').get(id) as RunRecord | undefined;
    return row ? toRun(row) : null;
  }

  async getRun(id: number): Promise<RunRow | null> {
    return this.runById(id);
  }

  async listRuns(query: RunQuery = {}): Promise<RunPage> {
    const sql = runPageSql(query, SQLITE_DIALECT);
    const total = (this.db.prepare(sql.count).get(...sql.countArgs) as { n: number }).n;
    const rows = this.db.prepare(sql.page).all(...sql.pageArgs) as RunRecord[];
    return { runs: rows.map(toRun), total };
  }

  async updateRun(id: number, patch: RunPatch): Promise<RunRow> {
    const { sets, args } = patchAssignments(patch);
    const changes = this.write(() =>
      sets.length === 0
        ? (this.stmt('SELECT id FROM runs WHERE id = ?').get(id) ? 1 : 0)
        : this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id).changes,
    );
    if (changes === 0) throw new StoreNotFoundError(`run ${id} does not exist`);
    return this.runById(id)!;
  }

  async deleteRuns(ids: number[]): Promise<number> {
    return this.write(() => this.stmt('DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids)).changes);
  }

  private paramsOf(ids: number[]): Map<number, RunParams> {
    const rows = this.stmt(
      'SELECT run_id, key, num_value, text_value, explicit FROM run_params WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, key',
    ).all(JSON.stringify(ids)) as { run_id: number; key: string; num_value: number | null; text_value: string | null; explicit: number }[];
    return paramsFromRows(
      ids.filter((id) => this.stmt('SELECT 1 FROM runs WHERE id = ?').get(id)),
      rows,
    );
  }

  async getRunParams(ids: number[]): Promise<Map<number, RunParams>> {
    return this.paramsOf(ids);
  }

  // Ownership (leases on this machine's clock: one SQLite file has one machine)

  async registerOwner(owner: Owner, leaseMs: number): Promise<void> {
    const now = Date.now();
    this.write(() =>
      this.stmt(
        `INSERT INTO owners (id, host, pid, started_at, lease_until, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until, heartbeat_at = excluded.heartbeat_at`,
      ).run(owner.id, owner.host, owner.pid, owner.startedAt, now + leaseMs, now),
    );
  }

  async renewOwner(ownerId: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    return this.write(() => this.stmt('UPDATE owners SET lease_until = ?, heartbeat_at = ? WHERE id = ?').run(now + leaseMs, now, ownerId).changes === 1);
  }

  async releaseOwner(ownerId: string): Promise<void> {
    this.write(() => this.stmt('DELETE FROM owners WHERE id = ?').run(ownerId));
  }

  async getOwner(ownerId: string): Promise<OwnerLease | null> {
    const row = this.stmt('SELECT * FROM owners WHERE id = ?').get(ownerId) as OwnerRecord | undefined;
    return row ? toOwner(row) : null;
  }

  async claimRun(runId: number, ownerId: string): Promise<boolean> {
    const now = Date.now();
    return this.write(
      () =>
        this.stmt(
          `UPDATE runs SET status = 'running' WHERE id = ? AND status = 'queued' AND owner_id = ?
             AND EXISTS (SELECT 1 FROM owners o WHERE o.id = ? AND o.lease_until >= ?)`,
        ).run(runId, ownerId, ownerId, now).changes === 1,
    );
  }

  async listWorkers(): Promise<WorkerRow[]> {
    // Workers belong to a cluster, which is a PostgreSQL store.
    return [];
  }

  async reclaimExpired(): Promise<{ runId: number; reason: string }[]> {
    const now = Date.now();
    return this.write(() => {
      const rows = this.stmt(
        `SELECT r.id, r.status, o.id AS owner, o.host, o.pid, o.started_at, o.heartbeat_at
           FROM runs r LEFT JOIN owners o ON o.id = r.owner_id
          WHERE r.status IN ('running', 'queued') AND (o.id IS NULL OR o.lease_until < ?)`,
      ).all(now) as ReclaimRecord[];
      const update = this.stmt("UPDATE runs SET status = 'interrupted', error = ?, finished_at = COALESCE(finished_at, ?) WHERE id = ?");
      const reclaimed = rows.map((row) => {
        const reason = reclaimReason(row);
        update.run(reason, now, row.id);
        return { runId: row.id, reason };
      });
      this.stmt('DELETE FROM owners WHERE lease_until < ?').run(now);
      return reclaimed;
    });
  }

  // Metrics

  private keyId(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      this.stmt('INSERT OR IGNORE INTO metric_keys (key) VALUES (?)').run(key);
      id = (this.stmt('SELECT id FROM metric_keys WHERE key = ?').get(key) as { id: number }).id;
      this.keyIds.set(key, id);
    }
    return id;
  }

  async appendMetrics(samples: readonly MetricSample[]): Promise<void> {
    if (samples.length === 0) return;
    const one = this.stmt('INSERT OR REPLACE INTO metrics (run_id, key_id, step, seq, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)');
    const many = this.stmt(
      `INSERT OR REPLACE INTO metrics (run_id, key_id, step, seq, value, wall_time) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`,
    );
    this.write(() => {
      const runIds = sampleRunIds(samples);
      const found = this.stmt('SELECT COUNT(*) AS n FROM runs WHERE id IN (SELECT value FROM json_each(?))').get(JSON.stringify(runIds)) as { n: number };
      if (found.n !== runIds.length) throw missingRunsError(runIds.filter((id) => !this.stmt('SELECT 1 FROM runs WHERE id = ?').get(id)));
      const args = new Array<unknown>(ROWS_PER_INSERT * 6);
      let filled = 0;
      for (const sample of samples) {
        const { seq, wall } = checkSample(sample);
        for (const key in sample.values) {
          checkValue(sample, key, sample.values[key]);
          const o = filled * 6;
          args[o] = sample.runId;
          args[o + 1] = this.keyId(key);
          args[o + 2] = sample.step;
          args[o + 3] = seq;
          args[o + 4] = sample.values[key];
          args[o + 5] = wall;
          if (++filled === ROWS_PER_INSERT) {
            many.run(args);
            filled = 0;
          }
        }
      }
      for (let i = 0; i < filled; i++) one.run(args.slice(i * 6, i * 6 + 6));
    });
  }

  async deleteMetricsAfter(runId: number, step: number): Promise<number> {
    return this.write(() => this.stmt('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, step).changes);
  }

  async listMetricKeys(runIds?: number[]): Promise<string[]> {
    if (runIds === undefined) {
      return (this.stmt('SELECT key FROM metric_keys k WHERE EXISTS (SELECT 1 FROM metrics m WHERE m.key_id = k.id) ORDER BY key').all() as { key: string }[]).map(
        (r) => r.key,
      );
    }
    const rows = this.stmt(
      `SELECT k.key FROM metric_keys k WHERE EXISTS (
         SELECT 1 FROM json_each(?) j JOIN metrics m ON m.run_id = j.value AND m.key_id = k.id)
       ORDER BY k.key`,
    ).all(JSON.stringify(runIds)) as { key: string }[];
    return rows.map((r) => r.key);
  }

  private keyNames(keys: readonly string[] | undefined): Map<number, string> {
    const rows = (
      keys === undefined
        ? this.stmt('SELECT id, key FROM metric_keys').all()
        : this.stmt('SELECT id, key FROM metric_keys WHERE key IN (SELECT value FROM json_each(?))').all(JSON.stringify(keys))
    ) as { id: number; key: string }[];
    return new Map(rows.map((k) => [k.id, k.key]));
  }

  /**
   * One query, served by the primary key as a range scan per (run, key); seq and wall time are read only when
   * asked for (fewer columns to materialize is most of this query's cost).
   */
  async readMetrics(query: MetricsQuery): Promise<MetricPoints[]> {
    return this.metricsOf(query);
  }

  async readLatestMetrics(runIds: readonly number[], keys: readonly string[]): Promise<LatestMetric[]> {
    const names = this.keyNames(keys);
    const latest = this.stmt(
      'SELECT step, value, wall_time FROM metrics WHERE run_id = ? AND key_id = ? AND value IS NOT NULL ORDER BY step DESC, seq DESC LIMIT 1',
    );
    const out: LatestMetric[] = [];
    for (const runId of runIds) {
      for (const [keyId, key] of names) {
        const row = latest.get(runId, keyId) as { step: number; value: number; wall_time: number | null } | undefined;
        if (row) out.push({ runId, key, step: row.step, value: row.value, wallTime: row.wall_time });
      }
    }
    return out;
  }

  private metricsOf({ runIds, keys, withSeq = false, withWallTime = false }: MetricsQuery): MetricPoints[] {
    const names = this.keyNames(keys);
    if (names.size === 0 || runIds.length === 0) return [];
    const columns = `run_id, key_id, step, value${withSeq ? ', seq' : ''}${withWallTime ? ', wall_time' : ''}`;
    const byKey = keys === undefined ? '' : 'AND key_id IN (SELECT value FROM json_each(?))';
    const args = keys === undefined ? [JSON.stringify(runIds)] : [JSON.stringify(runIds), JSON.stringify([...names.keys()])];
    const rows = this.stmt(
      `SELECT ${columns} FROM metrics WHERE run_id IN (SELECT value FROM json_each(?)) ${byKey} ORDER BY run_id, key_id, step, seq`,
    )
      .raw(true)
      .all(...args) as (number | null)[][];
    return groupMetricRows(rows, names, withSeq, withWallTime);
  }

  // Checkpoints

  async saveCheckpoint(c: NewCheckpoint): Promise<void> {
    this.write(() => {
      if (!this.stmt('SELECT 1 FROM runs WHERE id = ?').get(c.runId)) throw new StoreNotFoundError(`run ${c.runId} does not exist`);
      this.stmt(
        'INSERT OR REPLACE INTO checkpoints (run_id, step, created_at, weights, optimizer, normalization, meta) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        c.runId,
        c.step,
        c.createdAt ?? Date.now(),
        blob(c.weights),
        c.optimizer ? blob(c.optimizer) : null,
        c.normalization === undefined ? null : JSON.stringify(c.normalization),
        JSON.stringify(c.meta ?? {}),
      );
    });
  }

  async deleteCheckpoints(runId: number, steps: readonly number[]): Promise<number> {
    if (steps.length === 0) return 0;
    return this.write(() => {
      const remove = this.stmt('DELETE FROM checkpoints WHERE run_id = ? AND step = ?');
      return steps.reduce((n, step) => n + remove.run(runId, step).changes, 0);
    });
  }

  async listCheckpoints(runId: number): Promise<CheckpointInfo[]> {
    const rows = this.stmt(
      `SELECT run_id, step, created_at, length(weights) AS weights_bytes, length(optimizer) AS optimizer_bytes, meta
       FROM checkpoints WHERE run_id = ? ORDER BY step`,
    ).all(runId) as CheckpointRecord[];
    return rows.map(toCheckpointInfo);
  }

  async getCheckpoint(runId: number, step?: number): Promise<Checkpoint | null> {
    const sql = `SELECT run_id, step, created_at, length(weights) AS weights_bytes, length(optimizer) AS optimizer_bytes, meta,
                 weights, optimizer, normalization FROM checkpoints WHERE run_id = ?`;
    const row = (
      step === undefined ? this.stmt(`${sql} ORDER BY step DESC LIMIT 1`).get(runId) : this.stmt(`${sql} AND step = ?`).get(runId, step)
    ) as (CheckpointRecord & { weights: Buffer; optimizer: Buffer | null; normalization: string | null }) | undefined;
    return row ? toCheckpoint(row) : null;
  }

  // Replays

  async saveReplay(r: NewReplay): Promise<number> {
    return this.write(() => {
      if (!this.stmt('SELECT 1 FROM runs WHERE id = ?').get(r.runId)) throw new StoreNotFoundError(`run ${r.runId} does not exist`);
      return Number(
        this.stmt(
          `INSERT INTO replays (run_id, name, checkpoint_step, seed, env_id, frames, total_return, length, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(r.runId, r.name, r.checkpointStep, r.seed, r.envId, JSON.stringify(r.frames), r.totalReturn, r.length, r.createdAt ?? Date.now())
          .lastInsertRowid,
      );
    });
  }

  async listReplays(runId?: number): Promise<ReplayInfo[]> {
    const columns = 'id, run_id, name, checkpoint_step, seed, env_id, total_return, length, created_at';
    const rows = (
      runId === undefined
        ? this.stmt(`SELECT ${columns} FROM replays ORDER BY created_at DESC, id DESC`).all()
        : this.stmt(`SELECT ${columns} FROM replays WHERE run_id = ? ORDER BY created_at DESC, id DESC`).all(runId)
    ) as ReplayRecord[];
    return rows.map(toReplayInfo);
  }

  async getReplay(id: number): Promise<Replay | null> {
    const row = this.stmt('SELECT * FROM replays WHERE id = ?').get(id) as (ReplayRecord & { frames: string }) | undefined;
    return row ? { ...toReplayInfo(row), frames: JSON.parse(row.frames) as unknown[] } : null;
  }

  async deleteReplay(id: number): Promise<boolean> {
    return this.write(() => this.stmt('DELETE FROM replays WHERE id = ?').run(id).changes > 0);
  }

  // Copies

  async readRecords(ids: number[]): Promise<RunRecords> {
    const runIds = [...new Set(ids)].sort((a, b) => a - b);
    return this.db.transaction(() => {
      const params = this.paramsOf(runIds);
      const runs: StoredRun[] = runIds.map((id) => {
        const run = this.runById(id);
        if (!run) throw new StoreNotFoundError(`run ${id} does not exist`);
        return { ...run, params: params.get(id)! };
      });
      const sweepIds = [...new Set(runs.map((r) => r.sweepId).filter((id): id is number => id !== null))].sort((a, b) => a - b);
      const sweeps = sweepIds.map((id) => {
        const { counts: _counts, steps: _steps, ...sweep } = this.sweepRows('WHERE id = ?', [id])[0];
        return sweep;
      });
      const metrics = sortRecordMetrics(this.metricsOf({ runIds, withSeq: true, withWallTime: true }) as RunRecords['metrics']);
      const checkpoints = runIds.flatMap((runId) =>
        (
          this.stmt('SELECT run_id, step, created_at, weights, optimizer, normalization, meta FROM checkpoints WHERE run_id = ? ORDER BY step').all(runId) as {
            run_id: number;
            step: number;
            created_at: number;
            weights: Buffer;
            optimizer: Buffer | null;
            normalization: string | null;
            meta: string;
          }[]
        ).map(toStoredCheckpoint),
      );
      const replays = runIds.flatMap((runId) =>
        (this.stmt('SELECT * FROM replays WHERE run_id = ? ORDER BY id').all(runId) as (ReplayRecord & { frames: string })[]).map((r) => ({
          ...toReplayInfo(r),
          frames: JSON.parse(r.frames) as unknown[],
        })),
      );
      return { sweeps, runs, metrics, checkpoints, replays };
    })();
  }

  async insertRecords(records: RunRecords): Promise<ImportResult> {
    return this.write(() => {
      const sweepIds: Record<number, number> = {};
      const runIds: Record<number, number> = {};
      for (const s of records.sweeps) {
        sweepIds[s.id] = Number(
          this.stmt('INSERT INTO sweeps (name, env_id, spec, status, created_at) VALUES (?, ?, ?, ?, ?)').run(
            s.name,
            s.envId,
            JSON.stringify(s.spec),
            s.status,
            s.createdAt,
          ).lastInsertRowid,
        );
      }
      for (const r of records.runs) {
        const { params, ...run } = r;
        runIds[r.id] = this.insertRun(run, r.sweepId === null ? null : sweepIds[r.sweepId], params.values, params.explicit);
      }
      const insert = this.stmt('INSERT OR REPLACE INTO metrics (run_id, key_id, step, seq, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)');
      for (const m of records.metrics) {
        const keyId = this.keyId(m.key);
        for (let i = 0; i < m.steps.length; i++) insert.run(runIds[m.runId], keyId, m.steps[i], m.seqs[i], m.values[i], m.wallTimes[i]);
      }
      for (const c of records.checkpoints) {
        this.stmt(
          'INSERT INTO checkpoints (run_id, step, created_at, weights, optimizer, normalization, meta) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(
          runIds[c.runId],
          c.step,
          c.createdAt,
          blob(c.weights),
          c.optimizer === null ? null : blob(c.optimizer),
          c.normalization === null || c.normalization === undefined ? null : JSON.stringify(c.normalization),
          JSON.stringify(c.meta),
        );
      }
      for (const r of records.replays) {
        this.stmt(
          `INSERT INTO replays (run_id, name, checkpoint_step, seed, env_id, frames, total_return, length, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(runIds[r.runId], r.name, r.checkpointStep, r.seed, r.envId, JSON.stringify(r.frames), r.totalReturn, r.length, r.createdAt);
      }
      return { runIds, sweepIds };
    });
  }

  // Maintenance

  async checkIntegrity(): Promise<string[]> {
    const rows = (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const fk = this.db.pragma('foreign_key_check') as unknown[];
    const problems = rows.length === 1 && rows[0] === 'ok' ? [] : rows;
    return fk.length > 0 ? [...problems, `${fk.length} foreign key violations`] : problems;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }
}

/** The reserve file's name beside the database, and its size (a few hundred status updates' worth of WAL pages). */
export const RESERVE_SUFFIX = '-reserve';
export const RESERVE_BYTES = 256 * 1024;

/** Whether the database file and its folder (where SQLite keeps its WAL and shared-memory files) can be written. */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
