/**
 * The store conformance suite on PostgreSQL (a fresh database per case on a throwaway server), and what only the
 * PostgreSQL store has: versioned migrations, masked credentials, refusing a foreign database.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/backend/store/open-store';
import { migratePostgres } from '../../../src/backend/store/pg-migrate';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../../src/backend/store/pg-schema';
import { PostgresStore } from '../../../src/backend/store/postgres-store';
import { StoreOpenError } from '../../../src/backend/store/types';
import { describeOnPostgres } from '../../support/postgres';
import { storeConformance } from './conformance';
import { newRun } from './helpers';

describeOnPostgres('PostgresStore', (server) => {
  storeConformance(async () => openStore(await server().createDatabase()));

  describe('migrations', () => {
    it('applies the numbered migrations once, in one transaction, and opening again changes nothing', async () => {
      const url = await server().createDatabase();
      const store = await openStore(url);
      await store.createRuns([newRun(1)]);
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT version, name FROM proxima_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
        expect(await migratePostgres(client, 'db')).toEqual([]);
        // Two openers at once (a new database): the advisory lock makes the second find the schema current.
        const other = await server().createDatabase();
        const [a, b] = await Promise.all([openStore(other), openStore(other)]);
        await Promise.all([a.close(), b.close()]);
        // A migration that fails rolls back with the ones before it.
        const fresh = new pg.Client({ connectionString: await server().createDatabase() });
        await fresh.connect();
        const broken = [...PG_MIGRATIONS, { version: PG_SCHEMA_VERSION + 1, name: 'broken', sql: 'CREATE TABLE nope (' }];
        await expect(migratePostgres(fresh, 'db', broken)).rejects.toThrow(`migration ${PG_SCHEMA_VERSION + 1} (broken) failed`);
        expect((await fresh.query("SELECT to_regclass('runs') AS t")).rows[0].t).toBeNull();
        expect(await migratePostgres(fresh, 'db')).toEqual(PG_MIGRATIONS.map((m) => m.version));
        await fresh.end();
      } finally {
        await client.end();
      }
    });

    it('refuses a database with tables of its own names that is not Proxima\'s, and a newer one', async () => {
      const url = await server().createDatabase();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE runs (id int)');
      await client.end();
      await expect(openStore(url)).rejects.toMatchObject({ reason: 'not-proxima' });

      const newer = await server().createDatabase();
      await (await openStore(newer)).close();
      const c2 = new pg.Client({ connectionString: newer });
      await c2.connect();
      await c2.query("INSERT INTO proxima_migrations (version, name) VALUES (99, 'future')");
      await c2.end();
      await expect(openStore(newer)).rejects.toMatchObject({ reason: 'newer' });
    });
  });

  describe('metrics without foreign keys', () => {
    it('leaves no points of a run deleted while batches for it were being written', async () => {
      const url = await server().createDatabase();
      const store = await openStore(url);
      const writer = await openStore(url);
      const runs = await store.createRuns([newRun(1), newRun(2)]);
      const batch = (runId: number, step: number) => Array.from({ length: 20 }, (_, i) => ({ runId, step: step * 100 + i, values: { a: i, b: -i } }));
      const writes = Array.from({ length: 30 }, (_, i) =>
        writer.appendMetrics([...batch(runs[0].id, i), ...batch(runs[1].id, i)]).then(
          () => 'written',
          (e: Error) => e.message,
        ),
      );
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.deleteRuns([runs[0].id])).toBe(1);
      const outcomes = await Promise.all(writes);
      // Each batch either landed before the delete (and was deleted with the run) or was refused whole.
      for (const o of outcomes) expect(o === 'written' || /run \d+ does not exist; nothing was written/.test(o)).toBe(true);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const orphans = await client.query('SELECT count(*)::int AS n FROM metrics m WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = m.run_id)');
      const kept = await client.query('SELECT count(*)::int AS n FROM metrics WHERE run_id = $1', [runs[1].id]);
      await client.end();
      expect(orphans.rows[0].n).toBe(0);
      expect(kept.rows[0].n).toBe(40 * outcomes.filter((o) => o === 'written').length);
      await Promise.all([store.close(), writer.close()]);
    });
  });

  describe('metric ingest by COPY', () => {
    it('stores what the INSERT statement path stores, and refuses a missing run without writing', async () => {
      const url = await server().createDatabase();
      const copy = await PostgresStore.open(url, { metricIngest: 'copy' });
      const statement = await PostgresStore.open(url, { metricIngest: 'statement' });
      const [a, b] = await copy.createRuns([newRun(1), newRun(2)]);
      const batch = (runId: number) =>
        Array.from({ length: 300 }, (_, i) => ({
          runId,
          step: i * 2048 - 4096,
          seq: i % 3,
          wallTime: i % 4 === 0 ? undefined : 1.7e12 + i * 0.125,
          values: { x: Math.sin(i) * 1e-300, y: i % 5 === 0 ? NaN : -i, z: 2 ** 52 + i },
        }));
      await copy.appendMetrics(batch(a.id));
      await statement.appendMetrics(batch(b.id));
      const read = async (runId: number) => (await copy.readMetrics({ runIds: [runId], withSeq: true, withWallTime: true })).map(({ runId: _r, ...series }) => series);
      const [viaCopy, viaStatement] = [await read(a.id), await read(b.id)];
      expect(viaCopy.map((s) => s.steps.length)).toEqual([300, 300, 300]);
      expect(viaCopy).toEqual(viaStatement);
      await expect(copy.appendMetrics([{ runId: a.id, step: 1e9, values: { x: 1 } }, { runId: 9999, step: 1, values: { x: 1 } }])).rejects.toThrow(
        /run 9999 does not exist; nothing was written/,
      );
      expect((await read(a.id))[0].steps).not.toContain(1e9);
      await Promise.all([copy.close(), statement.close()]);
    });
  });

  describe('credentials', () => {
    it('takes the password from the URL or PGPASSWORD, and never shows it', async () => {
      const { password, port } = server();
      const db = (await server().createDatabase()).split('/').pop()!;
      const saved = process.env['PGPASSWORD'];
      delete process.env['PGPASSWORD'];
      try {
        const withPassword = `postgresql://proxima:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
        const store = await openStore(withPassword);
        expect(store.location).toBe(`postgresql://proxima:***@127.0.0.1:${port}/${db}`);
        await store.close();

        const wrong = `postgresql://proxima:not-${password}@127.0.0.1:${port}/${db}`;
        const error = (await openStore(wrong).catch((e: unknown) => e)) as StoreOpenError;
        expect(error).toBeInstanceOf(StoreOpenError);
        expect(error.message).toMatch(/password authentication failed/);
        expect(error.message).not.toContain(password);
        expect(error.path).not.toContain(password);

        process.env['PGPASSWORD'] = password;
        const fromEnv = await openStore(`postgresql://proxima@127.0.0.1:${port}/${db}`);
        expect((await fromEnv.listRuns()).total).toBe(0);
        await fromEnv.close();
      } finally {
        process.env['PGPASSWORD'] = saved;
      }
    });

    it('passes TLS parameters through to the driver (sslmode=require against a server without TLS fails saying so)', async () => {
      const url = `${await server().createDatabase()}?sslmode=require`;
      await expect(openStore(url)).rejects.toThrow(/does not support SSL/);
    });
  });
});
