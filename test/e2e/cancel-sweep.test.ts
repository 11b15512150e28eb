/**
 * Cancelling a sweep from the Runs view asks first (issue 15, item 13): the dialog names the sweep, "Keep running"
 * leaves every trial as it was, and "Cancel sweep" stops them. A real `proxima web` with a sweep launched through the
 * API on a budget far too large to finish during the test.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp, apiCall } from './support';

const unavailable = browserUnavailable();

describe.skipIf(unavailable)('Cancel sweep', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let runIds: number[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
    const launched = await apiCall<{ runIds: number[] }>(page, 'sweeps.launch', {
      name: 'long sweep',
      env: 'CartPole-v1',
      preset: 'sb3-defaults',
      seeds: [0, 1, 2],
      overrides: { totalTimesteps: 5_000_000 },
    });
    runIds = launched.runIds;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('asks before cancelling, keeps the trials on "Keep running", and stops them on "Cancel sweep"', async () => {
    await page.reload();
    const card = page.getByTestId('sweep-card').filter({ hasText: 'long sweep' });
    await card.getByRole('button', { name: 'Cancel', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel sweep' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('long sweep');
    await screenshot(page, 'cancel-sweep-confirm-1440x900');

    await dialog.getByRole('button', { name: 'Keep running' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const kept = await apiCall<{ status: string }[]>(page, 'runs.list', { runIds });
    expect(kept.every((r) => r.status === 'running' || r.status === 'queued')).toBe(true);

    await card.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.getByRole('button', { name: 'Cancel sweep' }).click();
    await expect
      .poll(async () => (await apiCall<{ status: string }[]>(page, 'runs.list', { runIds })).map((r) => r.status), { timeout: 30_000 })
      .toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(pageErrors).toEqual([]);
  });
});
