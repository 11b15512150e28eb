/** The ML side of the trainer process, as the message loop (process.ts) sees it. */
import type { TrainerRuntime } from './process';
import { initBackend } from './tf-backend';

export function createRuntime(): TrainerRuntime {
  return {
    initBackend,
    train: async () => {
      throw new Error('training is not wired into the trainer process yet');
    },
    loadPolicy: async () => {
      throw new Error('policy replay is not wired into the trainer process yet');
    },
    act: async () => {
      throw new Error('policy replay is not wired into the trainer process yet');
    },
  };
}
