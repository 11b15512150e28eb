/**
 * The cluster end to end: a real PostgreSQL (test/support/postgres.ts), real `proxima worker` processes started
 * through bin/proxima.mjs, sweeps enqueued and followed by `proxima sweep SPEC --store URL --wait`. The workers train
 * with the scripted fake trainer (PROXIMA_TRAINER_ENTRY; its schedule from PROXIMA_FAKE_*), so a trial is a few
 * seconds of updates with a checkpoint every few, and leases are short (PROXIMA_LEASE_SECONDS).
 *
 * Faults: SIGKILL of a worker mid-trial; a PostgreSQL restart mid-sweep; a worker stopped with SIGSTOP (a stopped
 * process, standing in for a machine cut off from the store) until its lease expired, then SIGCONT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { PostgresStore } from '../../../src/backend/store/postgres-store';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';
import { startWebServer } from '../../../src/backend/web/server';
import { describeOnPostgres } from '../../support/postgres';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const proximaBin = join(root, 'bin/proxima.mjs');
const fakeTrainer = join(root, 'test/support/fake-trainer.ts');

const UPDATES = 20;
const CHECKPOINT_EVERY = 4;
const TOTAL = 2000;
const LEASE_SECONDS = 4;

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeOnPostgres('cluster: proxima worker × 3 and proxima sweep --store --wait', (server) => {
  let dir: string;
  let spec: string;
  const procs: Proc[] = [];
  const stores: PostgresStore[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'proxima-cluster-'));
    spec = join(dir, 'sweep.yaml');
    writeFileSync(spec, `name: cluster\nenv: CartPole-v1\npreset: zoo\nseeds: [${Array.from({ length: 12 }, (_, i) => i).join(', ')}]\noverrides:\n  total_timesteps: ${TOTAL}\n`);
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') for (const p of procs) process.stderr.write(`--- ${p.child.spawnargs.slice(2).join(' ')}\n${p.output().slice(-3000)}\n`);
    for (const p of procs.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGCONT');
        p.child.kill('SIGKILL');
      }
      await p.exited;
    }
    for (const s of stores.splice(0)) await s.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function proxima(args: string[], env: Record<string, string> = {}): Proc {
    const child = spawn(process.execPath, [proximaBin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PGPASSWORD: server().password,
        PROXIMA_LEASE_SECONDS: String(LEASE_SECONDS),
        PROXIMA_TRAINER_ENTRY: fakeTrainer,
        PROXIMA_FAKE_UPDATES: String(UPDATES),
        PROXIMA_FAKE_CHECKPOINT_EVERY: String(CHECKPOINT_EVERY),
        PROXIMA_FAKE_DELAY_MS: '150',
        ...env,
      },
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const proc = { child, output: () => out, exited };
    procs.push(proc);
    return proc;
  }

  const workers = (url: string, n: number, env: Record<string, string> = {}): Proc[] =>
    Array.from({ length: n }, (_, i) => proxima(['worker', '--store', url, '--concurrency', '1', '--name', `w${i + 1}`], env));

  async function open(url: string): Promise<PostgresStore> {
    const store = await PostgresStore.open(url);
    stores.push(store);
    return store;
  }

  /** Every trial completed once, and each run's update steps are the schedule exactly: none lost, none doubled. */
  async function expectEveryTrialOnce(store: PostgresStore, n: number): Promise<void> {
    const { runs } = await store.listRuns({ filter: { includeHidden: true }, sort: { by: 'id', dir: 'asc' } });
    expect(runs).toHaveLength(n);
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'completed'));
    const expected = Array.from({ length: UPDATES }, (_, i) => Math.round((TOTAL * (i + 1)) / UPDATES));
    const series = await store.readMetrics({ runIds: runs.map((r) => r.id), keys: ['train/policy_loss'] });
    expect(series).toHaveLength(n);
    for (const s of series) expect(s.steps).toEqual(expected);
  }

  /** Waits until `predicate` holds (polled), or fails after `ms`. */
  async function until(what: string, predicate: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(200);
    }
  }

  /** A worker (by name) training a trial, once one is at least `minStep` into it, with the run id. */
  async function busyWorker(store: PostgresStore, minStep: number): Promise<{ name: string; runId: number }> {
    let found: { name: string; runId: number } | null = null;
    await until('a worker mid-trial', async () => {
      const { rows } = await store.run<{ name: string; id: number }>(
        "SELECT w.name, r.id FROM runs r JOIN workers w ON w.owner_id = r.owner_id WHERE r.status = 'running' AND r.steps_done >= ? ORDER BY r.id LIMIT 1",
        [minStep],
      );
      found = rows[0] ? { name: rows[0].name, runId: rows[0].id } : null;
      return found !== null;
    });
    return found!;
  }

  it('(a) three workers train a 12-trial sweep, every trial exactly once; workers.list shows them', async () => {
    const url = await server().createDatabase();
    const ws = workers(url, 3);
    const sweep = proxima(['sweep', spec, '--store', url, '--wait']);
    expect(await sweep.exited, sweep.output()).toBe(0);
    expect(sweep.output()).toMatch(/12 trials queued/);
    expect(sweep.output()).toMatch(/12 completed/);
    const store = await open(url);
    await expectEveryTrialOnce(store, 12);
    // Each trial was taken once and claimed once: lease_epoch 2.
    const { rows } = await store.run<{ e: number }>('SELECT DISTINCT lease_epoch AS e FROM runs');
    expect(rows.map((r) => r.e)).toEqual([2]);
    const listed = await store.listWorkers();
    expect(listed.map((w) => w.name)).toEqual(['w1', 'w2', 'w3']);
    for (const w of listed) expect(w.heartbeatAt).toBeGreaterThan(Date.now() - 10_000);
    // SIGTERM drains: each worker stops cleanly and its row says so.
    for (const w of ws) w.child.kill('SIGTERM');
    expect(await Promise.all(ws.map((w) => w.exited))).toEqual([0, 0, 0]);
    expect((await store.listWorkers()).every((w) => w.stoppedAt !== null)).toBe(true);
  }, 60_000);

  it('(b) SIGKILL of a worker mid-trial: the trial resumes on another worker from its last checkpoint, no update lost or doubled', async () => {
    const url = await server().createDatabase();
    const ws = workers(url, 3);
    const sweep = proxima(['sweep', spec, '--store', url, '--wait']);
    const store = await open(url);
    const { name, runId } = await busyWorker(store, TOTAL / 2);
    const victim = ws[Number(name.slice(1)) - 1];
    victim.child.kill('SIGKILL');
    expect(await sweep.exited, sweep.output()).toBe(0);
    await expectEveryTrialOnce(store, 12);
    const others = ws.filter((w) => w !== victim).map((w) => w.output()).join('\n');
    expect(others).toMatch(new RegExp(`run ${runId}: resuming from the checkpoint at step \\d+`));
    const row = (await store.getRun(runId))!;
    expect(row.ownerId).not.toBeNull();
    const [{ e }] = (await store.run<{ e: number }>('SELECT lease_epoch AS e FROM runs WHERE id = ?', [runId])).rows;
    expect(e).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('(c) a PostgreSQL restart mid-sweep: the workers reconnect and finish, nothing lost', async () => {
    const url = await server().createDatabase();
    const ws = workers(url, 3);
    const sweep = proxima(['sweep', spec, '--store', url, '--wait']);
    const store = await open(url);
    await busyWorker(store, TOTAL / 4);
    await server().restart();
    expect(await sweep.exited, sweep.output()).toBe(0);
    await expectEveryTrialOnce(store, 12);
    expect(ws.map((w) => w.output()).join('\n')).toMatch(/unreachable|works again/);
  }, 60_000);

  it('(d) a stopped worker (SIGSTOP) loses its trial once its lease expires; after SIGCONT its stale writes are refused', async () => {
    const url = await server().createDatabase();
    const six = join(dir, 'six.yaml');
    writeFileSync(six, `name: six\nenv: CartPole-v1\npreset: zoo\nseeds: [0, 1, 2, 3, 4, 5]\noverrides:\n  total_timesteps: ${TOTAL}\n`);
    const ws = workers(url, 2);
    const sweep = proxima(['sweep', six, '--store', url, '--wait']);
    const store = await open(url);
    const { name, runId } = await busyWorker(store, TOTAL / 4);
    const victim = ws[Number(name.slice(1)) - 1];
    victim.child.kill('SIGSTOP');
    // The other worker's reclaim requeues the trial and takes it (a new owner).
    await until('the trial to move', async () => {
      const { rows } = await store.run<{ name: string | null }>('SELECT w.name FROM runs r LEFT JOIN workers w ON w.owner_id = r.owner_id WHERE r.id = ?', [runId]);
      return rows[0]?.name !== undefined && rows[0].name !== null && rows[0].name !== name;
    }, 60_000);
    victim.child.kill('SIGCONT');
    expect(await sweep.exited, sweep.output()).toBe(0);
    await expectEveryTrialOnce(store, 6);
    await until('the stale worker to notice', async () => /refused|lost its lease/.test(victim.output()), 10_000);
    expect(victim.output()).toMatch(new RegExp(`run ${runId}: (warning: )?stopped: the store refused`));
  }, 240_000);

  it('(e) priorities order the queue; cancel stops a running trial within seconds and a queued one at once', async () => {
    const url = await server().createDatabase();
    const low = join(dir, 'low.yaml');
    const high = join(dir, 'high.yaml');
    writeFileSync(low, `name: low\nenv: CartPole-v1\npreset: zoo\nseeds: [0, 1]\noverrides:\n  total_timesteps: ${TOTAL}\n`);
    writeFileSync(high, `name: high\nenv: CartPole-v1\npreset: zoo\nseeds: [0]\noverrides:\n  total_timesteps: ${TOTAL}\n`);
    for (const [file, priority] of [[low, '0'], [high, '10']] as const) {
      const enqueued = proxima(['sweep', file, '--store', url, '--priority', priority, '--json']);
      expect(await enqueued.exited, enqueued.output()).toBe(0);
    }
    // Slow trials (20 × 1 s), one at a time: the high-priority trial (run 3) goes first.
    const [worker] = workers(url, 1, { PROXIMA_FAKE_DELAY_MS: '1000' });
    const store = await open(url);
    const { runId } = await busyWorker(store, 1);
    expect(runId).toBe(3);
    const started = Date.now();
    const cancel = proxima(['cancel', '3', '2', '--store', url]);
    expect(await cancel.exited, cancel.output()).toBe(0);
    expect(cancel.output()).toMatch(/cancelled 1 queued trial\(s\); asked the workers of 1 running/);
    expect((await store.getRun(2))!.status).toBe('cancelled');
    await until('the running trial to stop', async () => (await store.getRun(3))!.status === 'cancelled', 10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(worker.output()).toMatch(/run 3: cancel requested/);
    // The worker goes on with the rest of the queue: run 1.
    await busyWorker(store, 1).then((busy) => expect(busy.runId).toBe(1));
  }, 90_000);

  it('(f) a failing trial is retried up to its limit, then fails, and sweep --wait exits 1', async () => {
    const url = await server().createDatabase();
    const one = join(dir, 'one.yaml');
    writeFileSync(one, `name: one\nenv: CartPole-v1\npreset: zoo\nseeds: [0]\noverrides:\n  total_timesteps: ${TOTAL}\n`);
    const [worker] = workers(url, 1, { PROXIMA_FAKE_SCRIPT: 'throw' });
    const sweep = proxima(['sweep', one, '--store', url, '--wait', '--retries', '2']);
    expect(await sweep.exited, sweep.output()).toBe(1);
    expect(sweep.output()).toMatch(/run 1: failed \(scripted failure in the trainer\)/);
    expect(worker.output()).toMatch(/attempt 3 of 3/);
    const store = await open(url);
    expect((await store.getRun(1))!.status).toBe('failed');
  }, 90_000);

  it('(g) the README\'s "Run a cluster": two workers with real trainers (CartPole, cpu), sweep --wait, watched through web mode\'s API on --store', async () => {
    const url = await server().createDatabase();
    const readme = join(dir, 'readme.yaml');
    writeFileSync(readme, 'name: readme\nenv: CartPole-v1\npreset: zoo\nseeds: [0, 1]\noverrides:\n  total_timesteps: 512\n  backend: cpu\n');
    // Two "machines": workers with the real trainer (no PROXIMA_TRAINER_ENTRY).
    const real = { PROXIMA_TRAINER_ENTRY: '' };
    proxima(['worker', '--store', url, '--name', 'machine-a', '--concurrency', '1'], real);
    proxima(['worker', '--store', url, '--name', 'machine-b', '--concurrency', '1'], real);
    const sweep = proxima(['sweep', readme, '--store', url, '--wait']);
    expect(await sweep.exited, sweep.output()).toBe(0);
    expect(sweep.output()).toMatch(/2 completed/);

    // Web mode on the same store (as `proxima web --store URL` serves it): the runs, their curves, the workers.
    const staticDir = mkdtempSync(join(tmpdir(), 'proxima-web-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Proxima</title>');
    const service = new ApiService({ host: 'web', store: await openStore(url), launcher: nodeTrainerLauncher() });
    await service.start();
    const web = await startWebServer({ service, staticDir, port: 0 });
    try {
      const call = async (method: string, params: unknown = {}): Promise<unknown> => {
        const response = await fetch(`http://127.0.0.1:${web.port}/api`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-proxima-token': web.token },
          body: JSON.stringify({ method, params }),
        });
        const body = (await response.json()) as { ok: boolean; value: unknown };
        expect(body.ok).toBe(true);
        return body.value;
      };
      const runs = (await call('runs.list', {})) as { id: number; status: string; backend: string }[];
      expect(runs.map((r) => [r.status, r.backend])).toEqual([
        ['completed', 'cpu'],
        ['completed', 'cpu'],
      ]);
      const series = (await call('series.get', { runIds: runs.map((r) => r.id), keys: ['train/policy_loss'] })) as { runId: number; x: number[] }[];
      expect(series).toHaveLength(2);
      for (const s of series) expect(s.x.length).toBeGreaterThan(0);
      const listed = (await call('workers.list')) as { name: string; host: string; cores: number }[];
      expect(listed.map((w) => w.name)).toEqual(['machine-a', 'machine-b']);
      for (const w of listed) expect(w.cores).toBeGreaterThan(0);
    } finally {
      await web.close();
      await service.close();
      rmSync(staticDir, { recursive: true, force: true });
    }
  }, 180_000);
});
