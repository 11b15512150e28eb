/**
 * GRPO from the GUI, in web mode: the "PPO (critic) vs GRPO (group baseline)" template puts both algorithms in the
 * New sweep form (GRPO's group fields marked GRPO only, PPO's value network PPO only, 10 trials); a tiny GRPO sweep
 * launched from it trains with a real trainer, shows as GRPO in Runs, and offers GRPO's diagnostics in Compare.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp, goTo, setField } from './support';

const unavailable = browserUnavailable();

const picker = (page: Page) => page.getByTestId('algorithm-picker');

describe.skipIf(unavailable)('GRPO in web mode', () => {
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

  it('applies "PPO (critic) vs GRPO (group baseline)": both algorithms\' fields, marked where only one has them, 10 trials', async () => {
    await goTo(page, 'New sweep');
    await page.getByRole('button', { name: 'PPO (critic) vs GRPO (group baseline)' }).click();
    const ticked = (): Promise<string[]> => picker(page).locator('input[name="algorithm"]:checked').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    await expect.poll(ticked).toEqual(['ppo', 'grpo']);
    const only = (name: string) => page.locator(`[data-field="${name}"] [data-testid="field-only"]`);
    expect(await only('groupSize').textContent()).toBe('GRPO only');
    expect(await only('refSyncInterval').textContent()).toBe('GRPO only');
    expect(await only('vfLayers').textContent()).toBe('PPO only');
    expect(await only('klEstimator').textContent()).toBe('PPO only');
    expect(await only('nEpochs').count()).toBe(0);
    // β means a different thing for each: one line per algorithm.
    expect(await page.locator('[data-field="beta"] .doc .line').allTextContents()).toEqual([
      expect.stringMatching(/^PPO: Initial KL penalty/),
      expect.stringMatching(/^GRPO: .*reference policy/),
    ]);
    await expect.poll(() => page.getByTestId('sweep-preview').textContent(), { timeout: 20_000 }).toMatch(/10 trial\(s\) · ETA/);
    await screenshot(page, 'new-sweep-ppo-vs-grpo');
  });

  it('launches a tiny GRPO sweep that trains, shows as GRPO and offers its group diagnostics', async () => {
    await picker(page).getByLabel(/compare several/).uncheck();
    await picker(page).getByRole('radio', { name: 'GRPO', exact: true }).check();
    await page.getByLabel('Name').fill('e2e grpo');
    await page.getByLabel('Seeds').fill('0');
    for (const [name, value] of Object.entries({ totalTimesteps: '1500', groupSize: '4', groupsPerUpdate: '2', evalFreq: '0', finalEvalEpisodes: '2' })) {
      await setField(page, name, 'value', value);
    }
    await expect.poll(() => page.getByTestId('sweep-preview').textContent(), { timeout: 20_000 }).toMatch(/1 trial\(s\) · ETA/);
    expect(await page.locator('[data-field] .message').count()).toBe(0);
    await page.getByRole('button', { name: 'Launch' }).click();

    const rows = page.locator('[data-testid="runs-table"] tbody tr[data-run-id]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.locator('tr[data-status="completed"]').count(), { timeout: 300_000, interval: 1_000 }).toBe(1);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.children[5]?.textContent?.trim()))).toEqual(['GRPO']);
    await screenshot(page, 'runs-grpo');

    await page.getByLabel('select all runs').check();
    await page.getByRole('button', { name: 'Compare', exact: true }).last().click();
    await page.getByRole('button', { name: 'GRPO diagnostics' }).click();
    const panel = page.locator('[data-testid="chart-panel"][data-metric="train/zero_spread_fraction"]');
    await expect.poll(() => panel.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="chart-panel"][data-metric="train/ref_kl"]').getAttribute('data-groups'), { timeout: 30_000 }).toBe('1');
    await screenshot(page, 'compare-grpo');
    expect(pageErrors).toEqual([]);
  });
});
