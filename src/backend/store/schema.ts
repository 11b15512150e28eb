/**
 * The database schema as an ordered list of migrations. `PRAGMA user_version` holds the number of migrations
 * applied; `PRAGMA application_id` marks the file as Proxima's. Migrations run at open, all in one transaction.
 * Never edit a released migration: append a new one.
 */

/** 'PRXM' as a big-endian int32: the SQLite header's application id for Proxima databases. */
export const APPLICATION_ID = 0x5052584d;

export const MIGRATIONS: readonly string[] = [
  // 1: sweeps, runs, params, metrics, checkpoints, replays.
  `
  CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    env_id      TEXT NOT NULL,
    spec        TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  REAL NOT NULL
  );

  CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    sweep_id         INTEGER REFERENCES sweeps(id) ON DELETE CASCADE,
    env_id           TEXT NOT NULL,
    seed             INTEGER NOT NULL,
    objective        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('queued','running','completed','failed','cancelled','interrupted')),
    error            TEXT,
    backend          TEXT,
    proxima_version  TEXT NOT NULL,
    config           TEXT NOT NULL,
    created_at       REAL NOT NULL,
    started_at       REAL,
    finished_at      REAL,
    total_timesteps  INTEGER NOT NULL,
    steps_done       INTEGER NOT NULL DEFAULT 0,
    final_eval       TEXT,
    tags             TEXT NOT NULL DEFAULT '[]',
    notes            TEXT NOT NULL DEFAULT '',
    hidden           INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_sweep ON runs(sweep_id);
  CREATE INDEX runs_status ON runs(status);
  CREATE INDEX runs_created ON runs(created_at);

  CREATE TABLE run_params (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    num_value   REAL,
    text_value  TEXT,
    explicit    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, key)
  ) WITHOUT ROWID;
  CREATE INDEX run_params_num ON run_params(key, num_value);
  CREATE INDEX run_params_text ON run_params(key, text_value);

  CREATE TABLE metric_keys (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL UNIQUE
  );

  -- One row per point; the primary key serves "these keys for these runs" as index range scans.
  CREATE TABLE metrics (
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id     INTEGER NOT NULL REFERENCES metric_keys(id),
    step       INTEGER NOT NULL,
    seq        INTEGER NOT NULL DEFAULT 0,
    value      REAL,
    wall_time  REAL,
    PRIMARY KEY (run_id, key_id, step, seq)
  ) WITHOUT ROWID;

  CREATE TABLE checkpoints (
    run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step           INTEGER NOT NULL,
    created_at     REAL NOT NULL,
    weights        BLOB NOT NULL,
    optimizer      BLOB,
    normalization  TEXT,
    meta           TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, step)
  );

  CREATE TABLE replays (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    checkpoint_step  INTEGER,
    seed             INTEGER,
    env_id           TEXT NOT NULL,
    frames           TEXT NOT NULL,
    total_return     REAL NOT NULL,
    length           INTEGER NOT NULL,
    created_at       REAL NOT NULL
  );
  CREATE INDEX replays_run ON replays(run_id);
  `,
  // 2: run ownership by lease. An owner is one run queue in one process; it renews its lease while alive. Runs
  // queued or training carry their owner; only runs whose owner's lease has expired are reclaimed.
  `
  CREATE TABLE owners (
    id            TEXT PRIMARY KEY,
    host          TEXT NOT NULL,
    pid           INTEGER NOT NULL,
    started_at    REAL NOT NULL,
    lease_until   REAL NOT NULL,
    heartbeat_at  REAL NOT NULL
  );
  ALTER TABLE runs ADD COLUMN owner_id TEXT;
  CREATE INDEX runs_owner ON runs(owner_id);
  `,
  // 3: every run has an `algorithm` param. Runs stored before the ancestors (REINFORCE, A2C, TRPO) were added have
  // PPO configs without the field; they read as PPO in filters (`algorithm=ppo`), sorts and groupings as in views.
  // Their stored configs stay as they were written (a config without `algorithm` parses as PPO's).
  `
  INSERT INTO run_params (run_id, key, num_value, text_value, explicit)
  SELECT r.id, 'algorithm', NULL, COALESCE(CASE WHEN json_valid(r.config) THEN json_extract(r.config, '$.algorithm') END, 'ppo'), 0
  FROM runs r
  WHERE NOT EXISTS (SELECT 1 FROM run_params p WHERE p.run_id = r.id AND p.key = 'algorithm');
  `,
];

/** The schema version this build writes: the number of migrations. */
export const SCHEMA_VERSION = MIGRATIONS.length;
