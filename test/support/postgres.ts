/**
 * A throwaway PostgreSQL server for tests and benches: `initdb` into a fresh temp directory as the unprivileged
 * `postgres` user (when run as root; as the current user otherwise), a password-protected superuser `proxima`,
 * listening on 127.0.0.1 only at a free port with its unix socket inside the temp directory; `stop()` shuts it
 * down (fast shutdown) and removes the directory.
 *
 * Where no PostgreSQL is installed, `describeOnPostgres` skips its cases and says why in their titles; under
 * CI=true (set by .ci/run, which installs Debian's postgresql) absence is a failure instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';

/** The newest Debian PostgreSQL bin directory (/usr/lib/postgresql/N/bin), or null when none is installed. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

export const POSTGRES_SKIP_REASON = 'PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)';

export interface PostgresServer {
  /** `postgresql://proxima@127.0.0.1:PORT/postgres`: no password in it (it is `password`, or PGPASSWORD). */
  url: string;
  port: number;
  user: string;
  password: string;
  /** URL of a fresh, empty database on this server. */
  createDatabase(name?: string): Promise<string>;
  /** CPU seconds (user + system) the server's processes have used so far (Linux /proc; benches compare two readings). */
  cpuSeconds(): number;
  /** Stops the server (fast shutdown) and removes its directory. */
  stop(): Promise<void>;
  /** Stops the server (fast shutdown, every session ended) and starts it again on the same data and port. */
  restart(): Promise<void>;
}

/** utime + stime (clock ticks) of `pid` and its children still running, from /proc. */
function processTreeTicks(pid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesized command: state ppid … utime (14th field overall) stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(entry) === pid || Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}

export interface PostgresOptions {
  /** Extra `-c name=value` settings; tests turn durability off for speed, the bench keeps the defaults. */
  settings?: Record<string, string | number>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The `postgres` user's uid and gid when we are root (the server refuses to run as root), else null (run as we are). */
function serverUser(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, but there is no `postgres` user to run the server as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

let databases = 0;

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(POSTGRES_SKIP_REASON);
  const dir = mkdtempSync(join(tmpdir(), 'proxima-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const user = 'proxima';
  writeFileSync(join(dir, 'pwfile'), `${password}\n`);
  // As root, the directory is handed to `postgres` and both binaries run as that user (Node's uid/gid spawn
  // options: the same as `runuser -u postgres`, but signals reach the server itself).
  const owner = serverUser();
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(join(dir, 'pwfile'), owner.uid, owner.gid);
  }
  const as = owner ?? {};
  const initArgs = ['-D', data, '-U', user, `--pwfile=${join(dir, 'pwfile')}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-locale', '--no-sync'];
  const init = spawnSync(join(bin, 'initdb'), initArgs, { encoding: 'utf8', cwd: dir, ...as });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
  }
  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', port, unix_socket_directories: dir, max_connections: 50, ...(options.settings ?? {}) };
  const args = ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  // The server log goes to a file, not a pipe: a test blocked in spawnSync could not drain a pipe, and a full one
  // would stall the server.
  const logPath = join(dir, 'server.log');
  const log = (): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-4000) : '');
  let child!: ChildProcess;
  let exited!: Promise<void>;
  const launch = (): void => {
    const logFd = openSync(logPath, 'a');
    child = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', logFd, logFd], cwd: dir, ...as });
    closeSync(logFd);
    const started = child;
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
  };
  launch();

  const url = `postgresql://${user}@127.0.0.1:${port}/postgres`;
  const shutdown = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      // SIGINT is PostgreSQL's fast shutdown: it ends the sessions, checkpoints and exits.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const stop = async (): Promise<void> => {
    await shutdown();
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = async (): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
      try {
        await client.connect();
        await client.end();
        break;
      } catch (err) {
        await client.end().catch(() => undefined);
        if (child.exitCode !== null || Date.now() > deadline) {
          await stop();
          throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${log()}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  await ready();

  return {
    url,
    port,
    user,
    password,
    async createDatabase(name = `t${process.pid}_${++databases}`) {
      const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgresql://${user}@127.0.0.1:${port}/${name}`;
    },
    // Clock ticks are 100 per second on Linux (sysconf(_SC_CLK_TCK)).
    cpuSeconds: () => processTreeTicks(child.pid!) / 100,
    stop,
    async restart() {
      await shutdown();
      launch();
      await ready();
    },
  };
}

export const postgresInstalled = postgresBinDir() !== null;

if (!postgresInstalled && process.env['CI'] === 'true') {
  // Fail, do not skip: CI installs PostgreSQL, so its absence there is a broken setup.
  throw new Error(`CI=true, but ${POSTGRES_SKIP_REASON}`);
}

/**
 * `describe(title)` with a PostgreSQL server started before its cases and stopped after them, passed to `body`
 * through the returned getter. Skipped (saying why) where PostgreSQL is absent, except under CI=true, where
 * importing this module already failed. The server runs with fsync off: tests need no durability.
 */
export function describeOnPostgres(title: string, body: (server: () => PostgresServer) => void): void {
  describe.skipIf(!postgresInstalled)(postgresInstalled ? title : `${title} (skipped: ${POSTGRES_SKIP_REASON})`, () => {
    let server: PostgresServer | undefined;
    beforeAll(async () => {
      server = await startPostgres({ settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
      process.env['PGPASSWORD'] = server.password;
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });
    body(() => {
      if (!server) throw new Error('the PostgreSQL server has not started');
      return server;
    });
  });
}
