/** A TrainerLauncher that forks the scripted fake trainer (test/support/fake-trainer.ts) with the real Node IPC. */
import { fileURLToPath } from 'node:url';
import type { TrainerLauncher } from '../../src/backend/trainers/launcher';
import { nodeTrainerLauncher } from '../../src/backend/trainers/node-launcher';

const entry = fileURLToPath(new URL('./fake-trainer.ts', import.meta.url));

export function fakeTrainerLauncher(execArgv: string[] = []): TrainerLauncher & { pids: number[] } {
  const pids: number[] = [];
  return Object.assign(nodeTrainerLauncher({ entry, execArgv, onSpawn: (pid) => pids.push(pid) }), { pids });
}
