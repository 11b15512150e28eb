/**
 * The views in 简体中文 end to end in web mode (a real `proxima web` on a fresh database, Debian's Chromium), seeded
 * through the product's own bundle import with a small completed sweep (clip vs kl-adaptive × 2 seeds, evaluation
 * curves, final evaluations): after switching the language, Summary, Hyperparameters, Replay, Run detail, About and
 * Compare speak Chinese — headings, table headers, controls, the chart's x-axis title in its exported SVG — and a date
 * and a number are written as Chinese writes them. Screenshots land in test-results/screenshots/.
 */
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flattenParams } from '../../src/backend/store/params';
import { parseTrainConfig } from '../../src/core/training/config';
import { PROXIMA_VERSION } from '../../src/core/version';
import { apiCall, browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support';

const unavailable = browserUnavailable();

const OBJECTIVES = ['clip', 'kl-adaptive'];
const SEEDS = [0, 1];
/** Final evaluations above 1,000, so that a grouped number shows in the tables. */
const finalOf = (objective: string, seed: number): number => 1_200 + (objective === 'clip' ? 300 : 0) + seed * 10;
/** When the runs started: a fixed instant, so the date the detail shows can be asserted. */
const STARTED = Date.parse('2026-03-14T09:26:53Z');

function sweepBundle(): unknown {
  const runs = OBJECTIVES.flatMap((objective) => SEEDS.map((seed) => ({ objective, seed })));
  return {
    format: 'proxima-bundle',
    version: 1,
    proximaVersion: PROXIMA_VERSION,
    exportedAt: STARTED + 60_000,
    sweeps: [
      {
        id: 1, name: 'e2e i18n', envId: 'CartPole-v1', status: 'completed', createdAt: STARTED - 10_000,
        spec: { name: 'e2e i18n', env: 'CartPole-v1', preset: 'sb3-defaults', grid: { objective: OBJECTIVES }, seeds: SEEDS },
      },
    ],
    runs: runs.map(({ objective, seed }, i) => {
      const config = parseTrainConfig({ envId: 'CartPole-v1', seed, objective, totalTimesteps: 2_048 });
      return {
        id: i + 1, sweepId: 1, envId: 'CartPole-v1', seed, objective, status: 'completed', error: null, backend: 'cpu', proximaVersion: PROXIMA_VERSION,
        config, createdAt: STARTED - 5_000 + i, startedAt: STARTED, finishedAt: STARTED + 185_000, totalTimesteps: 2_048, stepsDone: 2_048,
        finalEval: { mean: finalOf(objective, seed), std: 1, episodes: 2 }, tags: [], notes: '', hidden: false,
        params: flattenParams(config), explicitParams: ['objective'],
      };
    }),
    checkpoints: [],
    replays: [],
    metrics: runs.flatMap(({ objective, seed }, i) => {
      const steps = [512, 1_024, 1_536, 2_048];
      const final = finalOf(objective, seed);
      return [
        {
          runId: i + 1, key: 'eval/mean_return', steps, seqs: steps.map(() => 0),
          values: steps.map((_, p) => (final * (p + 1)) / 4), wallTimes: steps.map((_, p) => STARTED + p * 1_000),
        },
      ];
    }),
  };
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: '视图' }).getByRole('button', { name, exact: true });
const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).first().textContent()) ?? '').trim();

describe.skipIf(unavailable)('The views in 简体中文 in web mode', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true, timezoneId: 'UTC' });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
    await page.getByTestId('welcome').waitFor({ timeout: 30_000 });
    await apiCall(page, 'import.bundle', { bundle: sweepBundle() });
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `i18n-views-failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    expect(pageErrors).toEqual([]);
  });

  it('switches to Chinese', async () => {
    await page.getByTestId('language-switch').getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => page.locator('#runs-title').textContent()).toBe('运行');
  });

  it('shows Summary in Chinese, its scores grouped as Chinese groups digits', async () => {
    await nav(page, '汇总').click();
    await expect.poll(() => page.getByTestId('summary-table').count(), { timeout: 30_000 }).toBe(1);
    expect(await text(page, '#summary-title')).toBe('汇总');
    expect(await page.getByTestId('summary-table').locator('thead th').allTextContents()).toEqual([
      '组', '运行数', '均值 ± 标准误', 'IQM（四分位均值）', 'IQM 95% 置信区间（分层自助法 stratified bootstrap）', '得分',
    ]);
    expect(await page.getByRole('heading', { name: '改进概率 (probability of improvement)' }).count()).toBe(1);
    // 1,505 and 1,205 (the IQM of two seeds is their mean): thousands separated, as zh-CN writes them.
    expect(await page.getByTestId('summary-group').locator('td').allTextContents()).toEqual(expect.arrayContaining(['1,505', '1,205']));
    await screenshot(page, 'i18n-summary-zh-CN');
  });

  it('shows Hyperparameters in Chinese', async () => {
    await nav(page, '超参数').click();
    await expect.poll(() => page.getByTestId('hparams-table').count(), { timeout: 30_000 }).toBe(1);
    expect(await text(page, '#hparams-title')).toBe('超参数');
    expect(await page.getByRole('group', { name: '每行一个' }).getByRole('button').allTextContents()).toEqual(['组', '运行']);
    expect(await page.getByRole('button', { name: '在“比较”中打开' }).count()).toBe(1);
    expect(await page.getByTestId('hparams-selected').textContent()).toBe('已选 0 个运行');
    const headers = await page.getByTestId('hparams-table').locator('thead th').allTextContents();
    expect(headers.map((h) => h.trim())).toEqual(expect.arrayContaining(['组', '最终值', '最优值', 'IQM', '运行数']));
    await screenshot(page, 'i18n-hparams-zh-CN');
  });

  it('shows Compare in Chinese, the x-axis title of an exported chart included', async () => {
    await nav(page, '比较').click();
    const panel = page.getByTestId('chart-panel').first();
    await expect.poll(() => panel.getAttribute('data-groups'), { timeout: 30_000 }).toBe('2');
    expect(await text(page, '#compare-title')).toBe('比较');
    expect(await page.getByTestId('zoom-hint').textContent()).toContain('拖动以缩放');
    expect(await page.locator('fieldset legend').allTextContents()).toEqual(['分组依据', '指标', '显示']);
    expect(await panel.locator('canvas').getAttribute('aria-label')).toBe('eval/mean_return 随环境步数的变化，2 组');
    const [svg] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: '将 eval/mean_return 导出为 SVG' }).click()]);
    const svgText = await readDownload(svg);
    const texts = await page.evaluate((source) => [...new DOMParser().parseFromString(source, 'image/svg+xml').querySelectorAll('text')].map((t) => t.textContent ?? ''), svgText);
    // The axis title, the legend (groups and their run counts) and the subtitle, all from the catalogs.
    expect(texts).toEqual(expect.arrayContaining(['环境步数', 'objective=clip（2 个运行）']));
    expect(texts.some((t) => t.includes('4 个运行') && t.includes('平滑'))).toBe(true);
    await screenshot(page, 'i18n-compare-zh-CN');
  });

  it('shows Run detail in Chinese, with a date and a duration written the Chinese way', async () => {
    await nav(page, '运行详情').click();
    expect(await text(page, '#detail-title')).toBe('运行详情');
    await page.getByTestId('run-picker').selectOption({ index: 1 });
    await expect.poll(() => page.getByTestId('run-actions').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('run-actions').getByRole('button').allTextContents()).toEqual(expect.arrayContaining(['作为新运行重新开始', '导出 CSV']));
    expect(await page.getByRole('heading', { name: '标签与备注' }).count()).toBe(1);
    // Started 2026-03-14 09:26:53 UTC (the page's time zone), ran 3 min 5 s; the final eval 1,500 ± 1.
    expect((await page.locator('p', { hasText: '高亮项' }).textContent())?.trim()).toBe('高亮项：由扫描设定或被覆盖。开始于 2026年3月14日 09:26:53；用时 3分05秒。');
    expect(await page.locator('span', { hasText: /^最终评估/ }).textContent()).toMatch(/^最终评估 1,[25]\d0 ± 1（2 个回合）$/);
    await screenshot(page, 'i18n-detail-zh-CN');
  });

  it('shows Replay in Chinese', async () => {
    await nav(page, '回放').click();
    expect(await text(page, '#replay-title')).toBe('回放');
    expect(await page.getByRole('group', { name: '回放来源' }).getByRole('button').allTextContents()).toEqual(['策略（实时）', '录像']);
    await expect.poll(() => page.getByText('选择一个运行及其检查点，观看它的策略运行。').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('live-replay').locator('label').first().textContent()).toContain('运行');
    await page.getByRole('button', { name: '录像', exact: true }).click();
    expect(await page.getByTestId('recorded-replay').getByRole('heading').textContent()).toBe('已录制的回放');
    await screenshot(page, 'i18n-replay-zh-CN');
  });

  it('shows About in Chinese', async () => {
    await nav(page, '关于').click();
    expect(await text(page, '#about-title')).toBe('关于 Proxima');
    await expect.poll(() => page.getByTestId('about-backend').textContent(), { timeout: 60_000 }).toMatch(/^(wasm|cpu|tfjs-node)$/);
    const terms = await page.locator('.about dt').allTextContents();
    expect(terms).toEqual(expect.arrayContaining(['版本', '运行的训练后端', '新训练进程的默认后端', '数据库', '宿主']));
    // The imported runs trained on cpu: 4 of them.
    expect(await page.getByTestId('about-run-backends').textContent()).toBe('cpu（4 个运行）');
    await screenshot(page, 'i18n-about-zh-CN');
  });
});

/** A download's text. */
async function readDownload(download: Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
