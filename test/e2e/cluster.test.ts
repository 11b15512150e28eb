/**
 * The README's "Run a cluster", watched in a browser: a real PostgreSQL (test/support/postgres.ts), a real
 * `proxima worker` process (the scripted fake trainer: 60 updates × 250 ms per trial), a sweep enqueued with
 * `proxima sweep SPEC --store URL`, and `proxima web --store URL` in Debian's Chromium. The Runs view's workers
 * panel shows the worker alive and training; Run detail's curve of the trial it trains grows without a reload (the
 * worker's run events, NOTIFY → web mode → WebSocket); Cancel in Run detail stops the running trial on the worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresInstalled, POSTGRES_SKIP_REASON, startPostgres, type PostgresServer } from '../support/postgres';
import { apiCall, browserUnavailable, launchBrowser, root, screenshot, startWebApp, type WebApp } from './support';

const unavailable = browserUnavailable() ?? (postgresInstalled ? null : POSTGRES_SKIP_REASON);

function proxima(args: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [join(root, 'bin/proxima.mjs'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

describe.skipIf(unavailable)('Cluster in web mode: workers panel, live curves, cancel', () => {
  let server: PostgresServer;
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let worker: ReturnType<typeof proxima>;
  let dir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startPostgres({ settings: { fsync: 'off', synchronous_commit: 'off' } });
    const url = await server.createDatabase();
    const env = {
      PGPASSWORD: server.password,
      PROXIMA_TRAINER_ENTRY: join(root, 'test/support/fake-trainer.ts'),
      PROXIMA_FAKE_UPDATES: '60',
      PROXIMA_FAKE_DELAY_MS: '250',
      PROXIMA_FAKE_CHECKPOINT_EVERY: '10',
      PROXIMA_LEASE_SECONDS: '5',
    };
    dir = mkdtempSync(join(tmpdir(), 'proxima-e2e-cluster-'));
    const spec = join(dir, 'sweep.yaml');
    writeFileSync(spec, 'name: cluster e2e\nenv: CartPole-v1\npreset: zoo\nseeds: [0, 1]\noverrides:\n  total_timesteps: 6000\n');
    worker = proxima(['worker', '--store', url, '--name', 'machine-a', '--concurrency', '1'], env);
    const sweep = proxima(['sweep', spec, '--store', url], env);
    expect(await sweep.exited, sweep.output()).toBe(0);
    app = await startWebApp({ store: url, env: { PGPASSWORD: server.password } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the worker in the workers panel, alive and training a trial', async () => {
    const row = page.locator('[data-testid="workers"] tr[data-worker="machine-a"]');
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('alive');
    await expect.poll(() => row.locator('[data-col="trials"]').textContent(), { timeout: 30_000 }).toMatch(/1 running \(runs 1\)/);
    expect(await row.textContent()).toMatch(/machine-a.*\d+.*ago/s);
    await screenshot(page, 'cluster-workers-1440x900');
  });

  it('grows the curve of the trial the worker trains in Run detail, without a reload', async () => {
    await page.goto(`${app.url}#view=detail&run=1`);
    const chart = page.locator('[data-testid="run-metric"][data-metric="train/policy_loss"] .chart');
    const lastX = async (): Promise<number> => Number((await chart.getAttribute('data-x-max').catch(() => null)) ?? 0);
    await expect.poll(lastX, { timeout: 30_000 }).toBeGreaterThan(0);
    const first = await lastX();
    await expect.poll(lastX, { timeout: 10_000, interval: 250 }).toBeGreaterThan(first);
    const second = await lastX();
    await expect.poll(lastX, { timeout: 10_000, interval: 250 }).toBeGreaterThan(second);
    expect((await apiCall<{ status: string }[]>(page, 'runs.list', { runIds: [1] }))[0]!.status).toBe('running');
    await screenshot(page, 'cluster-run-detail-live-1440x900');
  });

  it('cancels the running trial from Run detail: the worker stops it within seconds', async () => {
    const asked = Date.now();
    await page.getByTestId('run-actions').getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect.poll(() => page.locator('.badge.cancelled').count(), { timeout: 10_000, interval: 200 }).toBeGreaterThan(0);
    expect(Date.now() - asked).toBeLessThan(8_000);
    expect((await apiCall<{ status: string }[]>(page, 'runs.list', { runIds: [1] }))[0]!.status).toBe('cancelled');
    expect(worker.output()).toMatch(/run 1: cancel requested/);
    // The worker goes on with the next trial.
    await expect.poll(async () => (await apiCall<{ status: string }[]>(page, 'runs.list', { runIds: [2] }))[0]!.status, { timeout: 15_000 }).toBe('running');
    expect(pageErrors).toEqual([]);
  });
});
