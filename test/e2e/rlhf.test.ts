/**
 * A reward learned from preferences from the GUI, in web mode: the "True reward vs learned from 2,000 preferences"
 * template fills the New sweep form (rewardSource env vs preferences, 10 trials); a tiny version launched from it
 * trains both runs with real trainers, and Compare draws the true (environment) return of both groups.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, goTo, launchBrowser, screenshot, setField, startWebApp, type WebApp } from './support';

const unavailable = browserUnavailable();

describe.skipIf(unavailable)('true reward vs learned from preferences in web mode', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('applies the template: rewardSource env vs preferences on the RL Zoo preset, 10 trials', async () => {
    await goTo(page, 'New sweep');
    await page.getByRole('button', { name: 'True reward vs learned from 2,000 preferences' }).click();
    const row = page.locator('[data-field="rewardSource"]');
    expect(await row.getByLabel('rewardSource mode').inputValue()).toBe('grid');
    expect(await row.locator('#field-rewardSource').inputValue()).toMatch(/^env,\s*preferences$/);
    expect(await page.locator('[data-field="preferenceLabelBudget"] #field-preferenceLabelBudget').inputValue()).toBe('2000');
    await expect.poll(() => page.getByTestId('sweep-preview').textContent(), { timeout: 20_000 }).toMatch(/10 trial\(s\) · ETA/);
    await screenshot(page, 'new-sweep-true-vs-learned-reward');
  });

  it('launches a tiny version whose runs complete, and Compare shows the true return of both groups', async () => {
    await page.getByLabel('Name').fill('e2e rlhf');
    await page.getByLabel('Seeds').fill('0');
    for (const [name, value] of Object.entries({ totalTimesteps: '2048', evalFreq: '1024', evalEpisodes: '2', finalEvalEpisodes: '2' })) {
      await setField(page, name, 'value', value);
    }
    await expect.poll(() => page.getByTestId('sweep-preview').textContent(), { timeout: 20_000 }).toMatch(/2 trial\(s\) · ETA/);
    expect(await page.locator('[data-field] .message').count()).toBe(0);
    await page.getByRole('button', { name: 'Launch' }).click();

    const rows = page.locator('[data-testid="runs-table"] tbody tr[data-run-id]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.locator('tr[data-status="completed"]').count(), { timeout: 300_000, interval: 1_000 }).toBe(2);
    await screenshot(page, 'runs-true-vs-learned-reward');

    await page.getByLabel('select all runs').check();
    await page.getByRole('button', { name: 'Compare', exact: true }).last().click();
    // The default grouping (every field that differs but the seed) is rewardSource.
    const field = page.getByRole('checkbox', { name: 'rewardSource' });
    await expect.poll(() => field.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => field.isChecked(), { timeout: 30_000 }).toBe(true);
    // The logged returns are the environment's in both groups: the learned reward only drives the updates.
    for (const metric of ['eval/mean_return', 'rollout/ep_return_mean']) {
      const panel = page.locator(`[data-testid="chart-panel"][data-metric="${metric}"]`);
      await expect.poll(() => panel.getAttribute('data-groups'), { timeout: 30_000 }).toBe('2');
      const legend = await panel.getByRole('list').getByRole('button').allTextContents();
      expect(legend.map((t) => t.replace(/\s*\(.*$/, '').trim()).sort()).toEqual(['rewardSource=env', 'rewardSource=preferences']);
    }
    await screenshot(page, 'compare-true-vs-learned-reward');
    expect(pageErrors).toEqual([]);
  });
});
