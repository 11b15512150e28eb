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

// The host is gone (it exited or was killed): a trainer never outlives it.
process.on('disconnect', () => process.exit(1));

runTrainerProcess(
  {
    post: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', listener),
    exit: (code) => {
      // Let messages already handed to the channel go out first.
      setImmediate(() => process.exit(code));
    },
  },
  createRuntime(),
);
