/**
 * Dispatch counts of one call on the active tfjs backend: kernels run (tfjs's profiler), host→device uploads
 * (backend.write) and device→host readbacks (backend.readSync). bench/speed.ts prints them for one PPO minibatch's
 * network pass, the per-op cost that dominates these small networks (issue 19).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface DispatchCount {
  kernels: number;
  uploads: number;
  readbacks: number;
  /** Kernel names in order of execution. */
  kernelNames: string[];
}

/** Counts what `body` dispatches (it runs once, under tf.profile, with the backend's write/readSync wrapped). */
export async function countDispatch(body: () => void): Promise<DispatchCount> {
  const backend = tf.backend() as unknown as Record<'write' | 'readSync', (...args: unknown[]) => unknown>;
  const write = backend.write;
  const readSync = backend.readSync;
  let uploads = 0;
  let readbacks = 0;
  backend.write = (...args: unknown[]) => {
    uploads += 1;
    return write.apply(backend, args);
  };
  backend.readSync = (...args: unknown[]) => {
    readbacks += 1;
    return readSync.apply(backend, args);
  };
  try {
    const profile = await tf.profile(body);
    return { kernels: profile.kernels.length, uploads, readbacks, kernelNames: profile.kernels.map((k) => k.name) };
  } finally {
    backend.write = write;
    backend.readSync = readSync;
  }
}
