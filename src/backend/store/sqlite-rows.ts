/** Row shapes of the SQLite tables and their conversion to the store's types. */
import { RUN_STATUSES, type RunStatus } from '../../core/runs/run-query';
import { describeOwner, type CheckpointInfo, type FinalEval, type OwnerLease, type ReplayInfo, type RunRow } from './types';

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
