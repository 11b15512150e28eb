/**
 * The trainer process's message loop, independent of the host transport. It validates every inbound message,
 * runs one training job at a time, and reports failures as `error` messages instead of dying silently.
 */
import { parseHostMessage, type HostMessage, type TrainerMessage } from '../core/protocol/trainer';
import type { BackendCheck } from '../core/protocol/trainer';
import type { HostPort } from './port';

/** The reason of a run's AbortSignal when the host asked it to drain (checkpoint now, then stop), not to cancel. */
export const DRAIN_REASON = 'drain';

/** What the loop needs from the ML side; injected so the loop is testable without tfjs. */
export interface TrainerRuntime {
  initBackend(requested: 'auto' | 'tfjs-node' | 'wasm' | 'cpu'): Promise<{ backend: string; calibration?: Record<string, number>; checks?: BackendCheck[] }>;
  train(
    runId: number,
    config: Record<string, unknown>,
    emit: (message: TrainerMessage) => void,
    signal: AbortSignal,
    resume?: Extract<HostMessage, { type: 'train' }>['resume'],
  ): Promise<void>;
  /**
   * Trains `members` as one pack, each member's messages under its own runId, ending each with its own `done` or
   * `error`; `signals[m]` cancels member m. Rejects only when the pack as a whole fails (every member with it).
   * Optional: a runtime without it answers `train.pack` with an error per member.
   */
  trainPack?(
    members: Extract<HostMessage, { type: 'train.pack' }>['members'],
    emit: (message: TrainerMessage) => void,
    signals: readonly AbortSignal[],
  ): Promise<void>;
  loadPolicy(checkpoint: Extract<HostMessage, { type: 'policy.load' }>['checkpoint']): Promise<Record<string, unknown>>;
  act(observation: number[], deterministic: boolean, temperature: number): Promise<Record<string, unknown>>;
}

export function runTrainerProcess(port: HostPort, runtime: TrainerRuntime): void {
  const emit = (message: TrainerMessage): void => port.post(message);
  /** The job training now: one run, or the members of a pack, each with its own cancel. */
  let current: { runIds: number[]; aborts: Map<number, AbortController> } | null = null;
  const busy = (runId: number): void => fail(new Error(`already training run${current!.runIds.length > 1 ? 's' : ''} ${current!.runIds.join(', ')}`), { runId });

  const fail = (error: unknown, ids: { runId?: number; requestId?: number } = {}): void => {
    const err = error instanceof Error ? error : new Error(String(error));
    emit({ type: 'error', ...ids, message: err.message, stack: err.stack });
  };

  port.onMessage((raw) => {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      emit({ type: 'error', message: `malformed host message: ${parsed.error}` });
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'init':
        if (message.backend === null) {
          emit({ type: 'ready', pid: process.pid, nodeVersion: process.version });
          break;
        }
        runtime.initBackend(message.backend).then(
          ({ backend, calibration, checks }) =>
            emit({ type: 'ready', pid: process.pid, backend, calibration, checks, nodeVersion: process.version }),
          (error: unknown) => fail(error),
        );
        break;
      case 'train': {
        if (current) {
          busy(message.runId);
          break;
        }
        const abort = new AbortController();
        const job = { runIds: [message.runId], aborts: new Map([[message.runId, abort]]) };
        current = job;
        runtime
          .train(message.runId, message.config, emit, abort.signal, message.resume)
          .catch((error: unknown) => fail(error, { runId: message.runId }))
          .finally(() => {
            current = null;
          });
        break;
      }
      case 'train.pack': {
        const runIds = message.members.map((m) => m.runId);
        if (current) {
          for (const runId of runIds) busy(runId);
          break;
        }
        if (!runtime.trainPack) {
          for (const runId of runIds) fail(new Error('this trainer does not train packs'), { runId });
          break;
        }
        const aborts = new Map(runIds.map((runId) => [runId, new AbortController()]));
        current = { runIds, aborts };
        runtime
          .trainPack(message.members, emit, runIds.map((runId) => aborts.get(runId)!.signal))
          .catch((error: unknown) => {
            for (const runId of runIds) fail(error, { runId });
          })
          .finally(() => {
            current = null;
          });
        break;
      }
      case 'cancel':
      case 'drain': {
        // The abort's reason tells the runtime which: the training loops checkpoint the state reached on either.
        const reason = message.type === 'drain' ? DRAIN_REASON : undefined;
        if (message.runId === undefined) for (const abort of current?.aborts.values() ?? []) abort.abort(reason);
        else current?.aborts.get(message.runId)?.abort(reason);
        break;
      }
      case 'policy.load':
        runtime.loadPolicy(message.checkpoint).then(
          (result) => emit({ type: 'policy.result', requestId: message.requestId, result }),
          (error: unknown) => fail(error, { requestId: message.requestId }),
        );
        break;
      case 'policy.act':
        runtime.act(message.observation, message.deterministic, message.temperature).then(
          (result) => emit({ type: 'policy.result', requestId: message.requestId, result }),
          (error: unknown) => fail(error, { requestId: message.requestId }),
        );
        break;
      case 'shutdown':
        for (const abort of current?.aborts.values() ?? []) abort.abort();
        port.exit(0);
        break;
    }
  });
}
