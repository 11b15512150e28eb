/**
 * Trainer processes as the backend sees them. The backend never imports the trainer's code: it starts it as a
 * process through a `TrainerLauncher` — `child_process.fork` under Node (node-launcher.ts), Electron's
 * `utilityProcess.fork` in the app (src/main) — and talks to it in the protocol of src/core/protocol/trainer.ts.
 * Every inbound message is validated; a malformed one is reported as a protocol error, never acted on.
 */
import {
  parseTrainerMessage,
  type BackendRequest,
  type HostMessage,
  type TrainerMessage,
} from '../../core/protocol/trainer';

/** How a process ended: exit code, or the signal that killed it, plus the last lines of its stderr when known. */
export interface TrainerExit {
  code: number | null;
  signal: string | null;
  stderrTail: string;
}

/** The raw process as a transport provides it (no validation). */
export interface RawTrainerChannel {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: TrainerExit) => void): void;
  kill(): void;
}

export type TrainerLauncher = () => RawTrainerChannel;

/** A running trainer process with a validated message stream. */
export class TrainerProcess {
  private readonly messageListeners = new Set<(message: TrainerMessage) => void>();
  private readonly exitListeners = new Set<(exit: TrainerExit) => void>();
  private readonly protocolErrorListeners = new Set<(error: string) => void>();
  private exitInfo: TrainerExit | null = null;

  constructor(private readonly channel: RawTrainerChannel) {
    channel.onMessage((raw) => {
      const parsed = parseTrainerMessage(raw);
      if (!parsed.ok) {
        for (const listener of this.protocolErrorListeners) listener(parsed.error);
        return;
      }
      for (const listener of this.messageListeners) listener(parsed.message);
    });
    channel.onExit((exit) => {
      this.exitInfo = exit;
      for (const listener of this.exitListeners) listener(exit);
    });
  }

  get pid(): number | undefined {
    return this.channel.pid;
  }

  get exited(): TrainerExit | null {
    return this.exitInfo;
  }

  send(message: HostMessage): void {
    if (this.exitInfo) throw new Error('trainer process has exited');
    this.channel.send(message);
  }

  onMessage(listener: (message: TrainerMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Malformed messages from the trainer (reported, never acted on). */
  onProtocolError(listener: (error: string) => void): () => void {
    this.protocolErrorListeners.add(listener);
    return () => this.protocolErrorListeners.delete(listener);
  }

  onExit(listener: (exit: TrainerExit) => void): () => void {
    if (this.exitInfo) {
      listener(this.exitInfo);
      return () => undefined;
    }
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Resolves with the exit once the process has ended. */
  waitForExit(): Promise<TrainerExit> {
    return new Promise((resolve) => this.onExit(resolve));
  }

  /** Resolves with the first message matching `predicate`; rejects if the process exits or an error arrives first. */
  waitFor<T extends TrainerMessage>(predicate: (m: TrainerMessage) => m is T, timeoutMs = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        offMessage();
        offExit();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`trainer did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const offMessage = this.onMessage((message) => {
        if (predicate(message)) {
          cleanup();
          resolve(message);
        } else if (message.type === 'error' && message.runId === undefined && message.requestId === undefined) {
          cleanup();
          reject(new Error(message.message));
        }
      });
      const offExit = this.onExit((exit) => {
        cleanup();
        reject(new Error(describeExit(exit)));
      });
    });
  }

  kill(): void {
    this.channel.kill();
  }
}

/** A readable account of how a trainer ended, for run error texts. */
export function describeExit(exit: TrainerExit): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const oom = /heap out of memory|Allocation failed|out of memory/i.test(exit.stderrTail) ? ' (out of memory)' : '';
  const tail = exit.stderrTail.trim() ? `: ${exit.stderrTail.trim().split('\n').slice(-3).join(' | ')}` : '';
  return `trainer process ${how}${oom}${tail}`;
}

/**
 * Starts a trainer and waits until it is ready: with a backend, once it reports the backend really active; with
 * `null`, at once (a run's `train` then chooses and proves its own backend).
 */
export async function startTrainer(
  launcher: TrainerLauncher,
  backend: BackendRequest | null,
): Promise<{ trainer: TrainerProcess; ready: Extract<TrainerMessage, { type: 'ready' }> }> {
  const trainer = new TrainerProcess(launcher());
  trainer.send({ type: 'init', backend });
  try {
    const ready = await trainer.waitFor((m): m is Extract<TrainerMessage, { type: 'ready' }> => m.type === 'ready');
    return { trainer, ready };
  } catch (error) {
    trainer.kill();
    throw error;
  }
}

/** Asks a trainer to exit and waits for it (killing it if it does not go within `graceMs`). */
export async function stopTrainer(trainer: TrainerProcess, graceMs = 5_000): Promise<TrainerExit> {
  if (trainer.exited) return trainer.exited;
  const timer = setTimeout(() => trainer.kill(), graceMs);
  try {
    trainer.send({ type: 'shutdown' });
  } catch {
    trainer.kill();
  }
  const exit = await trainer.waitForExit();
  clearTimeout(timer);
  return exit;
}
