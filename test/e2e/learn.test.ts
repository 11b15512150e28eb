/**
 * The Learn view's data figures end to end in web mode (a real `proxima web`, real trainers, Debian's Chromium): on a
 * fresh database each figure shows its empty state, and one launches its template sweep; then on tiny runs made here
 * (PPO clip, PPO kl-adaptive, TRPO) the clipped objective, the ratios across epochs, the adaptive penalty and the
 * trust regions draw ink and show their numbers, the ε slider redraws the objective, a Compare chart links to its
 * figure, and the texts switch to 简体中文. Screenshots of each figure in both languages: test-results/screenshots/
 * learn-<figure>-<en|zh-CN>.png (copied to docs/screenshots/).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, browserUnavailable, goTo, launchBrowser, screenshot, startWebApp, type WebApp } from './support';

const unavailable = browserUnavailable();

/** 16 updates of 256 steps: enough for β to move and for the histograms to have a few updates to choose from. */
const TINY = { totalTimesteps: 4096, nSteps: 128, nEnvs: 2, batchSize: 64, evalFreq: 0, finalEvalEpisodes: 1 };
const FIGURES = ['clip', 'epochs', 'beta', 'trust'] as const;

/** Opens a figure's tab in the Learn view. */
async function openFigure(page: Page, figure: string): Promise<void> {
  await page.locator(`[role="tab"][data-figure="${figure}"]`).click();
  await page.getByTestId(`learn-${figure}`).waitFor();
}

/** Non-background pixels of a canvas (inside `selector`): > 0 when the chart drew something. */
async function ink(page: Page, selector: string): Promise<number> {
  return page.locator(`${selector} canvas`).first().evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}

/** A hash of a canvas's pixels: changes when the chart is drawn differently. */
async function pixels(page: Page, selector: string): Promise<string> {
  return page.locator(`${selector} canvas`).first().evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL());
}

describe.skipIf(unavailable)('Learn figures in web mode', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `learn-failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    expect(pageErrors).toEqual([]);
  });

  it('shows each figure\'s empty state on a fresh database, and launches the template sweep it offers', async () => {
    await goTo(page, 'Learn');
    for (const figure of FIGURES) {
      await openFigure(page, figure);
      const empty = page.locator(`[data-testid="learn-empty"][data-figure="${figure}"]`);
      await expect.poll(() => empty.count(), { timeout: 10_000 }).toBe(1);
      expect(await empty.textContent()).toMatch(/This figure needs a .*run/);
      expect(await empty.getByRole('button', { name: /^Train the “/ }).count()).toBe(1);
    }
    // The trust-region figure's sweep: the PPO vs A2C vs TRPO template cut to PPO and TRPO, one seed, 20,480 steps.
    await page.getByTestId('learn-trust').getByRole('button', { name: /^Train the “PPO vs A2C vs TRPO”/ }).click();
    // The note stays until the runs are listed; once they start the figure leaves its empty state and shows them
    // (on a loaded machine that can come first), so either ends this wait.
    const launched = page.getByTestId('learn-launched');
    const emptyTrust = page.locator('[data-testid="learn-empty"][data-figure="trust"]');
    await expect.poll(async () => (await launched.count()) + (await emptyTrust.count() === 0 ? 1 : 0), { timeout: 10_000 }).toBeGreaterThan(0);
    const note = await launched.textContent({ timeout: 1_000 }).catch(() => null);
    if (note !== null) expect(note).toMatch(/Sweep #\d+ launched \(2 runs\)/);
    const sweeps = await apiCall<{ id: number; spec: { grid: Record<string, unknown>; seeds: number[]; overrides: Record<string, unknown> } }[]>(page, 'sweeps.list', {});
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]!.spec.grid['algorithm']).toEqual(['ppo', 'trpo']);
    expect(sweeps[0]!.spec.seeds).toEqual([0]);
    expect(sweeps[0]!.spec.overrides['totalTimesteps']).toBe(20_480);
    // Not needed here: the tiny runs below are what the figures show.
    await apiCall(page, 'sweeps.cancel', { sweepId: sweeps[0]!.id });
    const runs = await apiCall<{ id: number }[]>(page, 'runs.list', { sweepId: sweeps[0]!.id });
    await apiCall(page, 'runs.delete', { runIds: runs.map((r) => r.id) });
  });

  it('trains tiny PPO clip, kl-adaptive and TRPO runs', async () => {
    // Should the test above have stopped before cancelling its template sweep, its runs would hold the queue.
    for (const sweep of await apiCall<{ id: number }[]>(page, 'sweeps.list', {})) {
      await apiCall(page, 'sweeps.cancel', { sweepId: sweep.id }).catch(() => undefined);
      const runs = await apiCall<{ id: number }[]>(page, 'runs.list', { sweepId: sweep.id });
      if (runs.length > 0) await apiCall(page, 'runs.delete', { runIds: runs.map((r) => r.id) }).catch(() => undefined);
    }
    await apiCall(page, 'sweeps.launch', { name: 'learn ppo', env: 'CartPole-v1', preset: 'sb3-defaults', grid: { objective: ['clip', 'kl-adaptive'] }, seeds: [0], overrides: TINY });
    await apiCall(page, 'sweeps.launch', { name: 'learn trpo', env: 'CartPole-v1', preset: 'sb3-defaults', seeds: [0], overrides: { ...TINY, algorithm: 'trpo' } });
    await expect
      .poll(async () => (await apiCall<{ status: string }[]>(page, 'runs.list', {})).map((r) => r.status), { timeout: 300_000, interval: 1_000 })
      .toEqual(['completed', 'completed', 'completed']);
  });

  it('draws the clipped objective with the ratio histogram of an update, and redraws when ε moves', async () => {
    await page.reload();
    await goTo(page, 'Learn');
    await openFigure(page, 'clip');
    const figure = page.getByTestId('learn-clip');
    // A PPO clip run is picked first (TRPO's and GRPO's runs are offered too).
    await expect.poll(() => figure.getByTestId('clip-fraction').count(), { timeout: 20_000 }).toBe(1);
    expect(await ink(page, '[data-testid="clip-chart-positive"]')).toBeGreaterThan(1_000);
    expect(await ink(page, '[data-testid="clip-chart-negative"]')).toBeGreaterThan(1_000);
    expect(await figure.getByTestId('update-shown').textContent()).toMatch(/^16 of 16 \(step 4,096\)$/);
    expect(await figure.getByTestId('clip-fraction').textContent()).toMatch(/At ε = 0\.2, [\d.]+% of this update's samples lie outside/);

    // The clip run trained with ε = 0.2; a wider ε clips fewer of its samples and moves the flat region.
    const clipRun = (await apiCall<{ id: number; objective: string; algorithm: string }[]>(page, 'runs.list', {})).find((r) => r.algorithm === 'ppo' && r.objective === 'clip')!;
    await figure.getByTestId('run-picker').selectOption(String(clipRun.id));
    await expect.poll(() => figure.getByTestId('eps-value').textContent()).toBe('0.2');
    await expect.poll(() => figure.getByTestId('clip-fraction').getAttribute('data-total'), { timeout: 10_000 }).not.toBeNull();
    const before = Number(await figure.getByTestId('clip-fraction').getAttribute('data-total'));
    const drawn = await pixels(page, '[data-testid="clip-chart-positive"]');
    await screenshot(page, 'learn-clip-en');
    await figure.getByTestId('eps-slider').fill('0.1');
    await expect.poll(() => figure.getByTestId('eps-value').textContent()).toBe('0.1');
    const after = Number(await figure.getByTestId('clip-fraction').getAttribute('data-total'));
    expect(after).toBeGreaterThanOrEqual(before);
    expect(await figure.getByTestId('clip-fraction').textContent()).toMatch(/At ε = 0\.1,/);
    expect(await pixels(page, '[data-testid="clip-chart-positive"]')).not.toBe(drawn);

    // Another update of the same run.
    await figure.getByTestId('update-picker').fill('0');
    await expect.poll(() => figure.getByTestId('update-shown').textContent()).toMatch(/^1 of 16 \(step 256\)$/);
  });

  it('keeps the chosen run and update when switching figures and across a reload', async () => {
    const runs = await apiCall<{ id: number; objective: string; algorithm: string }[]>(page, 'runs.list', {});
    const trpoRun = runs.find((r) => r.algorithm === 'trpo')!;
    const clip = page.getByTestId('learn-clip');
    await clip.getByTestId('run-picker').selectOption(String(trpoRun.id));
    await expect.poll(() => clip.getByTestId('update-shown').textContent(), { timeout: 10_000 }).toMatch(/^16 of 16/);
    await clip.getByTestId('update-picker').fill('4');
    await expect.poll(() => clip.getByTestId('update-shown').textContent()).toMatch(/^5 of 16 \(step 1,280\)$/);
    const shown = async (): Promise<[string, string | null]> => [await clip.getByTestId('run-picker').inputValue(), await clip.getByTestId('update-shown').textContent()];

    await openFigure(page, 'beta');
    await openFigure(page, 'clip');
    await expect.poll(shown, { timeout: 10_000 }).toEqual([String(trpoRun.id), '5 of 16 (step 1,280)']);
    // The URL carries the choice (and localStorage): a reload shows the same run and update. The URL is rewritten
    // at most every 300 ms (lib/state/url-state.svelte.ts), so it may trail the view for that long.
    await expect.poll(() => decodeURIComponent(new URL(page.url()).hash), { timeout: 5_000 }).toContain(`lruns=clip:${trpoRun.id}&lsteps=clip:1280`);
    await page.reload();
    await page.getByTestId('learn-clip').waitFor();
    await expect.poll(shown, { timeout: 20_000 }).toEqual([String(trpoRun.id), '5 of 16 (step 1,280)']);
    // Another run starts from its latest update.
    const clipRun = runs.find((r) => r.algorithm === 'ppo' && r.objective === 'clip')!;
    await clip.getByTestId('run-picker').selectOption(String(clipRun.id));
    await expect.poll(shown, { timeout: 10_000 }).toEqual([String(clipRun.id), '16 of 16 (step 4,096)']);
  });

  it('draws the ratio quantiles epoch by epoch, with KL and clip fraction per epoch', async () => {
    await openFigure(page, 'epochs');
    const figure = page.getByTestId('learn-epochs');
    // The newest PPO run is picked first (the kl-adaptive one).
    // sb3-defaults: 10 epochs per update.
    await expect.poll(() => figure.locator('[data-testid="epoch-table"] tbody tr').count(), { timeout: 20_000 }).toBe(10);
    expect(await ink(page, '[data-testid="epoch-fan"]')).toBeGreaterThan(1_000);
    expect(await ink(page, '[data-testid="epoch-stats"]')).toBeGreaterThan(1_000);
    // The first epoch starts from the old policy (r = 1); by the last the ratios have spread further and KL has grown.
    const cells = async (epoch: number) => (await figure.locator(`tr[data-epoch="${epoch}"] td`).allTextContents()).map(Number);
    const [first, last] = [await cells(1), await cells(10)];
    expect(last[5]! - last[1]!).toBeGreaterThan(first[5]! - first[1]!);
    expect(last[6]).toBeGreaterThan(first[6]!);
    await screenshot(page, 'learn-epochs-en');
  });

  it('draws β and the KL of a kl-adaptive run on log axes, with the band and each halving and doubling', async () => {
    await openFigure(page, 'beta');
    const summary = page.getByTestId('beta-summary');
    await expect.poll(() => summary.count(), { timeout: 20_000 }).toBe(1);
    expect(await ink(page, '[data-testid="beta-chart"]')).toBeGreaterThan(1_000);
    expect(await summary.textContent()).toMatch(/d_targ = 0\.01: band 0\.00667 … 0\.015\. β halved \d+ and doubled \d+ times; \d+ of 16 updates/);
    const moves = Number(await summary.getAttribute('data-halvings')) + Number(await summary.getAttribute('data-doublings'));
    expect(moves).toBeGreaterThan(0);
    await screenshot(page, 'learn-beta-en');
  });

  it('sets TRPO and PPO side by side: KL against TRPO\'s bound, and the step each took', async () => {
    await openFigure(page, 'trust');
    const summary = page.getByTestId('trust-summary');
    await expect.poll(() => summary.count(), { timeout: 20_000 }).toBe(1);
    expect(await ink(page, '[data-testid="trust-kl"]')).toBeGreaterThan(1_000);
    expect(await ink(page, '[data-testid="trust-step"]')).toBeGreaterThan(1_000);
    expect(await summary.textContent()).toMatch(/^TRPO \(bound 0\.01\): mean KL [\d.e-]+, [\d.]+% of its updates within the bound/);
    // TRPO's line search accepts only steps within its bound.
    expect(Number(await summary.getAttribute('data-trpo-within'))).toBe(1);
    await screenshot(page, 'learn-trust-en');
  });

  it('links a Compare chart of a quantity to the figure that explains it', async () => {
    const ids = (await apiCall<{ id: number }[]>(page, 'runs.list', {})).map((r) => r.id).join(',');
    await page.goto(`${app.url}#view=compare&runs=${ids}&metric=train/beta`);
    const link = page.locator('[data-testid="chart-panel"][data-metric="train/beta"] [data-testid="learn-link"]');
    await expect.poll(() => link.count(), { timeout: 20_000 }).toBe(1);
    expect(await link.textContent()).toBe('Learn: The adaptive KL penalty');
    expect(await page.locator('[data-testid="chart-panel"][data-metric="eval/mean_return"] [data-testid="learn-link"]').count()).toBe(0);
    await link.click();
    await page.getByTestId('learn-beta').waitFor();
    expect(await page.locator('[role="tab"][aria-selected="true"]').getAttribute('data-figure')).toBe('beta');
    await expect.poll(() => page.getByTestId('beta-summary').count(), { timeout: 20_000 }).toBe(1);
  });

  it('shows the figures\' texts in 简体中文', async () => {
    await page.getByTestId('language-switch').getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => page.getByTestId('learn-beta').locator('.explain').textContent()).toMatch(/自适应 KL 惩罚 \(adaptive KL penalty\)/);
    await expect.poll(() => page.getByTestId('beta-summary').textContent()).toMatch(/β 减半 \d+ 次、加倍 \d+ 次/);
    await screenshot(page, 'learn-beta-zh-CN');
    await openFigure(page, 'clip');
    await expect.poll(() => page.getByTestId('learn-clip').locator('.explain').textContent()).toMatch(/概率比 ratio r/);
    await expect.poll(() => page.getByTestId('clip-fraction').textContent(), { timeout: 20_000 }).toMatch(/的样本落在 \[1−ε, 1\+ε\] 之外/);
    await screenshot(page, 'learn-clip-zh-CN');
    await openFigure(page, 'epochs');
    await expect.poll(() => page.getByTestId('epoch-table').locator('th').first().textContent(), { timeout: 20_000 }).toBe('轮次 (epoch)');
    await screenshot(page, 'learn-epochs-zh-CN');
    await openFigure(page, 'trust');
    await expect.poll(() => page.getByTestId('trust-summary').textContent(), { timeout: 20_000 }).toMatch(/^TRPO（上界 0\.01）：平均 KL/);
    await screenshot(page, 'learn-trust-zh-CN');
  });
});
