/**
 * Trainer entry under plain Node: started by `child_process.fork` (web mode, CLI, tests); messages travel over the
 * IPC channel with 'advanced' serialization so typed arrays survive.
 */
import { runTrainerProcess } from './process';
import { createRuntime } from './runtime';

if (!process.send) {
  console.error('proxima trainer: must be started with an IPC channel (child_process.fork)');
  process.exit(2);
}

runTrainerProcess(
  {
    post: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', listener),
    exit: (code) => {
      process.disconnect?.();
      process.exitCode = code;
      setImmediate(() => process.exit(code));
    },
  },
  createRuntime(),
);
