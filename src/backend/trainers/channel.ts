/**
 * The one implementation of a trainer channel (`RawTrainerChannel`) over a spawned process. Both hosts use it —
 * `child_process.fork` under Node (node-launcher.ts) and Electron's `utilityProcess.fork` (src/main) — and differ
 * only in the thin `SpawnedProcess` adapter they hand it. What lives here, once: the stderr tail kept for crash
 * reports (and echoed to our stderr), exit reporting after buffered stderr has arrived, no sends to a process that
 * has exited, and a kill that cannot be ignored (SIGKILL).
 */
import type { RawTrainerChannel, TrainerExit } from './launcher';

const STDERR_TAIL_BYTES = 4_096;

/** What a host's process handle must offer; each host's adapter is a few lines around its own API. */
export interface SpawnedProcess {
  readonly pid: number | undefined;
  /** The child's stderr, when piped. */
  readonly stderr: NodeJS.ReadableStream | null;
  /** Hands a message to the transport; called only while the process has not exited. */
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the process has ended: its code, or the signal that ended it (null where the host cannot tell). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Ends the process at once (SIGKILL on POSIX). */
  killHard(): void;
}

export function trainerChannel(child: SpawnedProcess): RawTrainerChannel {
  let stderrTail = '';
  let exited = false;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  const exitListeners: ((exit: TrainerExit) => void)[] = [];
  child.onExit((code, signal) => {
    exited = true;
    // stderr may still hold buffered bytes; let them arrive before reporting.
    setImmediate(() => {
      for (const listener of exitListeners) listener({ code, signal, stderrTail });
    });
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => {
      if (!exited) child.post(message);
    },
    onMessage: (listener) => child.onMessage(listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => {
      if (!exited) child.killHard();
    },
  };
}
