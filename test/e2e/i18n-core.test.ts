/**
 * The texts core owns, in 简体中文 end to end (a real `proxima web` on a fresh database, Debian's Chromium, a browser
 * whose language is Chinese): the New sweep form shows a config field's meaning, an algorithm's description and the
 * templates from the Chinese catalogs, and a value the backend rejects (gamma 1.5) shows its error in Chinese —
 * worded from the error's code — and in English again once the language is switched; a config's cross-field rule
 * (batchSize must divide nSteps × nEnvs) and the API's not-found error (a run deleted under Run detail) show in
 * Chinese too, worded from their codes.
 * Screenshots land in test-results/screenshots/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support';

const unavailable = browserUnavailable();

const row = (page: Page, name: string) => page.locator(`[data-field="${name}"]`);
const text = (locator: ReturnType<Page['locator']>): Promise<string> => locator.textContent().then((t) => (t ?? '').trim());

describe.skipIf(unavailable)('Core texts (field docs, backend errors) in 简体中文 in web mode', () => {
  let app: WebApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `i18n-core-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
    expect(pageErrors).toEqual([]);
  });

  it('shows the field docs, an algorithm’s description and the templates of the New sweep form in Chinese', async () => {
    await page.locator('header nav').getByRole('button', { name: '新建扫描', exact: true }).click();
    await expect.poll(() => page.getByTestId('sweep-form').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => text(row(page, 'gamma').getByTestId('field-doc')), { timeout: 15_000 }).toBe('折扣因子（discount factor）γ。');
    expect(await text(row(page, 'gaeLambda').getByTestId('field-doc'))).toBe('GAE λ：0 = 单步 TD 优势，1 = 蒙特卡洛（Monte Carlo）优势。');
    // Code spans stay code in the Chinese text.
    expect(await row(page, 'objective').locator('[data-testid="field-doc"] code').allTextContents()).toEqual(['clip', 'kl-adaptive', 'kl-fixed', 'clip+kl', 'none']);
    const ppo = page.getByTestId('algorithm-picker').locator('label.choice').first();
    expect(await ppo.getAttribute('title')).toMatch(/^PPO（近端策略优化/);
    const templates = page.locator('.templates button');
    expect(await templates.allTextContents()).toEqual(expect.arrayContaining(['截断 vs 自适应 KL', '为什么要截断？（截断 vs 不截断的代理目标）']));
    expect(await page.locator('select[name="preset"] option').allTextContents()).toEqual(expect.arrayContaining(['RL Zoo（调优）', 'SB3 默认值']));
    await screenshot(page, 'i18n-core-field-docs-zh-CN');
  });

  it('shows the backend’s error for gamma 1.5 in Chinese, and in English after switching the language', async () => {
    const gamma = row(page, 'gamma');
    await gamma.locator('select').first().selectOption('value');
    await gamma.locator('#field-gamma').fill('1.5');
    await expect.poll(() => text(gamma.locator('.message')), { timeout: 20_000 }).toBe('gamma 必须介于 0 和 1 之间（实际为 1.5）');
    await screenshot(page, 'i18n-core-error-zh-CN');

    await page.getByTestId('language-switch').getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => text(gamma.locator('.message'))).toBe('gamma must be between 0 and 1 (got 1.5)');
    expect(await text(gamma.getByTestId('field-doc'))).toBe('Discount factor γ.');
  });

  it('shows a cross-field rule of the config (batchSize divides nSteps × nEnvs) in Chinese', async () => {
    await page.getByTestId('language-switch').getByRole('button', { name: '中文', exact: true }).click();
    await row(page, 'gamma').locator('select').first().selectOption('preset');
    const batchSize = row(page, 'batchSize');
    await batchSize.locator('select').first().selectOption('value');
    await batchSize.locator('#field-batchSize').fill('60');
    await expect.poll(() => text(batchSize.locator('.message')), { timeout: 20_000 }).toMatch(/^batchSize 60 不能整除 nSteps × nEnvs = \d+$/);
    await screenshot(page, 'i18n-core-cross-field-zh-CN');
  });

  it('shows the API’s not-found error in Chinese: a run deleted while Run detail shows it', async () => {
    // Paused, the queue keeps the run queued: nothing trains in this test.
    await apiCall(page, 'queue.pause', {});
    const { runIds } = await apiCall<{ runIds: number[] }>(page, 'sweeps.launch', { name: 'i18n not found', env: 'CartPole-v1', preset: 'zoo', seeds: [0] });
    const runId = runIds[0] as number;
    await page.goto(`${app.url}#view=detail&run=${runId}`);
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: '保存', exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await apiCall(page, 'runs.delete', { runIds: [runId] });
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').allTextContents(), { timeout: 15_000 }).toContain(`运行 ${runId} 不存在`);
    await screenshot(page, 'i18n-core-not-found-zh-CN');
  });
});
