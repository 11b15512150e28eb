/**
 * Where the database lives and how hosts open it. Electron passes `join(app.getPath('userData'), 'proxima.db')`;
 * web mode and the CLI take `--db PATH` (default `defaultDbPath()`) or `--store postgresql://…` for a PostgreSQL
 * store shared by several machines (`openStore` takes either).
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PostgresStore } from './postgres-store';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store';
import { isPostgresUrl } from './store-url';
import type { ExperimentStore } from './types';

/** `~/.proxima/proxima.db`. */
export function defaultDbPath(): string {
  return join(homedir(), '.proxima', 'proxima.db');
}

/**
 * Opens the experiment store at `location`: a PostgreSQL URL (postgres:// or postgresql://), or the path of an
 * SQLite file (default `defaultDbPath()`), creating its directory and the database if needed. Throws
 * StoreOpenError, without changing anything, for a database that is not Proxima's, is newer than this version,
 * is damaged, or (PostgreSQL) cannot be reached; its message masks any password.
 */
export async function openStore(location: string = defaultDbPath(), options: SqliteStoreOptions = {}): Promise<ExperimentStore> {
  if (isPostgresUrl(location)) return PostgresStore.open(location.trim());
  const path = location;
  const absolute = resolve(path);
  mkdirSync(dirname(absolute), { recursive: true });
  return SqliteStore.open(absolute, options);
}
