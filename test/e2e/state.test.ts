/**
 * State that survives, end to end in web mode: Compare's view and settings come back after a reload, in a new
 * browser given the same URL, and in a new tab given the bare URL (localStorage); back/forward move between views;
 * the New sweep form survives a reload; a corrupt or stale URL opens on defaults without errors. Seeded with a
 * tiny real sweep (2 runs of 1024 CartPole steps) launched through the API.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp, goTo, apiCall } from './support';

const unavailable = browserUnavailable();

const TINY = { totalTimesteps: 1024, nSteps: 256, nEnvs: 2, batchSize: 64, evalFreq: 512, evalEpisodes: 1, finalEvalEpisodes: 1 };

const nav = (page: Page) => page.getByRole('navigation', { name: 'Views' });
const currentView = (page: Page): Promise<string | null> => nav(page).locator('[aria-current="page"]').textContent();
const panels = (page: Page): Promise<(string | null)[]> => page.getByTestId('chart-panel').evaluateAll((figures) => figures.map((f) => f.getAttribute('data-metric')));

/** What Compare shows: the run count, the settings' controls and the metrics of its chart panels. */
async function compareShown(page: Page): Promise<Record<string, unknown>> {
  const slider = page.locator('input[type="range"]');
  return {
    view: await currentView(page),
    runs: await page.locator('.source > span').first().textContent(),
    x: await page.getByLabel(/^x\s/).inputValue(),
    band: await page.getByLabel('band').inputValue(),
    smoothing: await slider.inputValue(),
    shownSmoothing: await slider.locator('xpath=following-sibling::output').textContent(),
    logY: await page.getByLabel('log y').isChecked(),
    panels: await panels(page),
  };
}

const EXPECTED = {
  view: 'Compare',
  runs: '2 run(s) selected in Runs',
  x: 'update',
  band: 'minmax',
  smoothing: '0.85',
  shownSmoothing: '0.85',
  logY: true,
  panels: ['eval/mean_return', 'train/approx_kl'],
};

describe.skipIf(unavailable)('State that survives (web mode)', () => {
  let app: WebApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let runIds: number[] = [];
  const pageErrors: string[] = [];
  const watch = (p: Page): Page => (p.on('pageerror', (e) => pageErrors.push(e.message)), p);

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = watch(await context.newPage());
    await page.goto(app.url);
    const launched = await apiCall<{ runIds: number[] }>(page, 'sweeps.launch', {
      name: 'e2e state',
      env: 'CartPole-v1',
      preset: 'sb3-defaults',
      seeds: [0],
      grid: { objective: ['clip', 'kl-adaptive'] },
      overrides: TINY,
    });
    runIds = launched.runIds;
    const deadline = Date.now() + 540_000;
    for (;;) {
      const runs = await apiCall<{ status: string }[]>(page, 'runs.list', { runIds });
      if (runs.every((r) => r.status === 'completed')) break;
      if (runs.some((r) => r.status === 'failed') || Date.now() > deadline) throw new Error(`the seed runs did not complete: ${runs.map((r) => r.status).join(', ')}`);
      await page.waitForTimeout(1_000);
    }
  }, 600_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `failed-state-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows the same Compare view and settings after a reload', async () => {
    await page.reload();
    await goTo(page, 'Runs');
    await expect.poll(() => page.locator('[data-testid="runs-table"] tbody tr[data-run-id]').count(), { timeout: 30_000 }).toBe(2);
    await page.getByLabel('select all runs').check();
    await page.getByRole('button', { name: 'Compare', exact: true }).last().click();
    await expect.poll(() => page.getByTestId('chart-panel').count(), { timeout: 30_000 }).toBe(2);

    await page.getByLabel(/^x\s/).selectOption('update');
    await page.getByLabel('band').selectOption('minmax');
    await page.locator('input[type="range"]').evaluate((input: HTMLInputElement) => {
      input.value = '0.85';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.getByLabel('log y').check();
    await page.getByRole('button', { name: 'remove rollout/ep_return_mean' }).click();
    await page.getByLabel('add a metric').selectOption('train/approx_kl');
    expect(await compareShown(page)).toEqual(EXPECTED);
    // Settings rewrite the current history entry, shortly after the last change; the token stays in the query.
    const selected = [...runIds].sort((a, b) => b - a).join(',');
    await expect
      .poll(() => new URL(page.url()).hash, { timeout: 5_000 })
      .toBe(`#view=compare&runs=${selected}&metric=eval/mean_return&metric=train/approx_kl&x=update&smooth=0.85&band=minmax&logy=1`);
    expect(new URL(page.url()).searchParams.get('token')).toBe(new URL(app.url).searchParams.get('token'));

    await page.reload();
    await expect.poll(() => page.getByTestId('chart-panel').count(), { timeout: 30_000 }).toBe(2);
    expect(await compareShown(page)).toEqual(EXPECTED);
    // What the browser keeps holds the state and never the token.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).toContain('smooth=0.85');
    expect(stored).not.toContain(new URL(app.url).searchParams.get('token') ?? 'no token');
    await screenshot(page, 'state-compare-reloaded');
  });

  it('opens the same view from the copied URL in another browser, and from the bare URL in a new tab', async () => {
    const other = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const linked = watch(await other.newPage());
    await linked.goto(page.url());
    await expect.poll(() => linked.getByTestId('chart-panel').count(), { timeout: 30_000 }).toBe(2);
    expect(await compareShown(linked)).toEqual(EXPECTED);
    await other.close();

    // A restart opens the bare URL: the state comes from localStorage.
    const fresh = watch(await context.newPage());
    await fresh.goto(app.url);
    await expect.poll(() => fresh.getByTestId('chart-panel').count(), { timeout: 30_000 }).toBe(2);
    expect(await compareShown(fresh)).toEqual(EXPECTED);
    expect(new URL(fresh.url()).hash).toBe(new URL(page.url()).hash);
    await fresh.close();
  });

  it('moves back and forward between views, keeping the settings', async () => {
    await goTo(page, 'Runs');
    await goTo(page, 'Compare');
    await page.getByLabel('band').selectOption('ci95');
    await goTo(page, 'Run detail');
    await expect.poll(() => currentView(page)).toBe('Run detail');
    const length = await page.evaluate(() => history.length);

    await page.goBack();
    await expect.poll(() => currentView(page)).toBe('Compare');
    await expect.poll(() => page.getByTestId('chart-panel').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByLabel('band').inputValue()).toBe('ci95');
    await page.goBack();
    await expect.poll(() => currentView(page)).toBe('Runs');
    // The Runs entry was written with band=minmax; going back to it did not undo the later change.
    await expect.poll(() => new URL(page.url()).hash).toContain('band=ci95');
    await page.goForward();
    await expect.poll(() => currentView(page)).toBe('Compare');
    expect(await page.getByLabel('band').inputValue()).toBe('ci95');
    // Changing a setting added no history entry.
    expect(await page.evaluate(() => history.length)).toBe(length);

    // A dragged slider (60 input events in a burst) rewrites the entry a few times, ending on the last value.
    const { rewrites, elapsed } = await page.locator('input[type="range"]').evaluate(async (input: HTMLInputElement) => {
      const started = performance.now();
      let count = 0;
      const replace = history.replaceState.bind(history);
      history.replaceState = (...args: Parameters<History['replaceState']>) => (count++, replace(...args));
      for (let i = 0; i < 60; i++) {
        input.value = String(0.3 + i / 100);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const elapsed = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 700));
      return { rewrites: count, elapsed };
    });
    // At most one rewrite per 300 ms, plus the first and the last (without throttling there would be 60).
    expect(rewrites).toBeGreaterThan(0);
    expect(rewrites).toBeLessThanOrEqual(Math.ceil(elapsed / 300) + 2);
    expect(rewrites).toBeLessThan(20);
    expect(new URL(page.url()).hash).toContain('smooth=0.89');
    expect(await page.evaluate(() => history.length)).toBe(length);
    await page.locator('input[type="range"]').evaluate((input: HTMLInputElement) => {
      input.value = '0.85';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  });

  it('keeps the New sweep form across a reload, in the URL while it is open', async () => {
    await goTo(page, 'New sweep');
    await expect.poll(() => page.getByTestId('sweep-form').count(), { timeout: 30_000 }).toBe(1);
    await page.getByLabel('Name').fill('a draft that survives');
    await page.getByLabel('Seeds').fill('3, 4');
    const formInUrl = (): unknown => {
      const json = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('form');
      return json ? JSON.parse(json) : null;
    };
    await expect.poll(formInUrl, { timeout: 5_000 }).toMatchObject({ name: 'a draft that survives', seeds: '3, 4' });
    await page.reload();
    await expect.poll(() => page.getByTestId('sweep-form').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByLabel('Name').inputValue()).toBe('a draft that survives');
    expect(await page.getByLabel('Seeds').inputValue()).toBe('3, 4');

    // Elsewhere the URL leaves the form out; localStorage still has it.
    await goTo(page, 'Runs');
    expect(new URL(page.url()).hash).not.toContain('form=');
    await page.reload();
    await goTo(page, 'New sweep');
    await expect.poll(() => page.getByLabel('Name').inputValue(), { timeout: 30_000 }).toBe('a draft that survives');
  });

  it('opens a corrupt URL on defaults, without errors, and drops runs that no longer exist', async () => {
    const other = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const corrupt = watch(await other.newPage());
    const errorsBefore = pageErrors.length;
    await corrupt.goto(`${app.url}#view=nope&runs=-1,abc,99999&run=0&smooth=NaN&x=epoch&band=%E0%A4%A&zoom=5,1&logy=maybe&form={oops`);
    await expect.poll(() => currentView(corrupt), { timeout: 30_000 }).toBe('Runs');
    await expect.poll(() => new URL(corrupt.url()).hash, { timeout: 10_000 }).toBe('#view=runs');
    await goTo(corrupt, 'Compare');
    // No selection left: Compare falls back to the newest sweep, with the default settings.
    await expect.poll(() => corrupt.getByTestId('chart-panel').count(), { timeout: 30_000 }).toBe(2);
    expect(await compareShown(corrupt)).toEqual({
      view: 'Compare',
      runs: '2 run(s)',
      x: 'step',
      band: 'std',
      smoothing: '0.6',
      shownSmoothing: '0.60',
      logY: false,
      panels: ['eval/mean_return', 'rollout/ep_return_mean'],
    });

    // A link to runs deleted since: the ones that exist are shown, the others dropped quietly.
    await corrupt.goto(`${app.url}#view=compare&runs=${runIds.join(',')},99999`);
    await expect.poll(() => corrupt.locator('.source > span').first().textContent(), { timeout: 30_000 }).toBe('2 run(s) selected in Runs');
    await expect.poll(() => new URL(corrupt.url()).hash).toBe(`#view=compare&runs=${runIds.join(',')}`);
    await corrupt.goto(`${app.url}#view=detail&run=99999`);
    await expect.poll(() => corrupt.getByText('Open a run from the Runs table, or pick one above.').count(), { timeout: 30_000 }).toBe(1);
    expect(await corrupt.getByRole('alert').count()).toBe(0);
    expect(pageErrors.slice(errorsBefore)).toEqual([]);
    await other.close();
  });

  it('compares only the runs that still exist after some of the selection is deleted', async () => {
    await goTo(page, 'Runs');
    await page.getByLabel('select all runs').check();
    await page.getByRole('button', { name: 'Compare', exact: true }).last().click();
    await expect.poll(() => page.locator('.source > span').first().textContent(), { timeout: 30_000 }).toBe('2 run(s) selected in Runs');
    await apiCall(page, 'runs.delete', { runIds: [runIds[1]] });
    await goTo(page, 'Summary');
    await goTo(page, 'Compare');
    await expect.poll(() => page.locator('.source > span').first().textContent(), { timeout: 30_000 }).toBe('1 run(s) selected in Runs');
    expect(await page.getByTestId('compare-error').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
