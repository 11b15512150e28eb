/** Launches trainer processes as Electron utility processes (the app's counterpart of node-launcher.ts). */
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { RawTrainerChannel, TrainerExit, TrainerLauncher } from '../backend/trainers/launcher';

const STDERR_TAIL_BYTES = 4_096;

export function utilityTrainerLauncher(): TrainerLauncher {
  // electron-vite builds src/trainer/electron-entry.ts next to the main bundle as trainer.js.
  const entry = join(import.meta.dirname, 'trainer.js');
  return (): RawTrainerChannel => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Proxima trainer', stdio: ['ignore', 'inherit', 'pipe'] });
    let stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const exitListeners: ((exit: TrainerExit) => void)[] = [];
    child.on('exit', (code) => {
      // utilityProcess reports only a code; a kill shows up as a non-zero code.
      setImmediate(() => {
        for (const listener of exitListeners) listener({ code, signal: null, stderrTail });
      });
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        child.kill();
      },
    };
  };
}
