// Experiment store speed: metric ingest through appendMetrics (target ≥ 200,000 points/s) into a fresh and into a
// full database, and chart queries on a generated database of 1,000 runs × 1,000 updates × 15 metrics (15 M
// points): a 50-run, 2,000-point chart query (target < 50 ms, median over several run sets), the same with three
// keys, and the runs aggregated over seeds in 10 groups. Wall-clock rates depend on other load on the machine; the
// per-CPU-second rates do not.
// The same measurements on PostgreSQL (`npm run bench -- store-pg`, runStorePgBench()): on a throwaway server in a
// temp directory (test/support/postgres.ts, default durability: fsync and synchronous_commit on) or, with
// PROXIMA_BENCH_PG_URL=postgresql://…, on an existing empty database. Both print the load average before and after.
// On PostgreSQL the ingest rows compare the store's COPY path with the INSERT … unnest statement it replaced,
// alternated in one session (ingestAlternated).
// Run: `node bin/run-ts.mjs bench/store.ts [pg]` (also called from the bench index via runStoreBench()).
// PROXIMA_BENCH_STORE_RUNS scales the generated database down for a quick look (default 1000).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { groupedSeries, readSeries } from '../src/backend/analysis/series';
import { openStore } from '../src/backend/store/open-store';
import { PostgresStore } from '../src/backend/store/postgres-store';
import type { ExperimentStore, MetricSample, NewRun } from '../src/backend/store/types';
import { createRng } from '../src/core/rng/index';
import { startPostgres, type PostgresServer } from '../test/support/postgres';

const RUNS = Number(process.env.PROXIMA_BENCH_STORE_RUNS ?? 1000);
const UPDATES = 1000;
const STEPS_PER_UPDATE = 2048;
const UPDATES_PER_CALL = 100;
const KEYS = [
  'train/policy_loss',
  'train/value_loss',
  'train/entropy_loss',
  'train/loss',
  'train/approx_kl',
  'train/clip_fraction',
  'train/explained_variance',
  'train/learning_rate',
  'train/clip_range',
  'train/grad_norm',
  'time/fps',
  'time/total_timesteps',
  'rollout/ep_return_mean',
  'rollout/ep_length_mean',
  'eval/mean_return',
];
/** Runs written through appendMetrics at the start (fresh file) and at the end (full file): 1.5 M points each. */
const INGEST_RUNS = 100;
const QUERY_REPEATS = 9;
const CHART_RUNS = 50;
const CHART_POINTS = 2000;

interface Row {
  measure: string;
  value: string;
  target: string;
  met: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** 10 configurations (objective × entCoef) × RUNS/10 seeds. */
function runSpec(i: number): NewRun {
  const objective = i % 2 === 0 ? 'clip' : 'kl-adaptive';
  const entCoef = [0, 0.001, 0.003, 0.01, 0.03][Math.floor(i / 2) % 5];
  const seed = Math.floor(i / 10);
  return {
    envId: 'CartPole-v1',
    seed,
    objective,
    totalTimesteps: UPDATES * STEPS_PER_UPDATE,
    config: { envId: 'CartPole-v1', seed, objective, entCoef, learningRate: 3e-4, nSteps: 2048, totalTimesteps: UPDATES * STEPS_PER_UPDATE },
  };
}

/** One call's worth of samples: `UPDATES_PER_CALL` updates of one run, 15 keys each. */
function samples(runId: number, firstUpdate: number, random: () => number, t0: number): MetricSample[] {
  const out: MetricSample[] = [];
  for (let u = firstUpdate; u < firstUpdate + UPDATES_PER_CALL; u++) {
    const values: Record<string, number> = {};
    for (let k = 0; k < KEYS.length; k++) values[KEYS[k]] = k === 12 ? (500 * u) / UPDATES + 20 * random() : random();
    out.push({ runId, step: (u + 1) * STEPS_PER_UPDATE, wallTime: t0 + u * 250, values });
  }
  return out;
}

function pickRuns(ids: number[], count: number, random: () => number): number[] {
  const pool = [...ids];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

/**
 * Fills runs' metrics directly in SQL (1,000 updates × the 15 keys per run, one statement per run; SQLite's
 * unseeded random() for values): the bulk of the 15 M-point database is generated at SQLite speed so the bench
 * stays short; ingest through the store is measured separately. Needs the keys in `metric_keys` already.
 */
function fillRunsInSql(dbPath: string, runIds: number[]): void {
  const db = new Database(dbPath);
  db.pragma('busy_timeout = 30000');
  const keyIds = (db.prepare('SELECT id FROM metric_keys WHERE key IN (SELECT value FROM json_each(?))').all(JSON.stringify(KEYS)) as { id: number }[]).map((k) => k.id);
  if (keyIds.length !== KEYS.length) throw new Error('fillRunsInSql: metric keys missing');
  const insert = db.prepare(
    `WITH RECURSIVE u(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM u WHERE n < ${UPDATES})
     INSERT INTO metrics (run_id, key_id, step, seq, value, wall_time)
     SELECT ?, k.value, u.n * ${STEPS_PER_UPDATE}, 0, (abs(random()) % 1000000) / 1e6 + u.n * 0.5, 1.7e12 + u.n * 250
     FROM json_each(?) k, u ORDER BY k.value, u.n`,
  );
  const keys = JSON.stringify(keyIds);
  for (const id of runIds) db.transaction(() => insert.run(id, keys)).immediate();
  db.close();
}

/** Appends all metrics of `runIds` through the store; returns points written, wall seconds and CPU seconds. */
async function ingest(
  store: ExperimentStore,
  runIds: number[],
  random: () => number,
  serverCpu: () => number,
): Promise<{ points: number; seconds: number; cpuSeconds: number; serverCpuSeconds: number }> {
  const batches = runIds.flatMap((id) => Array.from({ length: UPDATES / UPDATES_PER_CALL }, (_, b) => samples(id, b * UPDATES_PER_CALL, random, 1.7e12)));
  const cpu = process.cpuUsage();
  const server = serverCpu();
  const t = performance.now();
  for (const batch of batches) await store.appendMetrics(batch);
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  return { points: batches.length * UPDATES_PER_CALL * KEYS.length, seconds, cpuSeconds: (used.user + used.system) / 1e6, serverCpuSeconds: serverCpu() - server };
}

type IngestResult = Awaited<ReturnType<typeof ingest>>;

/** A way of writing metrics to compare with the store's default, in one session (see BenchTarget.ingestVariants). */
interface IngestVariant {
  label: string;
  open(): Promise<ExperimentStore>;
}

/**
 * Ingest of `runIds` alternated between variants A B A B …: the runs are dealt into 2 × variants slices, each written
 * by the next variant's store in turn, so a change in the machine's load between two passes falls on both.
 */
async function ingestAlternated(variants: readonly IngestVariant[], runIds: number[], random: () => number, serverCpu: () => number): Promise<IngestResult[]> {
  const stores = await Promise.all(variants.map((v) => v.open()));
  const totals: IngestResult[] = variants.map(() => ({ points: 0, seconds: 0, cpuSeconds: 0, serverCpuSeconds: 0 }));
  const slices = 2 * variants.length;
  const per = Math.ceil(runIds.length / slices);
  try {
    for (let i = 0; i < slices; i++) {
      const v = i % variants.length;
      const r = await ingest(stores[v], runIds.slice(i * per, (i + 1) * per), random, serverCpu);
      for (const k of ['points', 'seconds', 'cpuSeconds', 'serverCpuSeconds'] as const) totals[v][k] += r[k];
    }
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
  return totals;
}

/** "N points/s (M per CPU-second[, S per server CPU-second])". */
function ingestRate(r: Awaited<ReturnType<typeof ingest>>): string {
  const server = r.serverCpuSeconds > 0 ? `, ${rate(r.points / r.serverCpuSeconds)} per server CPU-second` : '';
  return `${rate(r.points / r.seconds)} (${rate(r.points / r.cpuSeconds)} per CPU-second${server})`;
}

/**
 * Fills runs' metrics directly in SQL on PostgreSQL, as fillRunsInSql does on SQLite: 1,000 updates × the 15 keys
 * per run, 20 runs per statement, generate_series and random().
 */
async function fillRunsInPg(url: string, password: string | undefined, runIds: number[]): Promise<void> {
  const client = new pg.Client({ connectionString: url, password });
  await client.connect();
  try {
    const keyIds = (await client.query<{ id: number }>('SELECT id FROM metric_keys WHERE key = ANY($1)', [KEYS])).rows.map((k) => k.id);
    if (keyIds.length !== KEYS.length) throw new Error('fillRunsInPg: metric keys missing');
    for (let i = 0; i < runIds.length; i += 20) {
      await client.query(
        `INSERT INTO metrics (run_id, key_id, step, seq, value, wall_time)
         SELECT r, k, u * ${STEPS_PER_UPDATE}, 0, random() + u * 0.5, 1.7e12 + u * 250
         FROM unnest($1::int[]) r, unnest($2::int[]) k, generate_series(1, ${UPDATES}) u ORDER BY r, u, k`,
        [runIds.slice(i, i + 20), keyIds],
      );
    }
  } finally {
    await client.end();
  }
}

const rate = (n: number): string => `${Math.round(n).toLocaleString('en-US')} points/s`;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Where a bench run keeps its database: open it, fill runs in bulk, report its size, remove it. */
interface BenchTarget {
  label: string;
  open(): Promise<ExperimentStore>;
  fill(runIds: number[]): Promise<void>;
  /** After the bulk fill: what the database does before it serves queries (e.g. statistics). */
  settle?(): Promise<string>;
  sizeMb(): Promise<number>;
  /** CPU seconds a database server has used so far (0 for an embedded database, or a server elsewhere). */
  serverCpuSeconds?(): number;
  /** Ingest paths measured alternately in place of `open()`'s alone: the first is the store's default. */
  ingestVariants?: IngestVariant[];
  cleanup(): Promise<void>;
}

export async function runStoreBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'proxima-store-bench-'));
  const dbPath = join(dir, 'bench.db');
  await benchStore({
    label: 'SQLite',
    open: () => openStore(dbPath),
    fill: async (runIds) => fillRunsInSql(dbPath, runIds),
    sizeMb: async () => (statSync(dbPath).size + (statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / 1e6,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  });
}

export async function runStorePgBench(): Promise<void> {
  const given = process.env['PROXIMA_BENCH_PG_URL'];
  let server: PostgresServer | null = null;
  let url = given;
  let password: string | undefined;
  if (!url) {
    // Durability as shipped (fsync, synchronous_commit on); a buffer cache and WAL size a database server for this
    // would have (the defaults, 128 MB and 1 GB, are for a shared laptop).
    server = await startPostgres({ settings: { shared_buffers: '512MB', max_wal_size: '4GB', work_mem: '16MB' } });
    password = server.password;
    process.env['PGPASSWORD'] = password;
    url = await server.createDatabase('bench');
    console.log('PostgreSQL: throwaway server, fsync on, synchronous_commit on, shared_buffers 512MB, max_wal_size 4GB');
  }
  const target = url;
  await benchStore({
    label: 'PostgreSQL',
    open: () => openStore(target),
    fill: (runIds) => fillRunsInPg(target, password, runIds),
    settle: async () => {
      const client = new pg.Client({ connectionString: target, password });
      await client.connect();
      const t = performance.now();
      await client.query('VACUUM (ANALYZE) metrics');
      await client.end();
      return `VACUUM (ANALYZE) metrics ${((performance.now() - t) / 1000).toFixed(1)} s, as autovacuum would after the inserts`;
    },
    sizeMb: async () => {
      const client = new pg.Client({ connectionString: target, password });
      await client.connect();
      const { rows } = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
      await client.end();
      return Number(rows[0].bytes) / 1e6;
    },
    serverCpuSeconds: server ? () => server!.cpuSeconds() : undefined,
    ingestVariants: [
      { label: 'COPY FROM STDIN binary', open: () => PostgresStore.open(target, { metricIngest: 'copy' }) },
      { label: 'INSERT … SELECT FROM unnest', open: () => PostgresStore.open(target, { metricIngest: 'statement' }) },
    ],
    cleanup: async () => {
      await server?.stop();
    },
  });
}

async function benchStore(target: BenchTarget): Promise<void> {
  const rows: Row[] = [];
  const rng = createRng(2024);
  const random = (): number => rng.random();
  const benchStart = performance.now();
  rows.push({ measure: 'load average (1, 5, 15 min) at start', value: load(), target: '', met: '' });
  try {
    let store = await target.open();
    const runs = await store.createRuns(Array.from({ length: RUNS }, (_, i) => runSpec(i)));
    const ids = runs.map((r) => r.id);
    const ingestRuns = Math.min(INGEST_RUNS, Math.floor(ids.length / 2));

    // Ingest into a fresh file: appendMetrics with UPDATES_PER_CALL updates × 15 keys per call, as the run queue
    // flushes a trainer's buffered updates. Sample objects are built before the clock starts.
    const serverCpu = (): number => target.serverCpuSeconds?.() ?? 0;
    const measureIngest = async (what: string, runIds: number[]): Promise<void> => {
      const variants = target.ingestVariants;
      const results = variants ? await ingestAlternated(variants, runIds, random, serverCpu) : [await ingest(store, runIds, random, serverCpu)];
      results.forEach((r, i) => {
        const how = variants ? `, ${variants[i].label}${variants.length > 1 ? ', alternated' : ''}` : '';
        rows.push({ measure: `${what} (${(r.points / 1e6).toFixed(1)} M points, ${UPDATES_PER_CALL * KEYS.length} per call${how})`, value: ingestRate(r), target: '≥ 200,000 points/s', met: r.points / r.seconds >= 200_000 ? 'yes' : 'NO' });
      });
    };
    await measureIngest('ingest into a fresh DB', ids.slice(0, ingestRuns));

    // The bulk of the database, generated in SQL.
    await store.close();
    const fillStart = performance.now();
    await target.fill(ids.slice(ingestRuns, ids.length - ingestRuns));
    const fillSeconds = (performance.now() - fillStart) / 1000;
    store = await target.open();

    // Ingest into the nearly full database: the last runs, through appendMetrics again.
    await measureIngest(`ingest into the ${((RUNS * UPDATES * KEYS.length) / 1e6).toFixed(0)} M-point DB`, ids.slice(ids.length - ingestRuns));
    const sizeMb = await target.sizeMb();
    rows.push({ measure: `generated DB: ${RUNS} runs × ${UPDATES} updates × ${KEYS.length} metrics`, value: `${sizeMb.toFixed(0)} MB (bulk SQL fill ${fillSeconds.toFixed(1)} s)`, target: '', met: '' });
    if (target.settle) rows.push({ measure: 'before the queries', value: await target.settle(), target: '', met: '' });

    // Chart query: 50 random runs, one key, 2,000-point budget per series; a new run set each repeat.
    const chartRuns = Math.min(CHART_RUNS, ids.length);
    const chartMs: number[] = [];
    const chartCpuMs: number[] = [];
    const chartServerMs: number[] = [];
    let returned = 0;
    for (let r = 0; r < QUERY_REPEATS; r++) {
      const runIds = pickRuns(ids, chartRuns, random);
      const cpu = process.cpuUsage();
      const server = serverCpu();
      const t = performance.now();
      const series = await readSeries(store, { runIds, keys: ['rollout/ep_return_mean'], maxPoints: CHART_POINTS });
      chartMs.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      chartCpuMs.push((used.user + used.system) / 1000);
      chartServerMs.push((serverCpu() - server) * 1000);
      returned = series.reduce((n, s) => n + s.x.length, 0);
    }
    const chart = median(chartMs);
    rows.push({ measure: `chart query: ${chartRuns} runs × 1 key, ≤ ${CHART_POINTS} points each (${returned.toLocaleString('en-US')} points)`, value: `${chart.toFixed(1)} ms median (min ${Math.min(...chartMs).toFixed(1)}, max ${Math.max(...chartMs).toFixed(1)}; CPU ${median(chartCpuMs).toFixed(1)} ms${target.serverCpuSeconds ? `, server CPU ${median(chartServerMs).toFixed(0)} ms` : ''})`, target: '< 50 ms', met: chart < 50 ? 'yes' : 'NO' });

    // Three keys at once, as a dashboard row of charts would ask.
    const threeMs: number[] = [];
    for (let r = 0; r < QUERY_REPEATS; r++) {
      const runIds = pickRuns(ids, chartRuns, random);
      const t = performance.now();
      await readSeries(store, { runIds, keys: ['rollout/ep_return_mean', 'train/approx_kl', 'train/clip_fraction'], maxPoints: CHART_POINTS });
      threeMs.push(performance.now() - t);
    }
    rows.push({ measure: `chart query: ${chartRuns} runs × 3 keys, ≤ ${CHART_POINTS} points each`, value: `${median(threeMs).toFixed(1)} ms median`, target: '', met: '' });

    // Aggregated: the first 50 runs are 10 configurations × 5 seeds.
    const aggMs: number[] = [];
    let groups = 0;
    for (let r = 0; r < QUERY_REPEATS; r++) {
      const offset = 10 * Math.floor(random() * Math.max(1, Math.floor(ids.length / 10) - 5));
      const runIds = ids.slice(offset, offset + chartRuns);
      const t = performance.now();
      const result = await groupedSeries(store, { runIds, keys: ['rollout/ep_return_mean'], maxPoints: CHART_POINTS });
      aggMs.push(performance.now() - t);
      groups = result.series.length;
    }
    rows.push({ measure: `aggregated query: ${chartRuns} runs → ${groups} groups (mean/std/min/max over seeds)`, value: `${median(aggMs).toFixed(1)} ms median`, target: '', met: '' });
    await store.close();
  } finally {
    await target.cleanup();
  }
  rows.push({ measure: 'load average (1, 5, 15 min) at end', value: load(), target: '', met: '' });
  rows.push({ measure: `bench wall time (${target.label})`, value: `${((performance.now() - benchStart) / 1000).toFixed(1)} s`, target: '', met: '' });

  const widths = (['measure', 'value', 'target', 'met'] as const).map((k) => Math.max(k.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(['measure', 'value', 'target', 'met']));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line([r.measure, r.value, r.target, r.met]));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await (process.argv[2] === 'pg' ? runStorePgBench() : runStoreBench());
