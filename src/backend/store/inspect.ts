/**
 * Read-only checks that a file is a Proxima database this build can open, done before anything writes to it.
 * Nothing here creates or modifies a file: the header is read with plain file I/O (application id at byte 68,
 * user_version at byte 60, sqlite.org/fileformat.html §1.3), and the integrity check runs on an in-memory copy.
 * Only when a non-empty -wal file exists (a database in use, or left by a crash) does SQLite open the file itself,
 * read-only, because the header on disk may then be stale.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema';
import { StoreOpenError } from './types';

export type FileState =
  /** No file, an empty one, or an SQLite database without any tables: safe to initialize. */
  | { kind: 'new' }
  | { kind: 'proxima'; version: number };

export interface InspectOptions {
  /** Run `PRAGMA quick_check` (on an in-memory copy) when the file is at most this large (bytes); default 64 MiB. */
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

interface Identity {
  appId: number;
  version: number;
  tables: number;
  problems: string[] | null;
}

/** Identity and integrity from SQLite itself, on a connection the caller provides. */
function identityOf(db: Database.Database, check: boolean): Identity {
  return {
    appId: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
    tables: (db.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n,
    problems: check ? (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((p) => p !== 'ok') : null,
  };
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
  const corrupt = (detail: string): StoreOpenError =>
    new StoreOpenError('corrupt', path, `${path} is a damaged database (${detail}); it was left untouched. Restore it from a backup or open another file.`);
  // Page size at 16 (1 = 65536); the page count at 28 is valid when "version-valid-for" (92) equals the change counter (24).
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pageCount = header.readUInt32BE(28);
  const countValid = header.readUInt32BE(24) === header.readUInt32BE(92);
  const walPath = `${path}-wal`;
  const hasWal = existsSync(walPath) && statSync(walPath).size > 0;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw corrupt(`invalid page size ${rawPageSize}`);
  if (!hasWal && (size % pageSize !== 0 || (countValid && pageCount * pageSize > size))) {
    throw corrupt(`the file is ${size} bytes, not the ${countValid ? pageCount * pageSize : `multiple of ${pageSize}`} its header implies`);
  }

  const check = size <= (options.quickCheckMaxBytes ?? 64 * 1024 * 1024);
  let identity: Identity;
  let db: Database.Database | undefined;
  try {
    if (hasWal) {
      db = new Database(path, { readonly: true, fileMustExist: true });
      identity = identityOf(db, check);
    } else if (check) {
      const image = readFileSync(path);
      // The in-memory copy cannot use WAL: mark it as a rollback-journal file (header bytes 18/19) before loading.
      image[18] = 1;
      image[19] = 1;
      db = new Database(image);
      identity = identityOf(db, true);
    } else {
      identity = { appId: header.readInt32BE(68) >>> 0, version: header.readUInt32BE(60), tables: pageCount > 1 ? 1 : 0, problems: null };
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) throw corrupt((err as Error).message);
    throw new StoreOpenError('unreadable', path, `Cannot open ${path}: ${(err as Error).message}; it was left untouched.`);
  } finally {
    db?.close();
  }

  const { appId, version, tables, problems } = identity;
  if (appId !== APPLICATION_ID) {
    if (appId === 0 && version === 0 && tables === 0) return { kind: 'new' };
    throw new StoreOpenError(
      'not-proxima',
      path,
      `${path} is an SQLite database of another application (application_id ${appId}), not a Proxima database; it was left untouched.`,
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreOpenError(
      'newer',
      path,
      `${path} was written by a newer Proxima (schema ${version}; this version reads up to ${SCHEMA_VERSION}). Update Proxima to open it; the file was left untouched.`,
    );
  }
  if (problems && problems.length > 0) throw corrupt(problems.slice(0, 3).join('; '));
  return { kind: 'proxima', version };
}
