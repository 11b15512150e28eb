/** The About panel's Store section in web mode started with `--store` on a throwaway PostgreSQL: masked, read-only. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnPostgres } from '../support/postgres';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support';

const unavailable = browserUnavailable();

describeOnPostgres('Store settings in web mode on PostgreSQL', (server) => {
  let app: WebApp | undefined;
  let browser: Browser | undefined;
  let url = '';

  beforeAll(async () => {
    if (unavailable) return;
    const { password, port } = server();
    const db = (await server().createDatabase()).split('/').pop()!;
    // The password in the URL itself: the one form that must never reach the page.
    url = `postgresql://proxima:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
    app = await startWebApp({ store: url, env: { PGPASSWORD: '' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it.skipIf(unavailable)('shows the PostgreSQL store with its password masked, and no control to change it', async () => {
    const page = await browser!.newPage();
    await page.goto(app!.url);
    await page.getByRole('button', { name: 'About' }).click();
    const masked = url.replace(/:[^:@/]+@/, ':***@');
    const current = page.getByTestId('store-current');
    await expect.poll(() => current.textContent(), { timeout: 30_000 }).toBe(masked);
    expect(await current.getAttribute('data-kind')).toBe('postgresql');
    expect(await page.getByTestId('store-readonly').textContent()).toMatch(/--store or --db/);
    expect(await page.getByTestId('store-password-env').textContent()).toMatch(/PGPASSWORD is not set/);
    expect(await page.getByTestId('store-url').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    const { password } = server();
    expect(await page.content()).not.toContain(password);
    await screenshot(page, 'store-settings-postgres');
  });
});
