/**
 * Read-only checks that a file is a Proxima database this build can open, done before anything writes to it.
 * Nothing here modifies the file: the header is read with plain file I/O, then SQLite opens it read-only.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema';
import { StoreOpenError } from './types';

export type FileState =
  /** No file, or an empty one, or an SQLite database without any tables: safe to initialize. */
  | { kind: 'new' }
  | { kind: 'proxima'; version: number };

export interface InspectOptions {
  /** Run `PRAGMA quick_check` when the file is at most this large (bytes); default 256 MiB. */
  quickCheckMaxBytes?: number;
}

const MAGIC = 'SQLite format 3\0';

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(100);
    const n = readSync(fd, header, 0, 100, 0);
    return header.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Decides whether `path` can be opened as this version's Proxima database; throws StoreOpenError if not. */
export function inspectDatabaseFile(path: string, options: InspectOptions = {}): FileState {
  if (!existsSync(path)) return { kind: 'new' };
  let size: number;
  let header: Buffer;
  try {
    size = statSync(path).size;
    if (size === 0) return { kind: 'new' };
    header = readHeader(path);
  } catch (err) {
    throw new StoreOpenError('unreadable', path, `Cannot read ${path}: ${(err as Error).message}`);
  }
  if (header.length < 100 || header.subarray(0, 16).toString('latin1') !== MAGIC) {
    throw new StoreOpenError('not-sqlite', path, `${path} is not a Proxima database (not an SQLite file); it was left untouched.`);
  }
  // Header fields (sqlite.org/fileformat.html §1.3): page size at 16 (1 = 65536), change counter at 24,
  // in-header page count at 28, valid when "version-valid-for" at 92 equals the change counter.
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pageCount = header.readUInt32BE(28);
  const countValid = header.readUInt32BE(24) === header.readUInt32BE(92);
  const walPath = `${path}-wal`;
  const hasWal = existsSync(walPath) && statSync(walPath).size > 0;
  const corrupt = (detail: string): StoreOpenError =>
    new StoreOpenError('corrupt', path, `${path} is a damaged database (${detail}); it was left untouched. Restore it from a backup or open another file.`);
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw corrupt(`invalid page size ${rawPageSize}`);
  if (!hasWal && (size % pageSize !== 0 || (countValid && pageCount * pageSize > size))) {
    throw corrupt(`file is ${size} bytes, header says ${countValid ? pageCount * pageSize : 'a multiple of ' + pageSize}`);
  }

  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = (db.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
    if (appId !== APPLICATION_ID) {
      if (appId === 0 && version === 0 && tables === 0) return { kind: 'new' };
      throw new StoreOpenError(
        'not-proxima',
        path,
        `${path} is an SQLite database of another application (application_id ${appId}, ${tables} tables), not a Proxima database; it was left untouched.`,
      );
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreOpenError(
        'newer',
        path,
        `${path} was written by a newer Proxima (schema ${version}; this version reads up to ${SCHEMA_VERSION}). Update Proxima to open it; the file was left untouched.`,
      );
    }
    if (size <= (options.quickCheckMaxBytes ?? 256 * 1024 * 1024)) {
      const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
      if (problems.length !== 1 || problems[0] !== 'ok') throw corrupt(problems.slice(0, 3).join('; '));
    } else {
      for (const { name } of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]) {
        db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}" LIMIT 1`).all();
      }
    }
    return { kind: 'proxima', version };
  } catch (err) {
    if (err instanceof StoreOpenError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) throw corrupt((err as Error).message);
    throw new StoreOpenError('unreadable', path, `Cannot open ${path}: ${(err as Error).message}; it was left untouched.`);
  } finally {
    db?.close();
  }
}
