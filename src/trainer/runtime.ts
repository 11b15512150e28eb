/**
 * The ML side of the trainer process, as the message loop (process.ts) sees it: tfjs backend selection, the
 * training (any algorithm; or a pack of PPO trials, src/trainer/pack) streaming its metrics as protocol messages, and
 * a loaded policy for replay.
 */
import { parseTrainConfig, type PpoConfig } from '../core/training/config';
import type { CheckpointWire, TrainerMessage } from '../core/protocol/trainer';
import { packRefusal } from '../core/training/packing';
import { createPack } from './pack/pack';
import { trainPack } from './pack/train-pack';
import type { TrainerRuntime } from './process';
import type { Checkpoint } from './ppo/checkpoint';
import { loadPolicy, type LoadedPolicy } from './ppo/policy';
import { train, type TrainHooks, type TrainResult } from './train';
import { initBackend } from './tf-backend';

function toCheckpoint(wire: CheckpointWire): Checkpoint {
  const bytes = (b: Uint8Array | ArrayBuffer): Uint8Array => (b instanceof Uint8Array ? b : new Uint8Array(b));
  return {
    step: wire.step,
    weights: bytes(wire.weights),
    optimizer: wire.optimizer === null ? null : bytes(wire.optimizer),
    meta: wire.meta as Checkpoint['meta'],
  };
}

/** A run's training hooks as protocol messages under its runId (a solo run's and each pack member's). */
function runHooks(runId: number, emit: (message: TrainerMessage) => void): TrainHooks {
  return {
    onUpdate: (step, metrics, distributions) => emit({ type: 'update', runId, step, metrics, ...(distributions ? { distributions } : {}) }),
    onEpisode: (step, episode) => emit({ type: 'episode', runId, step, return: episode.return, length: episode.length }),
    onEval: (step, r) => emit({ type: 'eval', runId, step, mean: r.mean, std: r.std, episodes: r.episodes }),
    onCheckpoint: (checkpoint) =>
      emit({
        type: 'checkpoint',
        runId,
        checkpoint: { step: checkpoint.step, weights: checkpoint.weights, optimizer: checkpoint.optimizer, meta: checkpoint.meta },
      }),
    onProgress: (p) => emit({ type: 'progress', runId, stepsDone: p.stepsDone, totalSteps: p.totalSteps, fps: p.fps }),
    onBackend: (s) => emit({ type: 'backend', runId, backend: s.backend, calibration: s.calibration, checks: s.checks }),
  };
}

/** A run's end as a protocol message. */
function doneMessage(runId: number, result: TrainResult): TrainerMessage {
  return {
    type: 'done',
    runId,
    cancelled: result.cancelled,
    stepsDone: result.stepsDone,
    wallSeconds: result.wallSeconds,
    backend: result.backend,
    finalEval: result.finalEval,
  };
}

export function createRuntime(): TrainerRuntime {
  let policy: LoadedPolicy | null = null;
  return {
    initBackend: (requested) => initBackend(requested),
    train: async (runId, rawConfig, emit, signal, resume) => {
      const config = parseTrainConfig(rawConfig);
      const result = await train(config, runHooks(runId, emit), { signal, ...(resume ? { resume: toCheckpoint(resume) } : {}) });
      emit(doneMessage(runId, result));
    },
    trainPack: async (members, emit, signals) => {
      const configs = members.map(({ runId, config }) => {
        const parsed = parseTrainConfig(config);
        const refusal = packRefusal(parsed);
        if (refusal) throw new Error(`run ${runId} cannot be packed: ${refusal}`);
        return parsed as PpoConfig;
      });
      const hooks = members.map(({ runId }) => runHooks(runId, emit));
      const pack = createPack(configs, {
        resumes: members.map(({ resume }) => (resume ? toCheckpoint(resume) : undefined)),
        onEpisode: (m, step, episode) => hooks[m].onEpisode?.(step, episode),
      });
      const results = await trainPack(pack, hooks, { signals });
      results.forEach((result, m) => {
        const { runId } = members[m];
        emit(result.failed ? { type: 'error', runId, message: result.failed } : doneMessage(runId, result));
      });
    },
    loadPolicy: async (checkpoint) => {
      policy = loadPolicy(toCheckpoint(checkpoint));
      return { envId: policy.envId, stepsDone: policy.stepsDone };
    },
    act: async (observation, deterministic, temperature) => {
      if (!policy) throw new Error('no policy loaded: send policy.load first');
      return { ...policy.act(Float32Array.from(observation), deterministic, temperature) };
    },
  };
}
