/**
 * The bilingual interface end to end in web mode (a real `proxima web` on a fresh database, Debian's Chromium):
 * English by default on an English system; the language switch turns the header, the nav and the Runs view (welcome
 * panel, then the table, sweep card and statuses of a tiny sweep) into Chinese; the choice survives a reload and
 * switching back shows English again; a browser whose language is Chinese starts in Chinese.
 * Screenshots land in test-results/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support';

const unavailable = browserUnavailable();

const TINY = { totalTimesteps: 1024, nSteps: 256, nEnvs: 2, batchSize: 64, evalFreq: 512, evalEpisodes: 1, finalEvalEpisodes: 1 };

/** Calls the API from the page (its cookie carries the token). */
async function call<T>(page: Page, method: string, params: unknown): Promise<T> {
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

/** The view tabs' labels, in order. */
const tabs = (page: Page): Promise<string[]> => page.locator('header nav button').allTextContents();
const htmlLang = (page: Page): Promise<string> => page.evaluate(() => document.documentElement.lang);
const headers = (page: Page): Promise<string[]> => page.locator('[data-testid="runs-table"] thead th').allTextContents();
const languageButton = (page: Page, name: string) => page.getByTestId('language-switch').getByRole('button', { name, exact: true });

describe.skipIf(unavailable)('The interface in English and 简体中文 in web mode', () => {
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
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `i18n-failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    expect(pageErrors).toEqual([]);
  });

  it('starts in English on an English system, and switches the nav and the welcome panel to Chinese', async () => {
    await expect.poll(() => page.getByTestId('welcome').count(), { timeout: 30_000 }).toBe(1);
    expect(await tabs(page)).toEqual(['Runs', 'New sweep', 'Compare', 'Summary', 'Hyperparameters', 'Run detail', 'Replay', 'Learn', 'About']);
    expect(await htmlLang(page)).toBe('en');
    expect(await languageButton(page, 'English').getAttribute('aria-pressed')).toBe('true');

    await languageButton(page, '中文').click();
    await expect.poll(() => tabs(page)).toEqual(['运行', '新建扫描', '比较', '汇总', '超参数', '运行详情', '回放', '学习', '关于']);
    expect(await htmlLang(page)).toBe('zh-CN');
    expect(await page.locator('#runs-title').textContent()).toBe('运行');
    expect(await page.locator('#welcome-title').textContent()).toBe('欢迎使用 Proxima');
    expect(await page.getByTestId('welcome').getByRole('button', { name: '运行演示扫描' }).count()).toBe(1);
    expect(await page.getByTestId('theme-switch').getByRole('button').allTextContents()).toEqual(['跟随系统', '浅色', '深色']);
    await screenshot(page, 'i18n-welcome-zh-CN');
  });

  it('shows the Runs table, the sweep card and the statuses of a sweep in Chinese', async () => {
    await call(page, 'sweeps.launch', { name: 'i18n', env: 'CartPole-v1', preset: 'sb3-defaults', seeds: [0], overrides: TINY });
    await expect.poll(() => page.getByTestId('runs-table').count(), { timeout: 30_000 }).toBe(1);
    expect(await headers(page)).toEqual(expect.arrayContaining(['状态', '扫描', '环境', '方法', '种子', '回报', '步/秒', '已用时间', '进度', '标签']));
    expect(await page.getByRole('group', { name: '扫描' }).getByRole('button', { name: '全部运行' }).count()).toBe(1);
    expect(await page.getByText('已选 0 个', { exact: true }).count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid="runs-table"] .badge').first().textContent(), { timeout: 120_000, interval: 1_000 }).toBe('已完成');
    await expect.poll(() => page.getByTestId('sweep-progress').first().textContent(), { timeout: 30_000 }).toMatch(/^1024 \/ 1024 步 · 100%$/);
    await screenshot(page, 'i18n-runs-zh-CN');
  });

  it('shows the New sweep form in Chinese', async () => {
    await page.locator('header nav').getByRole('button', { name: '新建扫描', exact: true }).click();
    await expect.poll(() => page.locator('#sweep-title').textContent(), { timeout: 15_000 }).toBe('新建扫描 (sweep)');
    await expect.poll(() => page.getByTestId('sweep-form').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('sweep-form').getByRole('button', { name: '启动', exact: true }).count()).toBe(1);
    expect(await page.getByTestId('algorithm-picker').locator('legend').textContent()).toBe('算法');
    expect(await page.getByRole('button', { name: '重置表单' }).count()).toBe(1);
    await screenshot(page, 'i18n-new-sweep-zh-CN');
    // A parse error of the form, worded in Chinese.
    const seeds = page.locator('input[name="seeds"]');
    const typed = await seeds.inputValue();
    await seeds.fill('0, x');
    await expect.poll(() => seeds.locator('xpath=..').getByRole('alert').textContent()).toBe('“x” 不是种子 (seed)：应为非负整数，或 0-4 这样的范围');
    await seeds.fill(typed);
    await expect.poll(() => seeds.locator('xpath=..').getByRole('alert').count()).toBe(0);
    await page.locator('header nav').getByRole('button', { name: '运行', exact: true }).click();
  });

  it('keeps Chinese across a reload, and switching back shows English', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('runs-table').count(), { timeout: 30_000 }).toBe(1);
    expect((await tabs(page))[0]).toBe('运行');
    expect(await htmlLang(page)).toBe('zh-CN');
    expect(await languageButton(page, '中文').getAttribute('aria-pressed')).toBe('true');

    await languageButton(page, 'English').click();
    await expect.poll(() => tabs(page)).toEqual(['Runs', 'New sweep', 'Compare', 'Summary', 'Hyperparameters', 'Run detail', 'Replay', 'Learn', 'About']);
    expect(await htmlLang(page)).toBe('en');
    expect(await headers(page)).toEqual(expect.arrayContaining(['Status', 'Sweep', 'Env', 'Method', 'Seed', 'Return', 'Steps/s', 'Elapsed', 'Progress', 'Tags']));
    expect(await page.locator('[data-testid="runs-table"] .badge').first().textContent()).toBe('completed');
    await page.reload();
    await expect.poll(() => page.getByTestId('runs-table').count(), { timeout: 30_000 }).toBe(1);
    expect((await tabs(page))[0]).toBe('Runs');
  });

  it('starts in Chinese in a browser whose language is Chinese', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    try {
      const zh = await context.newPage();
      zh.on('pageerror', (e) => pageErrors.push(e.message));
      await zh.goto(app.url);
      await expect.poll(() => tabs(zh), { timeout: 30_000 }).toEqual(['运行', '新建扫描', '比较', '汇总', '超参数', '运行详情', '回放', '学习', '关于']);
      expect(await htmlLang(zh)).toBe('zh-CN');
      expect(await zh.getByRole('navigation', { name: '视图' }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
