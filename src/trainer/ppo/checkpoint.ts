/**
 * Checkpoints: a plain structured-clone-able object (Node IPC 'advanced' serialization, SQLite BLOBs).
 * `weights` is the flat float32 parameter buffer, laid out as tfjs weight data: `meta.weightSpecs` lists the tensors
 * in order ({name, shape, dtype}), the same convention as tfjs `ModelArtifacts.weightSpecs` + `weightData`.
 * `optimizer` holds Adam's first and second moments (float32, m then v); `meta.adamStep` its step count.
 */
import type { TrainConfig } from '../../core/training/config';
import type { VecNormalizeState } from '../../core/training/vec-normalize';
import type { AdamState } from '../nn/adam';
import type { Layout, ModelSpec } from '../nn/actor-critic';
import type { VectorEnvSnapshot } from '../../core/envs/vector-env';

export const CHECKPOINT_FORMAT = 'proxima-ppo/1';

export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  config: TrainConfig;
  /** The network's shape (obs dim, action space, layers). Box bounds as plain arrays. */
  model: Omit<ModelSpec, 'action'> & {
    action: { kind: 'discrete'; n: number } | { kind: 'box'; dim: number; low: number[]; high: number[] };
  };
  weightSpecs: { name: string; shape: number[]; dtype: 'float32' }[];
  stepsDone: number;
  iteration: number;
  nUpdates: number;
  adamStep: number;
  beta: number;
  normalization: VecNormalizeState | null;
  prngState: (number | null)[];
  /** The evaluations' own random stream; absent in checkpoints written before it existed. */
  evalPrngState?: (number | null)[];
  backend: string;
  /** ms per calibration workload per backend when the backend was chosen by `auto`. */
  calibration: Record<string, number> | null;
  /** Exact positions of the training and evaluation envs. */
  envState: VectorEnvSnapshot;
  evalEnvState: VectorEnvSnapshot;
  /** The rollout's current (normalized) observations and episode-start flags. */
  rolloutObservations: number[];
  rolloutEpisodeStarts: number[];
  /** The finished-episode window behind rollout/ep_return_mean. */
  recentReturns: number[];
  recentLengths: number[];
  /** GRPO: the reference policy's parameters, in the layout of `weights` (absent for the other algorithms). */
  referenceParams?: number[];
  [key: string]: unknown;
}

export interface Checkpoint {
  step: number;
  weights: Uint8Array;
  optimizer: Uint8Array | null;
  meta: CheckpointMeta;
}

/** Copies a Float32Array's bytes into a fresh Uint8Array (no shared backing buffer). */
export function floatBytes(x: Float32Array): Uint8Array {
  return new Uint8Array(x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength));
}

/** Reads float32 values back from bytes (Uint8Array or ArrayBuffer). */
export function bytesToFloats(bytes: Uint8Array | ArrayBuffer): Float32Array {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const copy = new Uint8Array(u8.byteLength);
  copy.set(u8);
  return new Float32Array(copy.buffer);
}

export function modelToMeta(spec: ModelSpec): CheckpointMeta['model'] {
  const action = spec.action.kind === 'discrete'
    ? spec.action
    : { kind: 'box' as const, dim: spec.action.dim, low: Array.from(spec.action.low), high: Array.from(spec.action.high) };
  return { ...spec, action };
}

export function modelFromMeta(model: CheckpointMeta['model']): ModelSpec {
  const action = model.action.kind === 'discrete'
    ? model.action
    : { kind: 'box' as const, dim: model.action.dim, low: Float32Array.from(model.action.low), high: Float32Array.from(model.action.high) };
  return { ...model, action };
}

export function weightSpecs(layout: Layout): CheckpointMeta['weightSpecs'] {
  return layout.slots.map((s) => ({ name: s.name, shape: s.rows === 1 && s.name.endsWith('.b') ? [s.cols] : [s.rows, s.cols], dtype: 'float32' as const }));
}

export function adamToBytes(state: AdamState): Uint8Array {
  const both = new Float32Array(state.m.length * 2);
  both.set(state.m, 0);
  both.set(state.v, state.m.length);
  return floatBytes(both);
}

export function adamFromBytes(bytes: Uint8Array | ArrayBuffer, t: number): AdamState {
  const both = bytesToFloats(bytes);
  const n = both.length / 2;
  return { m: both.slice(0, n), v: both.slice(n), t };
}
