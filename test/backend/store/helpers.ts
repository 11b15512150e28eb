import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStore } from '../../../src/backend/store/open-store';
import type { ExperimentStore, NewRun } from '../../../src/backend/store/types';

/** A fresh temp directory; call the returned cleanup in afterEach. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'proxima-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A run with a small config; `config` entries override. */
export function newRun(seed: number, config: Record<string, unknown> = {}, extra: Partial<NewRun> = {}): NewRun {
  const full = { envId: 'CartPole-v1', seed, objective: 'clip', entCoef: 0, learningRate: 3e-4, totalTimesteps: 10_000, ...config };
  return {
    envId: full.envId as string,
    seed,
    objective: full.objective as string,
    totalTimesteps: full.totalTimesteps as number,
    config: full,
    ...extra,
  };
}

/** A fresh store (`file` in a new temp directory) for each test of the calling file, closed and removed after it. */
export function useTempStore(file = 'p.db'): { store: ExperimentStore; dir: string } {
  const current = {} as { store: ExperimentStore; dir: string };
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    tmp = tempDir();
    current.dir = tmp.dir;
    current.store = await openStore(join(tmp.dir, file));
  });
  afterEach(async () => {
    await current.store.close();
    tmp.cleanup();
  });
  return current;
}
