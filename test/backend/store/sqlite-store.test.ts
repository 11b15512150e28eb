/** The store conformance suite on SQLite: a fresh database file in a temp directory per case. */
import { join } from 'node:path';
import { afterEach, describe } from 'vitest';
import { openStore } from '../../../src/backend/store/open-store';
import { storeConformance } from './conformance';
import { tempDir } from './helpers';

describe('SqliteStore', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.cleanup();
  });
  storeConformance(async () => {
    const dir = tempDir();
    dirs.push(dir);
    return openStore(join(dir.dir, 'p.db'));
  });
});
