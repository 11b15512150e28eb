/**
 * Launches trainer processes under plain Node (web mode, CLI, tests) with `child_process.fork`: the TypeScript
 * entry runs through tsx's loader, messages use 'advanced' serialization (typed arrays survive), and the last
 * lines of stderr are kept so a crash can be reported with its reason.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RawTrainerChannel, TrainerExit, TrainerLauncher } from './launcher';

const entry = fileURLToPath(new URL('../../trainer/node-entry.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
const STDERR_TAIL_BYTES = 4_096;

export interface NodeLauncherOptions {
  /** Extra `execArgv` for the child, e.g. `--max-old-space-size=512`. */
  execArgv?: string[];
  /** Another trainer entry (TypeScript or JavaScript) speaking the same protocol; tests use scripted ones. */
  entry?: string;
  /** Called with each child's pid as it starts. */
  onSpawn?: (pid: number) => void;
}

export function nodeTrainerLauncher(options: NodeLauncherOptions = {}): TrainerLauncher {
  return (): RawTrainerChannel => {
    const child = fork(options.entry ?? entry, [], {
      execArgv: ['--import', tsxLoader, ...(options.execArgv ?? [])],
      serialization: 'advanced',
      // The trainer's stdout goes to our stderr: a CLI's stdout stays clean for --json.
      stdio: ['ignore', 2, 'pipe', 'ipc'],
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    let stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const exitListeners: ((exit: TrainerExit) => void)[] = [];
    child.on('exit', (code, signal) => {
      // stderr may still hold buffered bytes; let them arrive before reporting.
      setImmediate(() => {
        for (const listener of exitListeners) listener({ code, signal, stderrTail });
      });
    });
    // A send to a process that just died raises EPIPE/ERR_IPC_CHANNEL_CLOSED asynchronously; the exit event reports it.
    child.on('error', () => undefined);
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message as object);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
