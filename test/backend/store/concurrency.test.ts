import Database from 'better-sqlite3';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/backend/store/open-store';
import { tempDir } from './helpers';
import { readSeries } from '../../../src/backend/analysis/series';

const CHILD = fileURLToPath(new URL('./writer-child.ts', import.meta.url));

interface ChildMessage {
  type: 'runs' | 'committed' | 'done' | 'error';
  runIds?: number[];
  runId?: number;
  batch?: number;
  message?: string;
}

function startWriter(dbPath: string, label: string, runs: number, batches: number, points: number): { child: ChildProcess; messages: ChildMessage[]; exit: Promise<number | null> } {
  const child = fork(CHILD, [dbPath, label, String(runs), String(batches), String(points)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const messages: ChildMessage[] = [];
  child.on('message', (m) => messages.push(m as ChildMessage));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    }),
  );
  return { child, messages, exit };
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('several writer processes', () => {
  it('lose no rows and surface no SQLITE_BUSY, all starting on a fresh file at once', async () => {
    const dbPath = join(tmp.dir, 'shared.db');
    const [runs, batches, points] = [2, 30, 500];
    const writers = ['a', 'b', 'c'].map((label) => startWriter(dbPath, label, runs, batches, points));
    const codes = await Promise.all(writers.map((w) => w.exit));
    const errors = writers.flatMap((w) => w.messages.filter((m) => m.type === 'error').map((m) => m.message));
    expect(errors).toEqual([]);
    expect(codes).toEqual([0, 0, 0]);

    const store = await openStore(dbPath);
    const runIds = writers.flatMap((w) => w.messages.find((m) => m.type === 'runs')!.runIds!);
    expect(new Set(runIds).size).toBe(3 * runs);
    const series = await readSeries(store, { runIds, keys: ['k', 'other'], maxPoints: 100_000 });
    for (const s of series) expect(s.stored).toBe(batches * points);
    const done = await store.listRuns({ filter: { status: ['completed'] } });
    expect(done.runs.map((r) => r.notes).sort()).toEqual(['done by a', 'done by b', 'done by c']);
    expect(await store.checkIntegrity()).toEqual([]);
    await store.close();
  });

  it('a SIGKILLed writer leaves a sound database with every committed batch', async () => {
    const dbPath = join(tmp.dir, 'killed.db');
    const points = 1000;
    const writer = startWriter(dbPath, 'victim', 1, 100_000, points);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (writer.messages.some((m) => m.type === 'error')) reject(new Error(writer.messages.find((m) => m.type === 'error')!.message));
        if (writer.messages.filter((m) => m.type === 'committed').length >= 25) {
          clearInterval(timer);
          writer.child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    expect(await writer.exit).toBeNull();
    const committed = writer.messages.filter((m) => m.type === 'committed');
    const lastBatch = Math.max(...committed.map((m) => m.batch!));
    const runId = committed[0].runId!;

    const raw = new Database(dbPath);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = await openStore(dbPath);
    const [series] = await readSeries(store, { runIds: [runId], keys: ['k'], maxPoints: 10_000_000 });
    // Every reported batch is there in full; a batch in flight at the kill is there in full or not at all.
    expect(series.stored).toBeGreaterThanOrEqual((lastBatch + 1) * points);
    expect(series.stored % points).toBe(0);
    for (let batch = 0; batch <= lastBatch; batch++) expect(series.y[batch * points]).toBe(batch);
    expect(await store.checkIntegrity()).toEqual([]);
    await store.close();
  });
});
