/**
 * End-to-end support: start `proxima web` as a real process against a fresh database, and drive Debian's Chromium
 * with playwright-core (never `playwright install`). Set PROXIMA_CHROMIUM to use another Chromium binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const chromiumPath = process.env['PROXIMA_CHROMIUM'] ?? '/usr/bin/chromium';
export const screenshotDir = join(root, 'test-results', 'screenshots');

/** Why the browser tests cannot run here, or null when they can. In CI they must run, so this is never a skip there. */
export function browserUnavailable(): string | null {
  if (existsSync(chromiumPath)) return null;
  const message =
    `Chromium not found at ${chromiumPath}: the end-to-end tests need a Chromium browser. ` +
    'Install Debian\'s package (`apt-get install chromium`) or set PROXIMA_CHROMIUM=/path/to/chromium.';
  if (process.env['CI']) throw new Error(message);
  console.warn(`[e2e skipped] ${message}`);
  return message;
}

export interface WebApp {
  url: string;
  dbPath: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `proxima web` on a fresh SQLite file, or with `store` on that store (`--store URL`; `dbPath` is then the URL). */
export async function startWebApp(options: { store?: string; env?: Record<string, string> } = {}): Promise<WebApp> {
  const dir = mkdtempSync(join(tmpdir(), 'proxima-e2e-'));
  const dbPath = options.store ?? join(dir, 'proxima.db');
  const child = spawn(process.execPath, [join(root, 'bin/proxima.mjs'), 'web', '--port', '0', ...(options.store ? ['--store', options.store] : ['--db', dbPath])], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`proxima web printed no URL within 60 s:\n${out}`)), 60_000);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      const match = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`proxima web exited with ${code}:\n${out}`)));
  });
  return {
    url,
    dbPath,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * Picks the sweep called `name` in a sweep `<select>`: its options read "name · #id · date" (sweeps with equal names
 * told apart), so this finds the option by that prefix and fails when none has it.
 */
export async function selectSweep(select: Locator, name: string): Promise<void> {
  const option = select.locator('option', { hasText: `${name} · #` });
  // The list arrives from the backend after the view opens: wait for the option (a busy machine takes seconds).
  await option.first().waitFor({ state: 'attached', timeout: 30_000 }).catch(() => undefined);
  if ((await option.count()) === 0) throw new Error(`no sweep option labelled "${name} · #…" (options: ${(await select.locator('option').allTextContents()).join(' | ')})`);
  await select.selectOption({ label: ((await option.first().textContent()) ?? '').trim() });
}

/** Opens a view by its tab in the header. */
export async function goTo(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
}

/** Calls the API from the page (same origin, same token cookie), as the renderer does; an error answer throws. */
export async function apiCall<T>(page: Page, method: string, params: unknown): Promise<T> {
  const result = await page.evaluate(
    async ([m, p]) => {
      const response = await fetch('/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: m, params: p }) });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
    },
    [method, params] as const,
  );
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/** Sets a New sweep field's mode and, when given, its text (a single value or a grid's comma-separated list). */
export async function setField(page: Page, name: string, mode: 'preset' | 'value' | 'grid', text?: string): Promise<void> {
  const row = page.locator(`[data-field="${name}"]`);
  await row.getByLabel(`${name} mode`).selectOption(mode);
  if (text !== undefined) await row.locator(`#field-${name}`).fill(text);
}
