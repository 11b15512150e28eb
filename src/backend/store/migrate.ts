/** Schema migrations of an open SQLite database (the migrations themselves are in schema.ts). */
import type Database from 'better-sqlite3';
import { APPLICATION_ID, MIGRATIONS } from './schema';
import { StoreOpenError } from './types';

/**
 * Applies the pending `migrations` in one immediate transaction, re-reading the version under the write lock (so
 * two processes opening a new file at once migrate it once). A failing migration rolls all of them back.
 */
export function migrate(db: Database.Database, path: string, migrations: readonly string[] = MIGRATIONS): void {
  const target = migrations.length;
  db.transaction(() => {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== APPLICATION_ID && !(appId === 0 && version === 0)) {
      throw new StoreOpenError('not-proxima', path, `${path} is not a Proxima database (application_id ${appId})`);
    }
    if (version > target) {
      throw new StoreOpenError('newer', path, `${path} was written by a newer Proxima (schema ${version} > ${target})`);
    }
    for (let v = version; v < target; v++) db.exec(migrations[v]);
    if (version < target) db.pragma(`user_version = ${target}`);
    if (appId !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
  }).immediate();
}
