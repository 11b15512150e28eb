/**
 * Trainer entry inside Electron: started by `utilityProcess.fork` from src/main; messages travel over
 * `process.parentPort`. (The trainer never imports `electron`: parentPort is a property of `process` there.)
 */
import { runTrainerProcess } from './process';
import { createRuntime } from './runtime';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('proxima trainer: must be started as an Electron utility process');
  process.exit(2);
}

runTrainerProcess(
  {
    post: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    exit: (code) => process.exit(code),
  },
  createRuntime(),
);
