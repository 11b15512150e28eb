/**
 * The trainer process's message loop, independent of the host transport. It validates every inbound message,
 * runs one training job at a time, and reports failures as `error` messages instead of dying silently.
 */
import { parseHostMessage, type HostMessage, type TrainerMessage } from '../core/protocol/trainer';
import type { BackendCheck } from '../core/protocol/trainer';
import type { HostPort } from './port';

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
  loadPolicy(checkpoint: Extract<HostMessage, { type: 'policy.load' }>['checkpoint']): Promise<Record<string, unknown>>;
  act(observation: number[], deterministic: boolean, temperature: number): Promise<Record<string, unknown>>;
}

export function runTrainerProcess(port: HostPort, runtime: TrainerRuntime): void {
  const emit = (message: TrainerMessage): void => port.post(message);
  let current: { runId: number; abort: AbortController } | null = null;

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
          fail(new Error(`already training run ${current.runId}`), { runId: message.runId });
          break;
        }
        const job = { runId: message.runId, abort: new AbortController() };
        current = job;
        runtime
          .train(message.runId, message.config, emit, job.abort.signal, message.resume)
          .catch((error: unknown) => fail(error, { runId: job.runId }))
          .finally(() => {
            current = null;
          });
        break;
      }
      case 'cancel':
        current?.abort.abort();
        break;
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
        current?.abort.abort();
        port.exit(0);
        break;
    }
  });
}
