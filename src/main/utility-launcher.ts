/**
 * Launches trainer processes as Electron utility processes: the app's thin adapter around the shared trainer
 * channel (src/backend/trainers/channel.ts), as node-launcher.ts is under plain Node.
 */
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import { trainerChannel } from '../backend/trainers/channel';
import type { RawTrainerChannel, TrainerLauncher } from '../backend/trainers/launcher';

export function utilityTrainerLauncher(): TrainerLauncher {
  // electron-vite builds src/trainer/electron-entry.ts next to the main bundle as trainer.js.
  const entry = join(import.meta.dirname, 'trainer.js');
  return (): RawTrainerChannel => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Proxima trainer', stdio: ['ignore', 'inherit', 'pipe'] });
    return trainerChannel({
      // The pid is known once the process has spawned; read it when asked.
      get pid() {
        return child.pid;
      },
      stderr: child.stderr,
      post: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      // utilityProcess reports only a code; a kill shows up as a non-zero code.
      onExit: (listener) => child.on('exit', (code) => listener(code, null)),
      // utilityProcess.kill() sends SIGTERM, which a busy trainer may not act on at once; SIGKILL cannot be ignored.
      killHard: () => {
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
        else child.kill();
      },
    });
  };
}
