import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXIMA_VERSION } from '../../src/core/version';
import { nativeInstalled } from '../support/backends';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support';

const unavailable = browserUnavailable();

describe.skipIf(unavailable)('About panel in web mode', () => {
  let app: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows the version, the backend a real trainer reported, and the database path', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
    await page.getByRole('button', { name: 'About' }).click();
    await expect.poll(() => page.getByTestId('about-backend').textContent(), { timeout: 60_000 }).toMatch(/^(wasm|cpu|tfjs-node)$/);
    expect(await page.getByTestId('about-version').textContent()).toBe(PROXIMA_VERSION);
    expect(await page.getByTestId('about-db').textContent()).toBe(app.dbPath);
    expect(await page.getByTestId('about-host').textContent()).toBe('web');
    // A fresh database: no run has trained yet, so none is claimed to have used a backend.
    expect((await page.getByTestId('about-run-backends').textContent())?.trim()).toBe('no runs yet');
    // Every backend the trainer checked, with what it found: tfjs-node passes where it is installed.
    const checks = page.getByTestId('about-backend-checks').locator('li');
    expect(await checks.evaluateAll((items) => items.map((li) => `${li.getAttribute('data-backend')} ${li.getAttribute('data-status')}`))).toEqual([
      `tfjs-node ${nativeInstalled ? 'ok' : 'absent'}`,
      'wasm ok',
      'cpu ok',
    ]);
    expect(await checks.first().textContent()).toMatch(nativeInstalled ? /tfjs-node: ok, [\d.]+ ms per forward \+ backward/ : /tfjs-node: not installed/);
    await screenshot(page, 'about');
    expect(pageErrors).toEqual([]);
  });

  it('works the same through a preload-shaped bridge (the Electron transport of the renderer)', async () => {
    const page = await browser.newPage();
    // Stand-in for src/preload: `window.proxima.call` resolving to ApiResult, as ipcRenderer.invoke does in the app.
    await page.addInitScript(() => {
      const w = window as unknown as { proxima: unknown; bridgeCalls: string[] };
      w.bridgeCalls = [];
      w.proxima = {
        call: async (method: string, params: unknown) => {
          w.bridgeCalls.push(method);
          const response = await fetch('/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method, params }) });
          return response.json();
        },
        subscribe: () => () => undefined,
      };
    });
    await page.goto(app.url);
    await page.getByRole('button', { name: 'About' }).click();
    await expect.poll(() => page.getByTestId('about-backend').textContent(), { timeout: 60_000 }).toMatch(/^(wasm|cpu|tfjs-node)$/);
    expect(await page.evaluate(() => (window as unknown as { bridgeCalls: string[] }).bridgeCalls)).toContain('app.about');
  });

  it('refuses the page without the token', async () => {
    const page = await browser.newPage();
    const response = await page.goto(app.url.replace(/\?token=.*/, ''));
    expect(response?.status()).toBe(401);
  });
});
