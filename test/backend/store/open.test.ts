import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDbPath, openStore } from '../../../src/backend/store/open-store';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/backend/store/schema';
import { StoreOpenError } from '../../../src/backend/store/types';
import { newRun, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/**
 * Asserts that opening `path` fails with `reason` and leaves the file's bytes exactly as they were, with no -wal or
 * -shm created. `headerOnly` also tries the large-file path (identity from the header, no integrity check).
 */
async function expectRefused(path: string, reason: StoreOpenError['reason'], message: RegExp, headerOnly = true): Promise<void> {
  const before = readFileSync(path);
  for (const options of headerOnly ? [{}, { quickCheckMaxBytes: 0 }] : [{}]) {
    const error = await openStore(path, options).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).reason).toBe(reason);
    expect((error as StoreOpenError).message).toMatch(message);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
  }
}

/** A Proxima database with one run and some metrics, closed (WAL checkpointed into the main file). */
async function proximaDb(path: string): Promise<void> {
  const store = await openStore(path);
  const [run] = await store.createRuns([newRun(1)]);
  await store.appendMetrics(Array.from({ length: 2000 }, (_, i) => ({ runId: run.id, step: i, values: { a: i, b: -i } })));
  await store.close();
}

describe('opening a database', () => {
  it('creates a fresh database with identity, schema version, WAL and foreign keys', async () => {
    const path = join(tmp.dir, 'nested', 'dir', 'p.db');
    const store = await openStore(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['checkpoints', 'metric_keys', 'metrics', 'owners', 'replays', 'run_params', 'runs', 'sweeps']);
    db.close();
  });

  it('migrates an empty SQLite file and keeps data across reopening', async () => {
    const path = join(tmp.dir, 'p.db');
    new Database(path).close(); // a 0-byte SQLite file
    const empty = new Database(path);
    empty.pragma('user_version = 0');
    empty.close();
    await proximaDb(path);
    const store = await openStore(path);
    expect((await store.listRuns()).total).toBe(1);
    expect(await store.checkIntegrity()).toEqual([]);
    await store.close();
  });

  it('refuses an SQLite database of another application without touching it', async () => {
    const path = join(tmp.dir, 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES (\'ada\')');
    db.close();
    await expectRefused(path, 'not-proxima', /not a Proxima database/);
  });

  it('refuses a text file', async () => {
    const path = join(tmp.dir, 'notes.db');
    writeFileSync(path, 'dear diary,\n'.repeat(100));
    await expectRefused(path, 'not-sqlite', /not an SQLite file/);
  });

  it('refuses a database from a newer Proxima', async () => {
    const path = join(tmp.dir, 'newer.db');
    await proximaDb(path);
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expectRefused(path, 'newer', /newer Proxima/);
  });

  it('refuses a truncated database and one with garbage after the header', async () => {
    const good = join(tmp.dir, 'good.db');
    await proximaDb(good);
    const bytes = readFileSync(good);
    expect(bytes.length).toBeGreaterThan(3 * 4096);

    const truncated = join(tmp.dir, 'truncated.db');
    writeFileSync(truncated, Buffer.concat([bytes.subarray(0, 4096 + 1500), Buffer.from('garbage'.repeat(50))]));
    await expectRefused(truncated, 'corrupt', /damaged/);

    const garbage = join(tmp.dir, 'garbage.db');
    const noise = Buffer.alloc(bytes.length - 100);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    writeFileSync(garbage, Buffer.concat([bytes.subarray(0, 100), noise]));
    await expectRefused(garbage, 'corrupt', /damaged/, false);
  });

  it('defaults to ~/.proxima/proxima.db', () => {
    expect(defaultDbPath()).toMatch(/[/\\]\.proxima[/\\]proxima\.db$/);
  });
});
