/**
 * Watching training, first launch, filters on results and the layout, end to end in web mode (a real `proxima web`
 * on a fresh database, real trainer processes, Debian's Chromium): the welcome state of an empty database and its
 * demonstration sweep launching and finishing with evaluation curves of 20+ points; the Runs table's current return,
 * steps/s and elapsed time while runs train and each sweep's progress and ETA; metric terms in the filter and the
 * message for an unknown name; no sideways scrolling at 1024×700; the theme switch surviving a reload; the keyboard
 * shortcuts and their help overlay. Screenshots at 1440×900 and 1024×700 land in test-results/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUDGET, DEMO_SWEEP } from '../../src/core/sweep/demo';
import { formatSteps } from '../../src/renderer/src/lib/format';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp, goTo, apiCall } from './support';

const unavailable = browserUnavailable();

/** The demonstration's budget over its trials, as the sweep's progress shows it. */
const DEMO_TOTAL = formatSteps(DEMO_BUDGET * DEMO_SWEEP.seeds.length * 2);

const rows = (page: Page) => page.locator('[data-testid="runs-table"] tbody tr[data-run-id]');
const bodyColour = (page: Page): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

describe.skipIf(unavailable)('Watching training, first launch, filters and layout in web mode', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(app.url);
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `watch-failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('opens an empty database on a welcome state, and every view says what to do', async () => {
    const welcome = page.getByTestId('welcome');
    await expect.poll(() => welcome.count(), { timeout: 30_000 }).toBe(1);
    expect(await welcome.textContent()).toContain('What you will see');
    expect(await welcome.getByRole('button', { name: 'Run the demonstration sweep' }).count()).toBe(1);
    expect(await page.getByText('No runs match').count()).toBe(0);
    await screenshot(page, 'welcome-1440x900');
    await page.setViewportSize({ width: 1024, height: 700 });
    await screenshot(page, 'welcome-1024x700');
    await page.setViewportSize({ width: 1440, height: 900 });

    await goTo(page, 'Replay');
    await expect.poll(() => page.getByTestId('replay-empty').textContent(), { timeout: 15_000 }).toMatch(/Nothing to replay yet.*Launch a sweep from Runs/s);
    await goTo(page, 'Summary');
    await expect.poll(() => page.getByTestId('summary-empty').textContent(), { timeout: 15_000 }).toMatch(/start the demonstration sweep in Runs/);
    await goTo(page, 'Compare');
    await expect.poll(() => page.getByText(/to compare them/).count(), { timeout: 15_000 }).toBe(1);
    await goTo(page, 'Runs');
  });

  it('switches the theme by hand beside the system default, and keeps the choice across a reload', async () => {
    const themes = page.getByTestId('theme-switch');
    expect(await themes.getByRole('button', { name: 'System' }).getAttribute('aria-pressed')).toBe('true');
    expect(await bodyColour(page)).toBe('rgb(255, 255, 255)');
    await themes.getByRole('button', { name: 'Dark' }).click();
    expect(await bodyColour(page)).toBe('rgb(20, 23, 29)');
    await page.reload();
    await expect.poll(() => page.getByTestId('welcome').count(), { timeout: 30_000 }).toBe(1);
    expect(await bodyColour(page)).toBe('rgb(20, 23, 29)');
    expect(await page.getByTestId('theme-switch').getByRole('button', { name: 'Dark' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'welcome-dark-1440x900');
    // Light by hand wins over a dark system; System follows it again.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('theme-switch').getByRole('button', { name: 'Light' }).click();
    expect(await bodyColour(page)).toBe('rgb(255, 255, 255)');
    await page.getByTestId('theme-switch').getByRole('button', { name: 'System' }).click();
    expect(await bodyColour(page)).toBe('rgb(20, 23, 29)');
    // The system turning light is followed as it happens (a media-query change event).
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => bodyColour(page)).toBe('rgb(255, 255, 255)');
  });

  it('launches the demonstration sweep and shows each run\'s return, steps/s and elapsed time, and the sweep\'s progress, live', async () => {
    const launchedAt = Date.now();
    await page.getByRole('button', { name: 'Run the demonstration sweep' }).click();
    await expect.poll(() => rows(page).count(), { timeout: 30_000 }).toBe(6);
    const card = page.getByTestId('sweep-card');
    // The sweep is named with its id and date, so two demos are told apart.
    expect(await card.getByRole('button').first().textContent()).toMatch(/^\s*Demo: clip vs adaptive KL on CartPole · #1 · \d{1,2} [A-Z][a-z]{2} \d{2}:\d{2}\s*$/);

    // While a run trains: a number in each watched column, elapsed time that moves on, and a sweep ETA.
    const running = page.locator('tr[data-status="running"]').first();
    await expect.poll(() => running.locator('[data-col="return"]').textContent().catch(() => ''), { timeout: 120_000, interval: 200 }).toMatch(/^\s*-?\d/);
    expect(await running.locator('[data-col="fps"]').textContent()).toMatch(/^\s*[\d,]+\s*$/);
    const runId = await running.getAttribute('data-run-id');
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    const elapsed1 = (await row.locator('[data-col="elapsed"]').textContent())?.trim();
    expect(elapsed1).toMatch(/^\d+s$|^\dm \d{2}s$/);
    await expect.poll(() => row.locator('[data-col="elapsed"]').textContent().then((t) => t?.trim()), { timeout: 10_000, interval: 250 }).not.toBe(elapsed1);
    await expect.poll(() => page.getByTestId('sweep-progress').textContent(), { timeout: 60_000, interval: 250 }).toMatch(new RegExp(`^[\\d.]+k? / ${DEMO_TOTAL} steps · \\d+% · ETA (\\d+s|\\dm \\d{2}s)$`));
    await screenshot(page, 'runs-live-1440x900');
    await page.setViewportSize({ width: 1024, height: 700 });
    await screenshot(page, 'runs-live-1024x700');
    await page.setViewportSize({ width: 1440, height: 900 });

    await expect.poll(() => page.locator('tr[data-status="completed"]').count(), { timeout: 840_000, interval: 1_000 }).toBe(6);
    const seconds = (Date.now() - launchedAt) / 1000;
    console.log(`[watch e2e] the demonstration sweep took ${seconds.toFixed(1)} s from the click to 6 completed runs`);
    await expect.poll(() => page.getByTestId('sweep-progress').textContent(), { timeout: 10_000 }).toBe(`${DEMO_TOTAL} / ${DEMO_TOTAL} steps · 100%`);

    // Every run drew an evaluation curve of at least 20 points by default; finished runs show their average pace.
    const ids = await rows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-run-id'))));
    const series = await apiCall<{ runId: number; x: number[] }[]>(page, 'series.get', { runIds: ids, keys: ['eval/mean_return'], maxPoints: 1000 });
    expect(series).toHaveLength(6);
    for (const s of series) expect(s.x.length).toBeGreaterThanOrEqual(20);
    for (const text of await page.locator('[data-col="fps"]').allTextContents()) expect(text.trim()).toMatch(/^[\d,]+$/);
    await screenshot(page, 'runs-demo-done-1440x900');

    // Compare draws both objectives' evaluation curves.
    await card.getByRole('button', { name: 'Compare' }).click();
    const panel = page.locator('[data-testid="chart-panel"][data-metric="eval/mean_return"]');
    await expect.poll(() => panel.getAttribute('data-groups'), { timeout: 30_000 }).toBe('2');
    await screenshot(page, 'compare-demo-1440x900');
    await goTo(page, 'Runs');
  }, 900_000);

  it('filters on results with metric terms, and names an unknown metric or field', async () => {
    await expect.poll(() => rows(page).count(), { timeout: 30_000 }).toBe(6);
    const filter = page.locator('#runs-filter');
    // The exact last evaluations (the table rounds them to 4 digits).
    const evals = (await apiCall<{ evalRollup: number | null }[]>(page, 'runs.list', {})).map((r) => r.evalRollup as number);
    expect(evals.every(Number.isFinite)).toBe(true);
    expect(await page.locator('[data-col="eval"]').count()).toBe(6);
    const best = Math.max(...evals);
    const atBest = evals.filter((v) => v >= best).length;

    await filter.fill(`eval/mean_return>=${best}`);
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(atBest);
    await filter.fill('eval/mean_return>0 objective=clip');
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(3);
    await filter.fill('best(rollout/ep_return)>=9 min(rollout/ep_return)>0');
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(6);

    // "No runs match" only when the filter hides the runs, with a way back.
    await filter.fill('eval/mean_return<0');
    await expect.poll(() => page.getByTestId('runs-empty').textContent(), { timeout: 15_000 }).toMatch(/No runs match the filter “eval\/mean_return<0”/);
    expect(await page.getByTestId('welcome').count()).toBe(0);

    await filter.fill('eval/mean_retrun>400');
    await expect.poll(() => page.getByTestId('runs-error').textContent(), { timeout: 15_000 }).toContain("unknown metric 'eval/mean_retrun' — did you mean eval/mean_return?");
    await filter.fill('gama>0.9');
    await expect.poll(() => page.getByTestId('runs-error').textContent(), { timeout: 15_000 }).toContain("unknown field 'gama' — did you mean gamma?");
    await screenshot(page, 'runs-filter-unknown-1440x900');
    await filter.fill('eval/mean_return<0');
    await page.getByTestId('runs-empty').getByRole('button', { name: 'Show all runs' }).click();
    expect(await filter.inputValue()).toBe('');
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(6);
    await expect.poll(() => page.getByTestId('runs-error').count()).toBe(0);
  });

  it('fits the Runs table in 1024×700 without sideways scrolling, and uses the width at 1440×900', async () => {
    const widths = () =>
      page.evaluate(() => {
        const wrap = document.querySelector('[data-testid="runs-table-wrap"]') as HTMLElement;
        return { scroll: wrap.scrollWidth, client: wrap.clientWidth, page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth, table: (wrap.firstElementChild as HTMLElement).offsetWidth };
      });
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect.poll(() => page.locator('th', { hasText: 'Hyperparameters' }).count(), { timeout: 10_000 }).toBe(1);
    const narrow = await widths();
    expect(narrow.scroll).toBeLessThanOrEqual(narrow.client);
    expect(narrow.page).toBeLessThanOrEqual(narrow.viewport);
    await screenshot(page, 'runs-1024x700');

    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(() => page.locator('th', { hasText: 'Hyperparameters' }).count(), { timeout: 10_000 }).toBe(0);
    const wide = await widths();
    expect(wide.scroll).toBeLessThanOrEqual(wide.client);
    expect(wide.table).toBeGreaterThan(1440 - 2 * 16 - 20);
    await screenshot(page, 'runs-1440x900');
  });

  it('answers the keyboard shortcuts, never while typing, and lists them in a help overlay', async () => {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    const current = () => page.locator('nav[aria-label="Views"] [aria-current="page"]').textContent();
    await page.keyboard.press('n');
    await expect.poll(current).toBe('New sweep');
    await page.keyboard.press('c');
    await expect.poll(current).toBe('Compare');
    await page.keyboard.press('s');
    await expect.poll(current).toBe('Summary');
    await page.keyboard.press('r');
    await expect.poll(current).toBe('Runs');

    // `/` puts the cursor in the filter; letters typed there are text, not shortcuts.
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('runs-filter');
    await page.keyboard.type('nc');
    expect(await page.locator('#runs-filter').inputValue()).toBe('nc');
    expect(await current()).toBe('Runs');
    await page.locator('#runs-filter').fill('');
    await page.locator('#runs-filter').blur();

    const help = page.getByTestId('shortcuts-help');
    expect(await help.isVisible()).toBe(false);
    await page.keyboard.press('?');
    await expect.poll(() => help.isVisible()).toBe(true);
    const listed = await help.locator('tr').allTextContents();
    for (const line of ['nNew sweep', 'cCompare', 'rRuns', '/Filter the runs']) expect(listed.some((t) => t.replace(/\s+/g, '').startsWith(line.replace(/\s+/g, '')))).toBe(true);
    // Shortcuts sleep while the help is open.
    await page.keyboard.press('n');
    expect(await current()).toBe('Runs');
    await screenshot(page, 'shortcuts-help-1440x900');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);
    await page.keyboard.press('n');
    await expect.poll(current).toBe('New sweep');
    await goTo(page, 'Runs');
    expect(pageErrors).toEqual([]);
  });
});
