/**
 * Schema migrations of a PostgreSQL store. Every migration of PG_MIGRATIONS not yet in `proxima_migrations` is
 * applied in version order, all in one transaction under an advisory lock (so processes opening a new database at
 * once migrate it once, and a failing migration rolls back all of them). Running it again changes nothing.
 */
import type pg from 'pg';
import { PG_MIGRATIONS, type PgMigration } from './pg-schema';
import { StoreOpenError } from './types';

/** pg_advisory_xact_lock key of the migration lock: 'PRXM' as an int32, as SQLite's application id. */
const MIGRATION_LOCK = 0x5052584d;

/** Tables of migration 1: finding one without `proxima_migrations` means the database is someone else's. */
const OWN_TABLES = ['sweeps', 'runs', 'run_params', 'metric_keys', 'metrics', 'checkpoints', 'replays', 'owners'];

/** Applies the pending migrations; returns the versions applied (empty when the schema was current). */
export async function migratePostgres(client: pg.ClientBase, location: string, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const existing = await client.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ANY($1)',
      [[...OWN_TABLES, 'proxima_migrations']],
    );
    const names = new Set(existing.rows.map((r) => r.name));
    if (!names.has('proxima_migrations') && names.size > 0) {
      throw new StoreOpenError(
        'not-proxima',
        location,
        `${location} is not a Proxima database: it has tables named like Proxima's (${[...names].sort().join(', ')}) but no proxima_migrations; it was left untouched.`,
      );
    }
    await client.query(`CREATE TABLE IF NOT EXISTS proxima_migrations (
      version     integer PRIMARY KEY,
      name        text NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM proxima_migrations')).rows.map((r) => r.version));
    const latest = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > latest) {
      throw new StoreOpenError('newer', location, `${location} was written by a newer Proxima (schema ${newest}; this version reads up to ${latest}). Update Proxima to open it; it was left untouched.`);
    }
    const pending = migrations.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
    for (const m of pending) {
      try {
        await client.query(m.sql);
      } catch (err) {
        throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}; nothing was changed`, { cause: err });
      }
      await client.query('INSERT INTO proxima_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await client.query('COMMIT');
    return pending.map((m) => m.version);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
