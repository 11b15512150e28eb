/**
 * Row shapes of the store's tables and their conversion to the store's types, shared by both stores: the
 * PostgreSQL schema mirrors the SQLite one column for column (JSON as text, booleans as 0/1, times as double
 * precision ms), and its driver is set to read integers and numerics as numbers, so both return these shapes.
 */
import { RUN_STATUSES, type RunStatus } from '../../core/runs/run-query';
import { algorithmOf } from '../../core/runs/method';
import { PROXIMA_VERSION } from '../../core/version';
import { decodeParam, encodeParam } from './params';
import {
  describeOwner,
  type Checkpoint,
  type CheckpointInfo,
  type FinalEval,
  type MetricPoints,
  type NewCheckpoint,
  type NewRun,
  type OwnerLease,
  type ParamValue,
  type ReplayInfo,
  type RunParams,
  type RunPatch,
  type RunRow,
  type StoredMetrics,
  type SweepRow,
} from './types';

export interface RunRecord {
  id: number;
  sweep_id: number | null;
  env_id: string;
  seed: number;
  objective: string;
  status: RunStatus;
  error: string | null;
  backend: string | null;
  proxima_version: string;
  config: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  total_timesteps: number;
  steps_done: number;
  final_eval: string | null;
  tags: string;
  notes: string;
  hidden: number;
  owner_id: string | null;
}

export interface OwnerRecord {
  id: string;
  host: string;
  pid: number;
  started_at: number;
  lease_until: number;
  heartbeat_at: number;
}

/** A run whose owner's lease has expired (owner columns null when the owner is unknown). */
export interface ReclaimRecord {
  id: number;
  status: 'running' | 'queued';
  owner: string | null;
  host: string | null;
  pid: number | null;
  started_at: number | null;
  heartbeat_at: number | null;
}

export interface SweepRecord {
  id: number;
  name: string;
  env_id: string;
  spec: string;
  status: RunStatus;
  created_at: number;
}

export interface CheckpointRecord {
  run_id: number;
  step: number;
  created_at: number;
  weights_bytes: number;
  optimizer_bytes: number | null;
  meta: string;
}

export interface ReplayRecord {
  id: number;
  run_id: number;
  name: string;
  checkpoint_step: number | null;
  seed: number | null;
  env_id: string;
  total_return: number;
  length: number;
  created_at: number;
}

export function toRun(r: RunRecord): RunRow {
  return {
    id: r.id,
    sweepId: r.sweep_id,
    envId: r.env_id,
    seed: r.seed,
    objective: r.objective,
    status: r.status,
    error: r.error,
    backend: r.backend,
    proximaVersion: r.proxima_version,
    config: JSON.parse(r.config) as Record<string, unknown>,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    totalTimesteps: r.total_timesteps,
    stepsDone: r.steps_done,
    finalEval: r.final_eval === null ? null : (JSON.parse(r.final_eval) as FinalEval),
    tags: JSON.parse(r.tags) as string[],
    notes: r.notes,
    hidden: r.hidden !== 0,
    ownerId: r.owner_id,
  };
}

export function toOwner(r: OwnerRecord): OwnerLease {
  return { id: r.id, host: r.host, pid: r.pid, startedAt: r.started_at, leaseUntil: r.lease_until, heartbeatAt: r.heartbeat_at };
}

/** Why a reclaimed run was interrupted, naming its owner and its last heartbeat when known. */
export function reclaimReason(r: ReclaimRecord): string {
  const known = r.owner !== null && r.pid !== null && r.host !== null && r.started_at !== null;
  const host = known ? `its host (${describeOwner({ id: r.owner!, host: r.host!, pid: r.pid!, startedAt: r.started_at! })})` : 'its host';
  const heartbeat = known ? `; last heartbeat ${new Date(r.heartbeat_at ?? 0).toISOString()}` : ' (no live lease)';
  return r.status === 'running'
    ? `${host} stopped renewing its lease while it was training${heartbeat}`
    : `not started: ${host} stopped renewing its lease${heartbeat}`;
}

export function toCheckpointInfo(r: CheckpointRecord): CheckpointInfo {
  return {
    runId: r.run_id,
    step: r.step,
    createdAt: r.created_at,
    weightsBytes: r.weights_bytes,
    optimizerBytes: r.optimizer_bytes,
    meta: JSON.parse(r.meta) as Record<string, unknown>,
  };
}

export function toReplayInfo(r: ReplayRecord): ReplayInfo {
  return {
    id: r.id,
    runId: r.run_id,
    name: r.name,
    checkpointStep: r.checkpoint_step,
    seed: r.seed,
    envId: r.env_id,
    totalReturn: r.total_return,
    length: r.length,
    createdAt: r.created_at,
  };
}

export function bytes(buf: Buffer | null): Uint8Array | null {
  return buf === null ? null : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function blob(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export function emptyCounts(): Record<RunStatus, number> {
  return Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
}

/** The `runs` column of each changeable run field, and how its value is stored. */
const PATCH_COLUMNS: Record<keyof RunPatch, [string, (v: never) => unknown]> = {
  status: ['status', (v: RunStatus) => v],
  error: ['error', (v: string | null) => v],
  backend: ['backend', (v: string | null) => v],
  startedAt: ['started_at', (v: number | null) => v],
  finishedAt: ['finished_at', (v: number | null) => v],
  stepsDone: ['steps_done', (v: number) => v],
  totalTimesteps: ['total_timesteps', (v: number) => v],
  finalEval: ['final_eval', (v: FinalEval | null) => (v ? JSON.stringify(v) : null)],
  tags: ['tags', (v: string[]) => JSON.stringify(v)],
  notes: ['notes', (v: string) => v],
  hidden: ['hidden', (v: boolean) => (v ? 1 : 0)],
  ownerId: ['owner_id', (v: string | null) => v],
};

/** A run patch as `column = ?` assignments and their values (undefined fields left out); throws for other fields. */
export function patchAssignments(patch: RunPatch): { sets: string[]; args: unknown[] } {
  const sets: string[] = [];
  const args: unknown[] = [];
  for (const [field, value] of Object.entries(patch) as [keyof RunPatch, never][]) {
    if (value === undefined) continue;
    if (!Object.hasOwn(PATCH_COLUMNS, field)) throw new Error(`updateRun: '${String(field)}' cannot be changed`);
    const [column, encode] = PATCH_COLUMNS[field];
    sets.push(`${column} = ?`);
    args.push(encode(value));
  }
  return { sets, args };
}

/**
 * Metric rows `[run_id, key_id, step, value, seq?, wall_time?]` ordered by (run, key, step, seq) as one
 * `MetricPoints` per (run, key); NULL values read back as NaN. `names` maps key ids to keys.
 */
export function groupMetricRows(rows: readonly (number | null)[][], names: ReadonlyMap<number, string>, withSeq: boolean, withWallTime: boolean): MetricPoints[] {
  const wallAt = withSeq ? 5 : 4;
  const out: MetricPoints[] = [];
  let target: MetricPoints = { runId: -1, key: '', steps: [], values: [] };
  let keyId = -1;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row[0] !== target.runId || row[1] !== keyId) {
      keyId = row[1] as number;
      target = { runId: row[0] as number, key: names.get(keyId)!, steps: [], values: [] };
      if (withSeq) target.seqs = [];
      if (withWallTime) target.wallTimes = [];
      out.push(target);
    }
    target.steps.push(row[2] as number);
    target.values.push(row[3] ?? NaN);
    if (withSeq) target.seqs!.push(row[4] as number);
    if (withWallTime) target.wallTimes!.push(row[wallAt] ?? null);
  }
  return out;
}

/** A sweep row with its run counts and step totals. */
export function toSweep(r: SweepRecord, counts: Record<RunStatus, number> | undefined, steps: { done: number; total: number } | undefined): SweepRow {
  return {
    id: r.id,
    name: r.name,
    envId: r.env_id,
    spec: JSON.parse(r.spec) as Record<string, unknown>,
    status: r.status,
    createdAt: r.created_at,
    counts: counts ?? emptyCounts(),
    steps: steps ?? { done: 0, total: 0 },
  };
}

/** Per-sweep status counts from `(sweep_id, status, n)` rows. */
export function countsBySweep(rows: readonly { sweep_id: number; status: RunStatus; n: number }[]): Map<number, Record<RunStatus, number>> {
  const bySweep = new Map<number, Record<RunStatus, number>>();
  for (const c of rows) {
    const entry = bySweep.get(c.sweep_id) ?? emptyCounts();
    entry[c.status] = c.n;
    bySweep.set(c.sweep_id, entry);
  }
  return bySweep;
}

/** Run params from `run_params` rows ordered by (run, key); `existing` are the ids of the runs that exist. */
export function paramsFromRows(
  existing: readonly number[],
  rows: readonly { run_id: number; key: string; num_value: number | null; text_value: string | null; explicit: number }[],
): Map<number, RunParams> {
  const out = new Map<number, RunParams>();
  for (const id of existing) out.set(id, { values: {}, explicit: [] });
  for (const row of rows) {
    const entry = out.get(row.run_id);
    if (!entry) continue;
    entry.values[row.key] = decodeParam(row.num_value, row.text_value);
    if (row.explicit) entry.explicit.push(row.key);
  }
  return out;
}

/** A run's `run_params` rows to insert: `algorithm` added from its config (PPO when none) when the params lack it. */
export function paramRows(run: NewRun, given: Record<string, ParamValue>, explicit: Iterable<string>): [string, number | null, string | null, number][] {
  const params = 'algorithm' in given ? given : { ...given, algorithm: algorithmOf(run.config) };
  const explicitSet = new Set(explicit);
  return Object.entries(params).map(([key, value]) => {
    const [num, text] = encodeParam(value);
    return [key, num, text, explicitSet.has(key) ? 1 : 0];
  });
}

/** The `runs` column values of a new run, in `RUN_INSERT_COLUMNS` order. */
export function runInsertValues(run: NewRun, sweepId: number | null): unknown[] {
  return [
    sweepId,
    run.envId,
    run.seed,
    run.objective,
    run.status ?? 'queued',
    run.error ?? null,
    run.backend ?? null,
    run.proximaVersion ?? PROXIMA_VERSION,
    JSON.stringify(run.config),
    run.createdAt ?? Date.now(),
    run.startedAt ?? null,
    run.finishedAt ?? null,
    run.totalTimesteps,
    run.stepsDone ?? 0,
    run.finalEval ? JSON.stringify(run.finalEval) : null,
    JSON.stringify(run.tags ?? []),
    run.notes ?? '',
    run.hidden ? 1 : 0,
    run.ownerId ?? null,
  ];
}

export const RUN_INSERT_COLUMNS =
  'sweep_id, env_id, seed, objective, status, error, backend, proxima_version, config, created_at, started_at, finished_at, total_timesteps, steps_done, final_eval, tags, notes, hidden, owner_id';

/** The checkpoint row of a checkpoint as `readRecords` returns it. */
export function toStoredCheckpoint(c: {
  run_id: number;
  step: number;
  created_at: number;
  weights: Buffer;
  optimizer: Buffer | null;
  normalization: string | null;
  meta: string;
}): Required<NewCheckpoint> {
  return {
    runId: c.run_id,
    step: c.step,
    createdAt: c.created_at,
    weights: bytes(c.weights)!,
    optimizer: bytes(c.optimizer),
    normalization: c.normalization === null ? null : (JSON.parse(c.normalization) as unknown),
    meta: JSON.parse(c.meta) as Record<string, unknown>,
  };
}

/** A checkpoint with its blobs, from a row with the info columns and the blob columns. */
export function toCheckpoint(row: CheckpointRecord & { weights: Buffer; optimizer: Buffer | null; normalization: string | null }): Checkpoint {
  return {
    ...toCheckpointInfo(row),
    weights: bytes(row.weights)!,
    optimizer: bytes(row.optimizer),
    normalization: row.normalization === null ? null : JSON.parse(row.normalization),
  };
}

/** `readRecords` order of metrics: by run, then key. */
export function sortRecordMetrics(metrics: StoredMetrics[]): StoredMetrics[] {
  return metrics.sort((a, b) => a.runId - b.runId || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
