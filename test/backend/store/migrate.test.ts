import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, MIGRATIONS } from '../../../src/backend/store/schema';
import { migrate } from '../../../src/backend/store/migrate';
import { StoreOpenError } from '../../../src/backend/store/types';

const M1 = 'CREATE TABLE a (x INTEGER);';
const M2 = 'CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (2);';
const BAD = 'CREATE TABLE c (z INTEGER); INSERT INTO nowhere VALUES (1);';

const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);

describe('migrate', () => {
  it('applies only the pending migrations and records the version and identity', () => {
    const db = new Database(':memory:');
    migrate(db, ':memory:', [M1]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    migrate(db, ':memory:', [M1, M2]); // M1 is not run again (it would fail: table a exists)
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(tables(db)).toEqual(['a', 'b']);
    expect(db.prepare('SELECT x FROM a').pluck().all()).toEqual([2]);
    migrate(db, ':memory:', [M1, M2]);
    expect(db.prepare('SELECT x FROM a').pluck().all()).toEqual([2]);
    db.close();
  });

  it('rolls every pending migration back when one fails', () => {
    const db = new Database(':memory:');
    migrate(db, ':memory:', [M1]);
    expect(() => migrate(db, ':memory:', [M1, M2, BAD])).toThrow(/nowhere/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(['a']);
    db.close();
  });

  it('refuses a newer schema and another application’s database', () => {
    const newer = new Database(':memory:');
    migrate(newer, ':memory:', [M1, M2]);
    expect(() => migrate(newer, ':memory:', [M1])).toThrow(StoreOpenError);
    const other = new Database(':memory:');
    other.pragma('application_id = 42');
    expect(() => migrate(other, ':memory:', [M1])).toThrow(/not a Proxima database/);
    expect(tables(other)).toEqual([]);
  });

  it('upgrades a schema-1 database to run ownership, keeping its runs (legacy live runs have no owner)', () => {
    const db = new Database(':memory:');
    migrate(db, ':memory:', MIGRATIONS.slice(0, 1));
    db.prepare(
      `INSERT INTO runs (env_id, seed, objective, status, proxima_version, config, created_at, total_timesteps)
       VALUES ('CartPole-v1', 1, 'clip', 'running', '0.1.0', '{}', 0, 1000)`,
    ).run();
    migrate(db, ':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(tables(db)).toContain('owners');
    expect(db.prepare('SELECT status, owner_id FROM runs').all()).toEqual([{ status: 'running', owner_id: null }]);
    db.close();
  });

  it('upgrades a schema-2 database so every legacy run reads as PPO in params (its stored config untouched)', () => {
    const db = new Database(':memory:');
    migrate(db, ':memory:', MIGRATIONS.slice(0, 2));
    const insert = db.prepare(
      `INSERT INTO runs (env_id, seed, objective, status, proxima_version, config, created_at, total_timesteps)
       VALUES ('CartPole-v1', ?, ?, 'completed', '0.1.0', ?, 0, 1000)`,
    );
    insert.run(1, 'clip', JSON.stringify({ objective: 'clip', seed: 1 }));
    insert.run(2, 'a2c', JSON.stringify({ algorithm: 'a2c', seed: 2 }));
    migrate(db, ':memory:');
    expect(db.prepare("SELECT run_id, text_value, explicit FROM run_params WHERE key = 'algorithm' ORDER BY run_id").all()).toEqual([
      { run_id: 1, text_value: 'ppo', explicit: 0 },
      { run_id: 2, text_value: 'a2c', explicit: 0 },
    ]);
    expect(db.prepare('SELECT config FROM runs WHERE id = 1').pluck().get()).toBe('{"objective":"clip","seed":1}');
    db.close();
  });
});
