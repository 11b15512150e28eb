// Metric ingest into PostgreSQL from 3 writer processes at once, as 3 `proxima worker`s would stream their trials'
// metrics (issue 18: target ≥ 200,000 points/s in total, as for SQLite). Each writer is a separate Node process with
// its own PostgresStore (pool) and its own runs, writing 100 updates × 15 keys per appendMetrics call as the run
// queue flushes; all start on one signal once their batches are built, and the rate is all points over the time from
// that signal to the last writer's end. COPY (the store's default) and the INSERT … unnest statement alternate,
// in rounds, on one throwaway server (test/support/postgres.ts, fsync and synchronous_commit on) or on
// PROXIMA_BENCH_PG_URL. Prints the load average before and after: the writers, the server and anything else on the
// machine share its cores.
// Run: `npm run bench -- cluster` (runClusterIngestBench()), or `node bin/run-ts.mjs bench/cluster-ingest.ts`.
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PostgresStore } from '../src/backend/store/postgres-store';
import type { MetricSample } from '../src/backend/store/types';
import { startPostgres, type PostgresServer } from '../test/support/postgres';

const WRITERS = 3;
const RUNS_PER_WRITER = 8;
const UPDATES = 1000;
const UPDATES_PER_CALL = 100;
const KEYS = Array.from({ length: 15 }, (_, k) => `bench/key_${k}`);
const ROUNDS = 4;
type Ingest = 'copy' | 'statement';

type WriterMessage = { type: 'ready' } | { type: 'done'; points: number; seconds: number; cpuSeconds: number } | { type: 'error'; message: string };

/** The writer process: argv url, ingest, run ids (comma-separated). */
async function writer(url: string, ingest: Ingest, runIds: number[]): Promise<void> {
  const send = (m: WriterMessage): Promise<void> => new Promise((resolve) => process.send!(m, () => resolve()));
  try {
    const store = await PostgresStore.open(url, { metricIngest: ingest });
    const batches: MetricSample[][] = [];
    for (const runId of runIds) {
      for (let b = 0; b < UPDATES / UPDATES_PER_CALL; b++) {
        batches.push(
          Array.from({ length: UPDATES_PER_CALL }, (_, u) => {
            const update = b * UPDATES_PER_CALL + u;
            return { runId, step: (update + 1) * 2048, wallTime: 1.7e12 + update * 250, values: Object.fromEntries(KEYS.map((k) => [k, Math.random()])) };
          }),
        );
      }
    }
    await new Promise<void>((resolve) => {
      process.once('message', () => resolve());
      void send({ type: 'ready' });
    });
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (const batch of batches) await store.appendMetrics(batch);
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    await store.close();
    await send({ type: 'done', points: batches.length * UPDATES_PER_CALL * KEYS.length, seconds, cpuSeconds: (used.user + used.system) / 1e6 });
    process.exit(0);
  } catch (err) {
    await send({ type: 'error', message: (err as Error).stack ?? String(err) });
    process.exit(1);
  }
}

/** One round: WRITERS processes, each on its own runs, started together. */
async function round(url: string, ingest: Ingest, runIds: number[][], serverCpu: () => number): Promise<{ points: number; seconds: number; writerCpu: number; serverCpu: number }> {
  const file = fileURLToPath(import.meta.url);
  const children: ChildProcess[] = runIds.map((ids) =>
    fork(file, ['writer', url, ingest, ids.join(',')], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const next = (child: ChildProcess): Promise<WriterMessage> =>
    new Promise((resolve, reject) => {
      child.once('message', (m: WriterMessage) => (m.type === 'error' ? reject(new Error(m.message)) : resolve(m)));
      child.once('exit', (code) => reject(new Error(`writer exited with ${code}`)));
    });
  await Promise.all(children.map(next));
  const server = serverCpu();
  const t = performance.now();
  const done = Promise.all(children.map(next));
  for (const child of children) child.send('go');
  const results = (await done) as Extract<WriterMessage, { type: 'done' }>[];
  const seconds = (performance.now() - t) / 1000;
  return { points: results.reduce((n, r) => n + r.points, 0), seconds, writerCpu: results.reduce((n, r) => n + r.cpuSeconds, 0), serverCpu: serverCpu() - server };
}

export async function runClusterIngestBench(): Promise<void> {
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
  const startLoad = load();
  let server: PostgresServer | null = null;
  let url = process.env['PROXIMA_BENCH_PG_URL'];
  if (!url) {
    server = await startPostgres({ settings: { shared_buffers: '512MB', max_wal_size: '4GB', work_mem: '16MB' } });
    process.env['PGPASSWORD'] = server.password;
    url = await server.createDatabase('cluster');
  }
  try {
    const store = await PostgresStore.open(url);
    const runs = await store.createRuns(
      Array.from({ length: ROUNDS * WRITERS * RUNS_PER_WRITER }, (_, i) => ({ envId: 'CartPole-v1', seed: i, objective: 'clip', totalTimesteps: UPDATES * 2048, config: {} })),
    );
    await store.close();
    const ids = runs.map((r) => r.id);
    const totals = new Map<Ingest, { points: number; seconds: number; writerCpu: number; serverCpu: number }>();
    for (let r = 0; r < ROUNDS; r++) {
      const ingest: Ingest = r % 2 === 0 ? 'copy' : 'statement';
      const mine = ids.slice(r * WRITERS * RUNS_PER_WRITER, (r + 1) * WRITERS * RUNS_PER_WRITER);
      const perWriter = Array.from({ length: WRITERS }, (_, w) => mine.slice(w * RUNS_PER_WRITER, (w + 1) * RUNS_PER_WRITER));
      const result = await round(url, ingest, perWriter, () => server?.cpuSeconds() ?? 0);
      const t = totals.get(ingest) ?? { points: 0, seconds: 0, writerCpu: 0, serverCpu: 0 };
      totals.set(ingest, { points: t.points + result.points, seconds: t.seconds + result.seconds, writerCpu: t.writerCpu + result.writerCpu, serverCpu: t.serverCpu + result.serverCpu });
    }
    const rate = (n: number): string => `${Math.round(n).toLocaleString('en-US')} points/s`;
    console.log(`PostgreSQL: ${server ? 'throwaway server, fsync on, synchronous_commit on (metric batches: off per transaction)' : 'PROXIMA_BENCH_PG_URL'}; ${cpus().length} cores; load average at start ${startLoad}`);
    for (const [ingest, t] of totals) {
      const serverPart = t.serverCpu > 0 ? `, ${rate(t.points / t.serverCpu)} per server CPU-second` : '';
      const met = t.points / t.seconds >= 200_000 ? 'yes' : 'NO';
      console.log(
        `ingest from ${WRITERS} writer processes (${ingest === 'copy' ? 'COPY FROM STDIN binary' : 'INSERT … SELECT FROM unnest'}, ${(t.points / 1e6).toFixed(1)} M points, ${ROUNDS / 2} alternated rounds): ` +
          `${rate(t.points / t.seconds)} total (${rate(t.points / t.writerCpu)} per writer CPU-second${serverPart})  target ≥ 200,000 points/s  met: ${met}`,
      );
    }
    console.log(`load average at end ${load()}`);
  } finally {
    await server?.stop();
  }
}

if (process.argv[2] === 'writer') await writer(process.argv[3], process.argv[4] as Ingest, process.argv[5].split(',').map(Number));
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runClusterIngestBench();
