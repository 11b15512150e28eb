/**
 * Where the database lives and how hosts open it. Electron passes `join(app.getPath('userData'), 'proxima.db')`;
 * web mode and the CLI take `--db PATH` and default to `defaultDbPath()`.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store';
import type { ExperimentStore } from './types';

/** `~/.proxima/proxima.db`. */
export function defaultDbPath(): string {
  return join(homedir(), '.proxima', 'proxima.db');
}

/**
 * Opens the SQLite experiment store at `path` (default `defaultDbPath()`), creating its directory and the
 * database if needed. Throws StoreOpenError, without touching the file, for a file that is not a Proxima
 * database, is newer than this version, or is damaged.
 */
export async function openStore(path: string = defaultDbPath(), options: SqliteStoreOptions = {}): Promise<ExperimentStore> {
  const absolute = resolve(path);
  mkdirSync(dirname(absolute), { recursive: true });
  return SqliteStore.open(absolute, options);
}
