/**
 * Launches trainer processes under plain Node (web mode, CLI, tests) with `child_process.fork`: the TypeScript
 * entry runs through tsx's loader, messages use 'advanced' serialization (typed arrays survive), and the channel
 * itself (stderr tail, exit, guarded sends, kill) is the shared one of channel.ts.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trainerChannel } from './channel';
import type { RawTrainerChannel, TrainerLauncher } from './launcher';

const entry = fileURLToPath(new URL('../../trainer/node-entry.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

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
    // A send to a process that just died raises EPIPE/ERR_IPC_CHANNEL_CLOSED asynchronously; the exit event reports it.
    child.on('error', () => undefined);
    return trainerChannel({
      pid: child.pid,
      stderr: child.stderr,
      post: (message) => {
        if (child.connected) child.send(message as object);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', listener),
      killHard: () => child.kill('SIGKILL'),
    });
  };
}
