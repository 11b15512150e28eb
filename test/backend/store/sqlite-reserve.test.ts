import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESERVE_BYTES, RESERVE_SUFFIX, SqliteStore } from '../../../src/backend/store/sqlite-store';

describe('the SQLite store keeps a reserve for a full disk', () => {
  it('holds it beside the database, frees it once on request, and puts it back on the next open', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'proxima-reserve-')), 'p.db');
    const reserve = path + RESERVE_SUFFIX;
    const store = SqliteStore.open(path);
    expect(statSync(reserve).size).toBe(RESERVE_BYTES);
    expect(await store.releaseReserve()).toBe(true);
    expect(existsSync(reserve)).toBe(false);
    expect(await store.releaseReserve()).toBe(false);
    // The store works without it.
    expect((await store.listRuns({})).total).toBe(0);
    await store.close();
    const again = SqliteStore.open(path);
    expect(statSync(reserve).size).toBe(RESERVE_BYTES);
    await again.close();
  });
});
