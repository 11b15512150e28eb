/**
 * `ExperimentStore` on PostgreSQL through node-postgres (see types.ts for each method's contract), for a store
 * shared by several machines. Same tables and columns as the SQLite store (pg-schema.ts), so row mapping, run
 * filters/sorts and metric batch checks are the shared modules rows.ts, run-query-sql.ts and metric-samples.ts.
 *
 * - Open: connect (URL and libpq environment variables, TLS parameters passed to the driver), apply pending
 *   migrations (pg-migrate.ts). `location` is the URL with its password masked; no error carries the password.
 * - Writes: each in one transaction (or one statement, which is atomic by itself) at READ COMMITTED; races between
 *   processes are settled by single-statement conditional updates (claimRun) and row locks (reclaimExpired).
 *   A committed write survives a crash of this process (and with the server's default synchronous_commit, of
 *   the server).
 * - Leases run on the server's clock (clock_timestamp()), so owners on different machines agree.
 * - Metrics: one row per point keyed (run_id, key_id, step, seq). A batch is one COPY FROM STDIN in binary format
 *   (pg-copy.ts) in a transaction that checks the batch's runs once instead of a per-row foreign key; a batch
 *   whose points partly exist already is upserted by one INSERT … SELECT FROM unnest() … ON CONFLICT instead
 *   (see appendMetrics, also for its synchronous_commit). The chart query is one
 *   statement served by that key, each (run, key) aggregated on the server into packed binary arrays
 *   (float8send/int8send concatenated), so the client decodes a few buffers instead of parsing 50,000 rows.
 * - Copies: `readRecords` reads in one REPEATABLE READ READ ONLY transaction (a consistent snapshot).
 *
 * Fencing (the cluster queue, src/backend/cluster): `runs.lease_epoch` is the fencing token, incremented by every
 * claim. The per-run writes take an optional `epoch`: given, the statement itself checks `lease_epoch = epoch`
 * (holding a share lock on the run row, so a concurrent claim waits for it) and is refused with LeaseLostError,
 * writing nothing, once the epoch moved on. Trials queued into the cluster (`job_id` set) are the cluster's to
 * reclaim: `reclaimExpired` leaves them alone.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RunQuery, RunStatus } from '../../core/runs/run-query';
import { checkSample, checkValue, missingRunsError, sampleRunIds } from './metric-samples';
import { flattenParams } from './params';
import { encodeMetricsCopy, fitsBinaryCopy, type MetricColumns } from './pg-copy';
import { migratePostgres } from './pg-migrate';
import { PG_SCHEMA_VERSION } from './pg-schema';
import {
  countsBySweep,
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
import { numberedPlaceholders, POSTGRES_DIALECT, runPageSql } from './run-query-sql';
import { maskSecrets, maskUrl, urlPassword } from './store-url';
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
  type RunRecords,
  type RunRow,
  type StoredRun,
  type SweepRow,
  type WorkerRow,
  LeaseLostError,
} from './types';

export interface PostgresStoreOptions {
  /** Connections in the pool; default 4. */
  maxConnections?: number;
  /** How long connecting may take (ms); default 10,000. */
  connectTimeoutMs?: number;
  /**
   * How appendMetrics writes new points: 'copy' (default) by COPY FROM STDIN in binary format, 'statement' by one
   * INSERT … SELECT FROM unnest() (the path every batch took before COPY, and rewrites still take; kept selectable
   * so the bench can compare the two in one session).
   */
  metricIngest?: 'copy' | 'statement';
}

/** The server's clock in ms since the epoch. */
const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::double precision';

/** bigint (ids, steps, counts) and numeric (sums) read as JS numbers: every value the store keeps is below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as typeof pg.types.getTypeParser,
};

type Queryable = Pick<pg.ClientBase, 'query'>;

/** A series packed by the chart query (see metricsOf), decoded; sorted by (step, seq) if it did not come so. */
function decodePoints(runId: number, key: string, buf: Buffer, withSeq: boolean, withWallTime: boolean): MetricPoints {
  const size = withWallTime ? 28 : 20;
  const n = buf.length / size;
  const steps = new Array<number>(n);
  const seqs = new Array<number>(n);
  const values = new Array<number>(n);
  const wallTimes: (number | null)[] = withWallTime ? new Array<number | null>(n) : [];
  let ordered = true;
  for (let i = 0, o = 0; i < n; i++, o += size) {
    // int8 as two 32-bit halves: a BigInt per point would cost more than the rest of the decoding.
    steps[i] = buf.readInt32BE(o) * 4294967296 + buf.readUInt32BE(o + 4);
    seqs[i] = buf.readInt32BE(o + 8);
    values[i] = buf.readDoubleBE(o + 12);
    if (withWallTime) {
      const wall = buf.readDoubleBE(o + 20);
      wallTimes[i] = Number.isNaN(wall) ? null : wall;
    }
    if (i > 0 && (steps[i] < steps[i - 1] || (steps[i] === steps[i - 1] && seqs[i] < seqs[i - 1]))) ordered = false;
  }
  const points: MetricPoints = { runId, key, steps, values };
  if (withSeq) points.seqs = seqs;
  if (withWallTime) points.wallTimes = wallTimes;
  if (!ordered) {
    const order = steps.map((_, i) => i).sort((a, b) => steps[a] - steps[b] || seqs[a] - seqs[b]);
    points.steps = order.map((i) => steps[i]);
    points.values = order.map((i) => values[i]);
    if (withSeq) points.seqs = order.map((i) => seqs[i]);
    if (withWallTime) points.wallTimes = order.map((i) => wallTimes[i]);
  }
  return points;
}

/**
 * A PostgreSQL array literal of numbers (`{1,2.5,NULL}`), built directly: the driver's generic array
 * serialization costs several times more per element, and a batch has six arrays of thousands. JS number
 * strings (shortest round-trip form, `1e+21`, `NaN` never: NaN is passed as null) are valid float8/int input.
 */
function numberArray(values: readonly (number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === null ? 'NULL' : String(v);
  }
  return `${out}}`;
}

export class PostgresStore implements ExperimentStore {
  private readonly keyIds = new Map<string, number>();
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    /** The URL with its password masked. */
    readonly location: string,
    readonly readOnly: boolean,
    private readonly secrets: readonly string[],
    private readonly ingest: 'copy' | 'statement',
    private readonly url: string,
  ) {}

  /**
   * The URL this store was opened with, password included: for the cluster's own connections to the same database
   * (the trial queue, a LISTEN connection). Never print it; `location` is the masked form.
   */
  connectionUrl(): string {
    return this.url;
  }

  /**
   * Connects to the database at `url` and brings its schema up to date. Throws StoreOpenError (naming the URL with
   * its password masked) when the server cannot be reached, refuses the credentials, or the database belongs to
   * something else or to a newer Proxima.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const location = maskUrl(url);
    const secrets = [urlPassword(url), process.env['PGPASSWORD'] ?? ''].filter((s) => s.length > 0);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      types: TYPES,
      application_name: 'proxima',
    });
    // An idle client losing its connection (a server restart) is reported here; the pool replaces it.
    pool.on('error', () => undefined);
    let readOnly = false;
    try {
      const client = await pool.connect();
      try {
        readOnly = (await client.query<{ ro: string }>('SHOW transaction_read_only')).rows[0].ro === 'on';
        if (!readOnly) await migratePostgres(client, location);
        else await checkReadable(client, location);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      if (err instanceof StoreOpenError) throw err;
      throw new StoreOpenError('unreadable', location, maskSecrets(`Cannot open the PostgreSQL store ${location}: ${(err as Error).message}`, secrets));
    }
    return new PostgresStore(pool, location, readOnly, secrets, options.metricIngest ?? 'copy', url);
  }

  /** Runs `sql` (with `?` placeholders) on the pool or the given client; driver errors lose any secret. */
  private async query<R extends pg.QueryResultRow>(sql: string, args: unknown[] = [], on: Queryable = this.pool): Promise<pg.QueryResult<R>> {
    if (this.closed) throw new Error('the experiment store is closed');
    try {
      return await on.query<R>(numberedPlaceholders(sql), args);
    } catch (err) {
      throw this.scrub(err);
    }
  }

  private scrub(err: unknown): unknown {
    if (err instanceof Error && this.secrets.some((s) => err.message.includes(s))) err.message = maskSecrets(err.message, this.secrets);
    return err;
  }

  /**
   * Runs `fn` in one read-write transaction on one pooled client (committed when it resolves, rolled back when it
   * throws): the cluster queue writes a trial's run row and its pg-boss job through the same client.
   */
  inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  /** One statement on the pool, `?` placeholders, secrets scrubbed from errors (the cluster queue's reads). */
  run<R extends pg.QueryResultRow>(sql: string, args: unknown[] = [], on?: Queryable): Promise<pg.QueryResult<R>> {
    return this.query<R>(sql, args, on);
  }

  /** After a fenced statement changed nothing: LeaseLostError when the run exists (its epoch moved), else not found. */
  private async refused(runId: number, epoch: number): Promise<never> {
    const { rows } = await this.query('SELECT 1 FROM runs WHERE id = ?', [runId]);
    throw rows.length > 0 ? new LeaseLostError(runId, epoch) : new StoreNotFoundError(`run ${runId} does not exist`);
  }

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>, mode = 'BEGIN'): Promise<T> {
    if (this.closed) throw new Error('the experiment store is closed');
    if (this.readOnly && mode === 'BEGIN') throw new StoreReadOnlyError(this.location);
    const client = await this.pool.connect().catch((err: unknown) => {
      throw this.scrub(err);
    });
    try {
      await client.query(mode);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.scrub(err);
    } finally {
      client.release();
    }
  }

  /** One statement that writes (atomic by itself). */
  private async write<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.readOnly) throw new StoreReadOnlyError(this.location);
    return this.query<R>(sql, args);
  }

  // Sweeps

  async createSweep(sweep: NewSweep): Promise<SweepRow> {
    const { rows } = await this.write<{ id: number }>('INSERT INTO sweeps (name, env_id, spec, status, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id', [
      sweep.name,
      sweep.envId,
      JSON.stringify(sweep.spec),
      sweep.status ?? 'queued',
      sweep.createdAt ?? Date.now(),
    ]);
    return (await this.getSweep(rows[0].id))!;
  }

  private async sweepRows(where: string, args: unknown[], on: Queryable = this.pool): Promise<SweepRow[]> {
    const { rows } = await this.query<SweepRecord>(`SELECT * FROM sweeps ${where} ORDER BY created_at DESC, id DESC`, args, on);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const counts = await this.query<{ sweep_id: number; status: RunStatus; n: number }>(
      'SELECT sweep_id, status, COUNT(*) AS n FROM runs WHERE sweep_id = ANY(?::int[]) GROUP BY sweep_id, status',
      [ids],
      on,
    );
    const steps = await this.query<{ sweep_id: number; done: number; total: number }>(
      'SELECT sweep_id, SUM(steps_done) AS done, SUM(total_timesteps) AS total FROM runs WHERE sweep_id = ANY(?::int[]) GROUP BY sweep_id',
      [ids],
      on,
    );
    const bySweep = countsBySweep(counts.rows);
    const stepsBySweep = new Map(steps.rows.map((s) => [s.sweep_id, { done: s.done, total: s.total }]));
    return rows.map((r) => toSweep(r, bySweep.get(r.id), stepsBySweep.get(r.id)));
  }

  async getSweep(id: number): Promise<SweepRow | null> {
    return (await this.sweepRows('WHERE id = ?', [id]))[0] ?? null;
  }

  async listSweeps(): Promise<SweepRow[]> {
    return this.sweepRows('', []);
  }

  async setSweepStatus(id: number, status: RunStatus): Promise<void> {
    const { rowCount } = await this.write('UPDATE sweeps SET status = ? WHERE id = ?', [status, id]);
    if (rowCount === 0) throw new StoreNotFoundError(`sweep ${id} does not exist`);
  }

  async deleteSweep(id: number): Promise<boolean> {
    return this.transaction(async (client) => {
      await this.deletePoints('SELECT id FROM runs WHERE sweep_id = ? FOR UPDATE', [id], client);
      return ((await this.query('DELETE FROM sweeps WHERE id = ?', [id], client)).rowCount ?? 0) > 0;
    });
  }

  /**
   * Deletes the metric points of the runs `selectRuns` finds, locking those runs first (metrics has no foreign
   * key to cascade; appendMetrics holds FOR KEY SHARE on a batch's runs, so no batch lands after this).
   */
  private async deletePoints(selectRuns: string, args: unknown[], client: Queryable): Promise<void> {
    const ids = (await this.query<{ id: number }>(selectRuns, args, client)).rows.map((r) => r.id);
    if (ids.length > 0) await this.query('DELETE FROM metrics WHERE run_id = ANY(?::int[])', [ids], client);
  }

  // Runs

  /** Inserts a run and its params (`algorithm` added from the config when they lack it). */
  private async insertRun(client: Queryable, run: NewRun, sweepId: number | null, given: Record<string, ParamValue>, explicit: Iterable<string>): Promise<number> {
    const values = runInsertValues(run, sweepId);
    const { rows } = await this.query<{ id: number }>(`INSERT INTO runs (${RUN_INSERT_COLUMNS}) VALUES (${values.map(() => '?').join(', ')}) RETURNING id`, values, client);
    const id = rows[0].id;
    const params = paramRows(run, given, explicit);
    await this.query(
      `INSERT INTO run_params (run_id, key, num_value, text_value, explicit)
       SELECT ?::int, * FROM unnest(?::text[], ?::double precision[], ?::text[], ?::smallint[])`,
      [id, params.map((p) => p[0]), params.map((p) => p[1]), params.map((p) => p[2]), params.map((p) => p[3])],
      client,
    );
    return id;
  }

  /** Inserts runs with their params on `client` (inside the caller's transaction); returns their ids in input order. */
  async insertRuns(client: pg.ClientBase, runs: NewRun[]): Promise<number[]> {
    const out: number[] = [];
    for (const run of runs) {
      const params = { ...flattenParams(run.config), ...(run.params ?? {}) };
      out.push(await this.insertRun(client, run, run.sweepId ?? null, params, Object.keys(run.params ?? {})));
    }
    return out;
  }

  async createRuns(runs: NewRun[]): Promise<RunRow[]> {
    const ids = await this.transaction((client) => this.insertRuns(client, runs));
    if (ids.length === 0) return [];
    const { rows } = await this.query<RunRecord>('SELECT * FROM runs WHERE id = ANY(?::int[])', [ids]);
    const byId = new Map(rows.map((r) => [r.id, toRun(r)]));
    return ids.map((id) => byId.get(id)!);
  }

  private async runById(id: number, on: Queryable = this.pool): Promise<RunRow | null> {
    const { rows } = await this.query<RunRecord>('SELECT * FROM runs WHERE id = ?', [id], on);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async getRun(id: number): Promise<RunRow | null> {
    return this.runById(id);
  }

  async listRuns(query: RunQuery = {}): Promise<RunPage> {
    const sql = runPageSql(query, POSTGRES_DIALECT);
    const [count, page] = await Promise.all([this.query<{ n: number }>(sql.count, sql.countArgs), this.query<RunRecord>(sql.page, sql.pageArgs)]);
    return { runs: page.rows.map(toRun), total: count.rows[0].n };
  }

  /** `epoch`: a fenced write (see the module doc), refused with LeaseLostError once the run's lease_epoch moved on. */
  async updateRun(id: number, patch: RunPatch, epoch?: number): Promise<RunRow> {
    const { sets, args } = patchAssignments(patch);
    const fence = epoch === undefined ? '' : ' AND lease_epoch = ?';
    const fenceArgs = epoch === undefined ? [] : [epoch];
    const { rows } =
      sets.length === 0
        ? await this.query<RunRecord>(`SELECT * FROM runs WHERE id = ?${fence}`, [id, ...fenceArgs])
        : await this.write<RunRecord>(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?${fence} RETURNING *`, [...args, id, ...fenceArgs]);
    if (rows.length === 0) return epoch === undefined ? Promise.reject(new StoreNotFoundError(`run ${id} does not exist`)) : this.refused(id, epoch);
    return toRun(rows[0]);
  }

  async deleteRuns(ids: number[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.transaction(async (client) => {
      await this.deletePoints('SELECT id FROM runs WHERE id = ANY(?::int[]) FOR UPDATE', [ids], client);
      return (await this.query('DELETE FROM runs WHERE id = ANY(?::int[])', [ids], client)).rowCount ?? 0;
    });
  }

  private async paramsOf(ids: number[], on: Queryable = this.pool): Promise<Map<number, RunParams>> {
    const existing = await this.query<{ id: number }>('SELECT id FROM runs WHERE id = ANY(?::int[])', [ids], on);
    const rows = await this.query<{ run_id: number; key: string; num_value: number | null; text_value: string | null; explicit: number }>(
      'SELECT run_id, key, num_value, text_value, explicit FROM run_params WHERE run_id = ANY(?::int[]) ORDER BY run_id, key COLLATE "C"',
      [ids],
      on,
    );
    const found = new Set(existing.rows.map((r) => r.id));
    return paramsFromRows(
      ids.filter((id) => found.has(id)),
      rows.rows,
    );
  }

  async getRunParams(ids: number[]): Promise<Map<number, RunParams>> {
    return this.paramsOf(ids);
  }

  // Ownership (leases on the server's clock)

  async registerOwner(owner: Owner, leaseMs: number): Promise<void> {
    await this.write(
      `INSERT INTO owners (id, host, pid, started_at, lease_until, heartbeat_at) VALUES (?, ?, ?, ?, ${NOW_MS} + ?, ${NOW_MS})
       ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until, heartbeat_at = excluded.heartbeat_at`,
      [owner.id, owner.host, owner.pid, owner.startedAt, leaseMs],
    );
  }

  async renewOwner(ownerId: string, leaseMs: number): Promise<boolean> {
    return (await this.write(`UPDATE owners SET lease_until = ${NOW_MS} + ?, heartbeat_at = ${NOW_MS} WHERE id = ?`, [leaseMs, ownerId])).rowCount === 1;
  }

  async releaseOwner(ownerId: string): Promise<void> {
    await this.write('DELETE FROM owners WHERE id = ?', [ownerId]);
  }

  async getOwner(ownerId: string): Promise<OwnerLease | null> {
    const { rows } = await this.query<OwnerRecord>('SELECT * FROM owners WHERE id = ?', [ownerId]);
    return rows[0] ? toOwner(rows[0]) : null;
  }

  async listWorkers(): Promise<WorkerRow[]> {
    const { rows } = await this.query<{
      name: string;
      owner_id: string;
      host: string;
      pid: number;
      cores: number;
      concurrency: number;
      trials: number[];
      started_at: number;
      heartbeat_at: number;
      stopped_at: number | null;
    }>('SELECT * FROM workers ORDER BY name');
    return rows.map((r) => ({
      name: r.name,
      ownerId: r.owner_id,
      host: r.host,
      pid: r.pid,
      cores: r.cores,
      concurrency: r.concurrency,
      trials: r.trials,
      startedAt: r.started_at,
      heartbeatAt: r.heartbeat_at,
      stoppedAt: r.stopped_at,
    }));
  }

  async claimRun(runId: number, ownerId: string): Promise<boolean> {
    const { rowCount } = await this.write(
      `UPDATE runs SET status = 'running', lease_epoch = lease_epoch + 1 WHERE id = ? AND status = 'queued' AND owner_id = ?
         AND EXISTS (SELECT 1 FROM owners o WHERE o.id = ? AND o.lease_until >= ${NOW_MS})`,
      [runId, ownerId, ownerId],
    );
    return rowCount === 1;
  }

  async reclaimExpired(): Promise<{ runId: number; reason: string }[]> {
    return this.transaction(async (client) => {
      const now = (await this.query<{ now: number }>(`SELECT ${NOW_MS} AS now`, [], client)).rows[0].now;
      // Row locks on the runs: a concurrent reclaimer waits, then re-reads them as already interrupted.
      const { rows } = await this.query<ReclaimRecord>(
        `SELECT r.id, r.status, o.id AS owner, o.host, o.pid, o.started_at, o.heartbeat_at
           FROM runs r LEFT JOIN owners o ON o.id = r.owner_id
          WHERE r.status IN ('running', 'queued') AND r.job_id IS NULL AND (o.id IS NULL OR o.lease_until < ?)
          ORDER BY r.id FOR UPDATE OF r`,
        [now],
        client,
      );
      const reclaimed = rows.map((row) => ({ runId: row.id, reason: reclaimReason(row) }));
      if (reclaimed.length > 0) {
        await this.query(
          `UPDATE runs r SET status = 'interrupted', error = u.reason, finished_at = COALESCE(r.finished_at, ?)
             FROM unnest(?::int[], ?::text[]) AS u(id, reason) WHERE r.id = u.id`,
          [now, reclaimed.map((r) => r.runId), reclaimed.map((r) => r.reason)],
          client,
        );
      }
      await this.query('DELETE FROM owners WHERE lease_until < ?', [now], client);
      return reclaimed;
    });
  }

  // Metrics

  /** Ids of these metric keys, creating the missing ones (committed on their own: an unused key is harmless). */
  private async keyIdsOf(keys: Iterable<string>): Promise<void> {
    const missing = [...keys].filter((k) => !this.keyIds.has(k));
    if (missing.length === 0) return;
    await this.query('INSERT INTO metric_keys (key) SELECT unnest(?::text[]) ON CONFLICT (key) DO NOTHING', [missing]);
    const { rows } = await this.query<{ id: number; key: string }>('SELECT id, key FROM metric_keys WHERE key = ANY(?::text[])', [missing]);
    for (const r of rows) this.keyIds.set(r.key, r.id);
  }

  /**
   * Points are written by COPY into metrics in one transaction that first locks the batch's runs (FOR KEY SHARE, as
   * a foreign key check would: a concurrent deleteRuns waits, or has already removed them). New points are the
   * rule (a resumed run has its later points deleted first), so the batch goes straight into the table; when some
   * already exist (a batch sent again after a lost acknowledgement, a rewrite) the primary key refuses the COPY,
   * the transaction rolls back, and the batch is upserted by the one-statement path (upsertMetrics).
   *
   * Durability: the transaction commits with synchronous_commit off (SET LOCAL, this transaction only). A crash
   * of the server (not of a client, nor a lost connection) may lose metric batches committed in the last
   * ~3 × wal_writer_delay (600 ms by default), never part of a batch and never out of order: WAL is one log, so
   * any later synchronous commit — the run's checkpoint, its status, its stepsDone, which the run queue writes
   * after the metrics they follow — makes every earlier batch durable. What can be lost therefore lies after the
   * run's last durable checkpoint, and a run resumed after a crash deletes its points after that checkpoint and
   * logs them again (run-queue.ts), so nothing is lost or doubled in the end.
   *
   * `fence`: every sample is of this run, written only while its lease_epoch is `epoch` (the run check takes
   * FOR SHARE then, so a concurrent claim waits for the batch); else nothing is written and LeaseLostError thrown.
   */
  async appendMetrics(samples: readonly MetricSample[], fence?: { runId: number; epoch: number }): Promise<void> {
    if (samples.length === 0) return;
    if (this.readOnly) throw new StoreReadOnlyError(this.location);
    const keys = new Set<string>();
    for (const sample of samples) {
      checkSample(sample);
      for (const key in sample.values) {
        checkValue(sample, key, sample.values[key]);
        keys.add(key);
      }
    }
    await this.keyIdsOf(keys);
    const columns: MetricColumns = { runIds: [], keyIds: [], steps: [], seqs: [], values: [], wallTimes: [] };
    for (const sample of samples) {
      const seq = sample.seq ?? 0;
      const wall = sample.wallTime ?? null;
      for (const key in sample.values) {
        const value = sample.values[key];
        columns.runIds.push(sample.runId);
        columns.keyIds.push(this.keyIds.get(key)!);
        columns.steps.push(sample.step);
        columns.seqs.push(seq);
        columns.values.push(Number.isNaN(value) ? null : value);
        columns.wallTimes.push(wall);
      }
    }
    if (columns.steps.length === 0) return;
    const runs = sampleRunIds(samples);
    if (fence && runs.some((id) => id !== fence.runId)) throw new Error(`a fenced metrics batch of run ${fence.runId} has points of other runs`);
    if (this.ingest === 'copy' && fitsBinaryCopy(columns) && (await this.copyMetrics(runs, columns, fence))) return;
    await this.upsertMetrics(runs, columns, fence);
  }

  /**
   * The COPY path of appendMetrics: true when written, false when some point already exists (nothing written).
   * Three round trips: BEGIN with the run check (the ids are int4, checked by fitsBinaryCopy, so they are written
   * into the SQL), the COPY, COMMIT.
   */
  private async copyMetrics(runs: number[], columns: MetricColumns, fence?: { runId: number; epoch: number }): Promise<boolean> {
    if (this.closed) throw new Error('the experiment store is closed');
    const payload = encodeMetricsCopy(columns);
    const client = await this.pool.connect().catch((err: unknown) => {
      throw this.scrub(err);
    });
    let broken = false;
    try {
      const results = (await client.query(
        fence
          ? `BEGIN; SET LOCAL synchronous_commit = off; SELECT id FROM runs WHERE id = ${Math.trunc(fence.runId)} AND lease_epoch = ${Math.trunc(fence.epoch)} FOR SHARE`
          : `BEGIN; SET LOCAL synchronous_commit = off; SELECT id FROM runs WHERE id IN (${runs.join(', ')}) FOR KEY SHARE`,
      )) as unknown as pg.QueryResult<{ id: number }>[];
      const found = results[2].rows;
      if (found.length !== runs.length && fence) await this.refused(fence.runId, fence.epoch);
      if (found.length !== runs.length) {
        const present = new Set(found.map((r) => r.id));
        throw missingRunsError(runs.filter((id) => !present.has(id)));
      }
      const copy = client.query(copyFrom('COPY metrics (run_id, key_id, step, seq, value, wall_time) FROM STDIN (FORMAT binary)'));
      // 'finish' comes once the server has acknowledged the whole COPY.
      await new Promise<void>((resolve, reject) => {
        copy.once('error', reject);
        copy.once('finish', resolve);
        copy.end(payload);
      });
      await client.query('COMMIT');
      return true;
    } catch (err) {
      // A connection that cannot even roll back (lost mid-COPY) is discarded, not returned to the pool.
      broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      if ((err as { code?: string }).code === '23505') return false;
      throw this.scrub(err);
    } finally {
      client.release(broken);
    }
  }

  /**
   * appendMetrics as one statement (atomic without a transaction, one round trip) of six arrays: lock the batch's
   * runs and insert only when all exist. A plain INSERT first, then the upsert when some points exist.
   */
  private async upsertMetrics(runs: number[], { runIds, keyIds, steps, seqs, values, wallTimes }: MetricColumns, fence?: { runId: number; epoch: number }): Promise<void> {
    const insert = (columns: unknown[][], upsert: boolean): Promise<pg.QueryResult> =>
      this.query(
        `WITH found AS (SELECT count(*) AS n FROM (SELECT id FROM runs WHERE id = ANY(?::int[])${fence ? ' AND lease_epoch = ?' : ''} FOR ${fence ? 'SHARE' : 'KEY SHARE'}) r)
         INSERT INTO metrics (run_id, key_id, step, seq, value, wall_time)
         SELECT * FROM unnest(?::int[], ?::int[], ?::bigint[], ?::int[], ?::double precision[], ?::double precision[])
          WHERE (SELECT n FROM found) = ?
         ${upsert ? 'ON CONFLICT (run_id, key_id, step, seq) DO UPDATE SET value = excluded.value, wall_time = excluded.wall_time' : ''}`,
        [runs, ...(fence ? [fence.epoch] : []), ...columns.map((c) => numberArray(c as (number | null)[])), runs.length],
      );
    const columns: unknown[][] = [runIds, keyIds, steps, seqs, values, wallTimes];
    let result: pg.QueryResult;
    try {
      result = await insert(columns, false);
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      // Some points exist (a rewrite): replace them.
      try {
        result = await insert(columns, true);
      } catch (again) {
        if ((again as { code?: string }).code !== '21000') throw again;
        // The batch writes one point twice (ON CONFLICT cannot update a row twice in one statement): the later
        // wins, as a later write replaces an earlier one.
        const last = new Map<string, number>();
        for (let i = 0; i < runIds.length; i++) last.set(`${runIds[i]} ${keyIds[i]} ${steps[i]} ${seqs[i]}`, i);
        const keep = [...last.values()].sort((a, b) => a - b);
        result = await insert(
          columns.map((column) => keep.map((i) => column[i])),
          true,
        );
      }
    }
    if (result.rowCount === 0 && runIds.length > 0 && fence) await this.refused(fence.runId, fence.epoch);
    if (result.rowCount === 0 && runIds.length > 0) {
      const found = new Set((await this.query<{ id: number }>('SELECT id FROM runs WHERE id = ANY(?::int[])', [runs])).rows.map((r) => r.id));
      const missing = runs.filter((id) => !found.has(id));
      if (missing.length > 0) throw missingRunsError(missing);
    }
  }

  async deleteMetricsAfter(runId: number, step: number, epoch?: number): Promise<number> {
    // ±Infinity ("all of them", "none") as bigint bounds: steps are non-negative safe integers.
    if (!Number.isFinite(step)) step = step < 0 ? -1 : Number.MAX_SAFE_INTEGER;
    if (epoch === undefined) return (await this.write('DELETE FROM metrics WHERE run_id = ? AND step > ?', [runId, step])).rowCount ?? 0;
    const { rows } = await this.write<{ owned: number; n: number }>(
      `WITH owner AS (SELECT id FROM runs WHERE id = ? AND lease_epoch = ? FOR SHARE),
            gone AS (DELETE FROM metrics WHERE run_id = (SELECT id FROM owner) AND step > ? RETURNING 1)
       SELECT (SELECT count(*) FROM owner) AS owned, (SELECT count(*) FROM gone) AS n`,
      [runId, epoch, step],
    );
    if (rows[0].owned === 0) await this.refused(runId, epoch);
    return rows[0].n;
  }

  async listMetricKeys(runIds?: number[]): Promise<string[]> {
    const { rows } =
      runIds === undefined
        ? await this.query<{ key: string }>('SELECT key FROM metric_keys k WHERE EXISTS (SELECT 1 FROM metrics m WHERE m.key_id = k.id) ORDER BY key COLLATE "C"')
        : await this.query<{ key: string }>(
            'SELECT k.key FROM metric_keys k WHERE EXISTS (SELECT 1 FROM metrics m WHERE m.run_id = ANY(?::int[]) AND m.key_id = k.id) ORDER BY k.key COLLATE "C"',
            [runIds],
          );
    return rows.map((r) => r.key);
  }

  private async keyNames(keys: readonly string[] | undefined, on: Queryable = this.pool): Promise<Map<number, string>> {
    const { rows } =
      keys === undefined
        ? await this.query<{ id: number; key: string }>('SELECT id, key FROM metric_keys', [], on)
        : await this.query<{ id: number; key: string }>('SELECT id, key FROM metric_keys WHERE key = ANY(?::text[])', [[...keys]], on);
    return new Map(rows.map((k) => [k.id, k.key]));
  }

  async readMetrics(query: MetricsQuery): Promise<MetricPoints[]> {
    return this.metricsOf(query);
  }

  async readLatestMetrics(runIds: readonly number[], keys: readonly string[]): Promise<LatestMetric[]> {
    const names = await this.keyNames(keys);
    if (names.size === 0 || runIds.length === 0) return [];
    const { rows } = await this.query<{ run_id: number; key_id: number; step: number; value: number; wall_time: number | null }>(
      `SELECT r.run_id, k.key_id, l.step, l.value, l.wall_time
         FROM unnest(?::int[]) AS r(run_id) CROSS JOIN unnest(?::int[]) AS k(key_id)
         CROSS JOIN LATERAL (SELECT m.step, m.value, m.wall_time FROM metrics m
                              WHERE m.run_id = r.run_id AND m.key_id = k.key_id AND m.value IS NOT NULL
                              ORDER BY m.step DESC, m.seq DESC LIMIT 1) l`,
      [[...runIds], [...names.keys()]],
    );
    return rows.map((r) => ({ runId: r.run_id, key: names.get(r.key_id)!, step: r.step, value: r.value, wallTime: r.wall_time }));
  }

  /**
   * One statement: for each (run, key) an index range scan on the primary key, in (step, seq) order, whose rows
   * the server packs into one bytea of fixed-size records (int8 step, int4 seq, float8 value, float8 wall time
   * when asked for; NULL as NaN), so the client decodes one buffer per series instead of parsing a row per point.
   * PostgreSQL feeds an aggregate its ordered subquery's rows in order ("usually", its manual says): the decoder
   * checks the order and sorts a series that came out of it.
   */
  private async metricsOf({ runIds, keys, withSeq = false, withWallTime = false }: MetricsQuery, on: Queryable = this.pool): Promise<MetricPoints[]> {
    const names = await this.keyNames(keys, on);
    if (names.size === 0 || runIds.length === 0) return [];
    const record = `int8send(step) || int4send(seq) || float8send(COALESCE(value, 'NaN'))${withWallTime ? " || float8send(COALESCE(wall_time, 'NaN'))" : ''}`;
    const { rows } = await this.query<{ run_id: number; key_id: number; points: Buffer }>(
      `SELECT r.run_id, k.key_id, a.points
         FROM unnest(?::int[]) AS r(run_id) CROSS JOIN unnest(?::int[]) AS k(key_id)
         CROSS JOIN LATERAL (SELECT string_agg(${record}, ''::bytea) AS points
                               FROM (SELECT step, seq, value${withWallTime ? ', wall_time' : ''} FROM metrics m
                                      WHERE m.run_id = r.run_id AND m.key_id = k.key_id ORDER BY step, seq) s) a
        WHERE a.points IS NOT NULL
        ORDER BY r.run_id`,
      [[...new Set(runIds)], [...names.keys()]],
      on,
    );
    return rows.map((r) => decodePoints(r.run_id, names.get(r.key_id)!, r.points, withSeq, withWallTime));
  }

  // Checkpoints

  async saveCheckpoint(c: NewCheckpoint, epoch?: number): Promise<void> {
    if (this.readOnly) throw new StoreReadOnlyError(this.location);
    try {
      const { rowCount } = await this.query(
        `${epoch === undefined ? '' : 'WITH owner AS (SELECT id FROM runs WHERE id = ? AND lease_epoch = ? FOR SHARE) '}INSERT INTO checkpoints (run_id, step, created_at, weights, optimizer, normalization, meta)
         ${epoch === undefined ? 'VALUES (?, ?, ?, ?, ?, ?, ?)' : 'SELECT ?::int, ?::bigint, ?::double precision, ?::bytea, ?::bytea, ?::text, ?::text FROM owner'}
         ON CONFLICT (run_id, step) DO UPDATE SET created_at = excluded.created_at, weights = excluded.weights, optimizer = excluded.optimizer,
           normalization = excluded.normalization, meta = excluded.meta`,
        [
          ...(epoch === undefined ? [] : [c.runId, epoch]),
          c.runId,
          c.step,
          c.createdAt ?? Date.now(),
          Buffer.from(c.weights.buffer, c.weights.byteOffset, c.weights.byteLength),
          c.optimizer ? Buffer.from(c.optimizer.buffer, c.optimizer.byteOffset, c.optimizer.byteLength) : null,
          c.normalization === undefined ? null : JSON.stringify(c.normalization),
          JSON.stringify(c.meta ?? {}),
        ],
      );
      if (epoch !== undefined && rowCount === 0) await this.refused(c.runId, epoch);
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new StoreNotFoundError(`run ${c.runId} does not exist`);
      throw err;
    }
  }

  async deleteCheckpoints(runId: number, steps: readonly number[], epoch?: number): Promise<number> {
    if (steps.length === 0) return 0;
    if (epoch === undefined) return (await this.write('DELETE FROM checkpoints WHERE run_id = ? AND step = ANY(?::bigint[])', [runId, [...steps]])).rowCount ?? 0;
    const { rows } = await this.write<{ owned: number; n: number }>(
      `WITH owner AS (SELECT id FROM runs WHERE id = ? AND lease_epoch = ? FOR SHARE),
            gone AS (DELETE FROM checkpoints WHERE run_id = (SELECT id FROM owner) AND step = ANY(?::bigint[]) RETURNING 1)
       SELECT (SELECT count(*) FROM owner) AS owned, (SELECT count(*) FROM gone) AS n`,
      [runId, epoch, [...steps]],
    );
    if (rows[0].owned === 0) await this.refused(runId, epoch);
    return rows[0].n;
  }

  async listCheckpoints(runId: number): Promise<CheckpointInfo[]> {
    const { rows } = await this.query<CheckpointRecord>(
      `SELECT run_id, step, created_at, length(weights) AS weights_bytes, length(optimizer) AS optimizer_bytes, meta
       FROM checkpoints WHERE run_id = ? ORDER BY step`,
      [runId],
    );
    return rows.map(toCheckpointInfo);
  }

  async getCheckpoint(runId: number, step?: number): Promise<Checkpoint | null> {
    const sql = `SELECT run_id, step, created_at, length(weights) AS weights_bytes, length(optimizer) AS optimizer_bytes, meta,
                 weights, optimizer, normalization FROM checkpoints WHERE run_id = ?`;
    const { rows } = await this.query<CheckpointRecord & { weights: Buffer; optimizer: Buffer | null; normalization: string | null }>(
      step === undefined ? `${sql} ORDER BY step DESC LIMIT 1` : `${sql} AND step = ?`,
      step === undefined ? [runId] : [runId, step],
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  // Replays

  async saveReplay(r: NewReplay): Promise<number> {
    if (this.readOnly) throw new StoreReadOnlyError(this.location);
    try {
      const { rows } = await this.query<{ id: number }>(
        `INSERT INTO replays (run_id, name, checkpoint_step, seed, env_id, frames, total_return, length, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [r.runId, r.name, r.checkpointStep, r.seed, r.envId, JSON.stringify(r.frames), r.totalReturn, r.length, r.createdAt ?? Date.now()],
      );
      return rows[0].id;
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new StoreNotFoundError(`run ${r.runId} does not exist`);
      throw err;
    }
  }

  async listReplays(runId?: number): Promise<ReplayInfo[]> {
    const columns = 'id, run_id, name, checkpoint_step, seed, env_id, total_return, length, created_at';
    const { rows } =
      runId === undefined
        ? await this.query<ReplayRecord>(`SELECT ${columns} FROM replays ORDER BY created_at DESC, id DESC`)
        : await this.query<ReplayRecord>(`SELECT ${columns} FROM replays WHERE run_id = ? ORDER BY created_at DESC, id DESC`, [runId]);
    return rows.map(toReplayInfo);
  }

  async getReplay(id: number): Promise<Replay | null> {
    const { rows } = await this.query<ReplayRecord & { frames: string }>('SELECT * FROM replays WHERE id = ?', [id]);
    return rows[0] ? { ...toReplayInfo(rows[0]), frames: JSON.parse(rows[0].frames) as unknown[] } : null;
  }

  async deleteReplay(id: number): Promise<boolean> {
    return ((await this.write('DELETE FROM replays WHERE id = ?', [id])).rowCount ?? 0) > 0;
  }

  // Copies

  async readRecords(ids: number[]): Promise<RunRecords> {
    const runIds = [...new Set(ids)].sort((a, b) => a - b);
    return this.transaction(async (client) => {
      const params = await this.paramsOf(runIds, client);
      const runs: StoredRun[] = [];
      for (const id of runIds) {
        const run = await this.runById(id, client);
        if (!run) throw new StoreNotFoundError(`run ${id} does not exist`);
        runs.push({ ...run, params: params.get(id)! });
      }
      const sweepIds = [...new Set(runs.map((r) => r.sweepId).filter((id): id is number => id !== null))].sort((a, b) => a - b);
      const sweeps = (await this.sweepRows('WHERE id = ANY(?::int[])', [sweepIds], client))
        .sort((a, b) => a.id - b.id)
        .map(({ counts: _counts, steps: _steps, ...sweep }) => sweep);
      const metrics = sortRecordMetrics((await this.metricsOf({ runIds, withSeq: true, withWallTime: true }, client)) as RunRecords['metrics']);
      const checkpoints = (
        await this.query<Parameters<typeof toStoredCheckpoint>[0]>(
          'SELECT run_id, step, created_at, weights, optimizer, normalization, meta FROM checkpoints WHERE run_id = ANY(?::int[]) ORDER BY run_id, step',
          [runIds],
          client,
        )
      ).rows.map(toStoredCheckpoint);
      const replays = (await this.query<ReplayRecord & { frames: string }>('SELECT * FROM replays WHERE run_id = ANY(?::int[]) ORDER BY run_id, id', [runIds], client)).rows.map(
        (r) => ({ ...toReplayInfo(r), frames: JSON.parse(r.frames) as unknown[] }),
      );
      return { sweeps, runs, metrics, checkpoints, replays };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async insertRecords(records: RunRecords): Promise<ImportResult> {
    if (this.readOnly) throw new StoreReadOnlyError(this.location);
    await this.keyIdsOf(records.metrics.map((m) => m.key));
    return this.transaction(async (client) => {
      const sweepIds: Record<number, number> = {};
      const runIds: Record<number, number> = {};
      for (const s of records.sweeps) {
        const { rows } = await this.query<{ id: number }>(
          'INSERT INTO sweeps (name, env_id, spec, status, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
          [s.name, s.envId, JSON.stringify(s.spec), s.status, s.createdAt],
          client,
        );
        sweepIds[s.id] = rows[0].id;
      }
      for (const r of records.runs) {
        const { params, ...run } = r;
        runIds[r.id] = await this.insertRun(client, run, r.sweepId === null ? null : sweepIds[r.sweepId], params.values, params.explicit);
      }
      for (const m of records.metrics) {
        const keyId = this.keyIds.get(m.key)!;
        await this.query(
          `INSERT INTO metrics (run_id, key_id, step, seq, value, wall_time)
           SELECT ?::int, ?::int, * FROM unnest(?::bigint[], ?::int[], ?::double precision[], ?::double precision[])`,
          [runIds[m.runId], keyId, m.steps, m.seqs, m.values.map((v) => (Number.isNaN(v) ? null : v)), m.wallTimes],
          client,
        );
      }
      for (const c of records.checkpoints) {
        await this.query(
          'INSERT INTO checkpoints (run_id, step, created_at, weights, optimizer, normalization, meta) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [
            runIds[c.runId],
            c.step,
            c.createdAt,
            Buffer.from(c.weights.buffer, c.weights.byteOffset, c.weights.byteLength),
            c.optimizer === null ? null : Buffer.from(c.optimizer.buffer, c.optimizer.byteOffset, c.optimizer.byteLength),
            c.normalization === null || c.normalization === undefined ? null : JSON.stringify(c.normalization),
            JSON.stringify(c.meta),
          ],
          client,
        );
      }
      for (const r of records.replays) {
        await this.query(
          `INSERT INTO replays (run_id, name, checkpoint_step, seed, env_id, frames, total_return, length, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [runIds[r.runId], r.name, r.checkpointStep, r.seed, r.envId, JSON.stringify(r.frames), r.totalReturn, r.length, r.createdAt],
          client,
        );
      }
      return { runIds, sweepIds };
    });
  }

  // Maintenance

  /** The schema is the one this build writes, and no index of the store's tables is invalid (a failed build). */
  async checkIntegrity(): Promise<string[]> {
    const problems: string[] = [];
    const { rows } = await this.query<{ index: string }>(
      `SELECT c.relname AS index FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE NOT i.indisvalid AND c.relnamespace = current_schema()::regnamespace`,
    );
    for (const r of rows) problems.push(`index ${r.index} is invalid`);
    return problems;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** A read-only connection (a hot standby, a read-only role): the schema must already be this build's. */
async function checkReadable(client: pg.ClientBase, location: string): Promise<void> {
  const exists = (await client.query<{ t: string | null }>("SELECT to_regclass('proxima_migrations')::text AS t")).rows[0].t !== null;
  const version = exists ? ((await client.query<{ v: number | null }>('SELECT max(version) AS v FROM proxima_migrations')).rows[0].v ?? 0) : 0;
  if (version !== PG_SCHEMA_VERSION) {
    throw new StoreOpenError('unreadable', location, `${location} is read-only and has schema ${version}, not ${PG_SCHEMA_VERSION}: open it once where it can be written`);
  }
}
