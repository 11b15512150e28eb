/** A TrainerLauncher that forks the scripted fake trainer (test/support/fake-trainer.ts) with the real Node IPC. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RawTrainerChannel, TrainerExit, TrainerLauncher } from '../../src/backend/trainers/launcher';

const entry = fileURLToPath(new URL('./fake-trainer.ts', import.meta.url));

export function fakeTrainerLauncher(execArgv: string[] = []): TrainerLauncher & { pids: number[] } {
  const pids: number[] = [];
  const launcher = (): RawTrainerChannel => {
    const child = fork(entry, [], { execArgv: ['--import', import.meta.resolve('tsx'), ...execArgv], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    if (child.pid) pids.push(child.pid);
    let stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => (stderrTail = (stderrTail + c).slice(-4096)));
    const exits: ((e: TrainerExit) => void)[] = [];
    child.on('exit', (code, signal) => setImmediate(() => exits.forEach((l) => l({ code, signal, stderrTail }))));
    child.on('error', () => undefined);
    return {
      pid: child.pid,
      send: (m) => {
        if (child.connected) child.send(m as object);
      },
      onMessage: (l) => child.on('message', l),
      onExit: (l) => exits.push(l),
      kill: () => child.kill('SIGKILL'),
    };
  };
  return Object.assign(launcher, { pids });
}
