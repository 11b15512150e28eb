/**
 * The Learn view's episode figures end to end in web mode (a real `proxima web` on a fresh database, Debian's
 * Chromium): before any recording both figures say what they need and offer Replay; after a tiny CartPole-v1 run and an
 * episode recorded through the API, figure 4 (GAE) draws the advantages and lists them, and moving λ changes both;
 * figure 5 (entropy and temperature) draws the action probabilities at a state with their entropy, and the temperature
 * slider moves the entropy the way the maths says; both read in Chinese after switching the language. Replay's
 * temperature control sends its temperature with each step and the frames record it.
 * Screenshots land in test-results/screenshots/ (learn-gae-<locale>, learn-temperature-<locale>).
 */
import type { Locator, Page, Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayFrame, RunSummary, SavedReplay } from '../../src/core/api/contract';
import { apiCall, browserUnavailable, goTo, launchBrowser, screenshot, startWebApp, type WebApp } from './support';

const unavailable = browserUnavailable();

/** RL Zoo's CartPole-v1 for 12k steps (about 10 s): a policy sure enough of itself that temperature visibly reshapes it. */
const SMALL = { totalTimesteps: 12_288, evalFreq: 0, finalEvalEpisodes: 1, backend: 'wasm' };

/** Pixels of a canvas that are not transparent (Chart.js draws on a transparent canvas). */
const inked = (canvas: Locator): Promise<number> =>
  canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  });
const picture = (canvas: Locator): Promise<string> => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());

/** Sets a range input as a user dragging it would (Svelte's bind:value listens to `input`). */
async function slide(slider: Locator, value: number): Promise<void> {
  await slider.evaluate((input: HTMLInputElement, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

const openFigure = async (page: Page, figure: 'gae' | 'temperature'): Promise<void> => {
  await page.locator(`[data-figure="${figure}"]`).click();
  await expect.poll(() => page.getByTestId(`learn-${figure}`).count(), { timeout: 15_000 }).toBe(1);
};
const number = async (locator: Locator): Promise<number> => Number(((await locator.textContent()) ?? '').replaceAll(',', ''));

describe.skipIf(unavailable)('Learn: GAE and temperature on a recorded episode, in web mode', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let runId: number;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
    await page.getByTestId('welcome').waitFor({ timeout: 30_000 });
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `learn-episode-failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    expect(pageErrors).toEqual([]);
  });

  it('says a figure needs a saved Replay recording, and offers Replay', async () => {
    await goTo(page, 'Learn');
    await openFigure(page, 'gae');
    const empty = page.getByTestId('learn-gae').getByTestId('learn-episode-empty');
    await expect.poll(() => empty.count(), { timeout: 15_000 }).toBe(1);
    expect(await empty.textContent()).toContain('needs a saved Replay recording');
    expect(await empty.getByRole('button', { name: 'Launch a tiny CartPole run to record' }).count()).toBe(1);
    await openFigure(page, 'temperature');
    await expect.poll(() => page.getByTestId('learn-temperature').getByTestId('learn-episode-empty').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('learn-temperature').getByRole('button', { name: 'Go to Replay' }).click();
    await expect.poll(() => page.locator('#replay-title').count()).toBe(1);
  });

  it('records an episode of a tiny run through the API', async () => {
    const { runIds } = await apiCall<{ runIds: number[] }>(page, 'sweeps.launch', { name: 'learn episode', env: 'CartPole-v1', preset: 'zoo', seeds: [0], overrides: SMALL });
    runId = runIds[0]!;
    await expect
      .poll(async () => (await apiCall<RunSummary[]>(page, 'runs.list', { runIds: [runId] }))[0]?.status, { timeout: 180_000, interval: 1_000 })
      .toBe('completed');
    const { sessionId } = await apiCall<{ sessionId: string }>(page, 'replay.open', { runId });
    let frame = await apiCall<ReplayFrame>(page, 'replay.reset', { sessionId, seed: 1 });
    const frames = [frame];
    while (!frame.terminated && !frame.truncated) frames.push((frame = await apiCall<ReplayFrame>(page, 'replay.step', { sessionId, deterministic: false, temperature: 1 })));
    const saved = await apiCall<SavedReplay>(page, 'replays.save', { sessionId, name: 'e2e episode' });
    await apiCall(page, 'replay.close', { sessionId });
    expect(saved.length).toBe(frames.length - 1);
    expect(saved.length).toBeGreaterThan(5);
    expect(frames.slice(1).every((f) => f.temperature === 1)).toBe(true);
  });

  it('draws GAE advantages on the recording, and moving λ changes the curve and the values', async () => {
    await goTo(page, 'Learn');
    await openFigure(page, 'gae');
    const figure = page.getByTestId('learn-gae');
    await expect.poll(() => figure.getByTestId('gae-chart').count(), { timeout: 30_000 }).toBe(1);
    const canvas = figure.getByTestId('gae-chart');
    await expect.poll(() => inked(canvas), { timeout: 10_000 }).toBeGreaterThan(2_000);
    expect(await figure.getByTestId('learn-recording').locator('option:checked').textContent()).toContain('e2e episode');
    // The run's γ (zoo CartPole: 0.98) and PPO's usual λ.
    expect(await figure.getByTestId('gae-gamma-value').textContent()).toBe('0.98');
    expect(await figure.getByTestId('gae-lambda-value').textContent()).toBe('0.95');
    const gae = figure.getByTestId('gae-first-gae');
    const td0 = await number(figure.getByTestId('gae-first-td0'));
    const mc = await number(figure.getByTestId('gae-first-mc'));
    const before = await number(gae);
    const drawn = await picture(canvas);
    expect(Number.isFinite(before) && Number.isFinite(td0) && Number.isFinite(mc)).toBe(true);
    await screenshot(page, 'learn-gae-en');

    await slide(figure.getByTestId('gae-lambda'), 0);
    await expect.poll(() => figure.getByTestId('gae-lambda-value').textContent()).toBe('0');
    // λ = 0 is TD(0): the GAE row reads as the TD(0) reference, and the chart is redrawn.
    await expect.poll(() => number(gae)).toBe(td0);
    await expect.poll(() => picture(canvas)).not.toBe(drawn);
    await slide(figure.getByTestId('gae-lambda'), 1);
    await expect.poll(() => number(gae)).toBe(mc);
    await slide(figure.getByTestId('gae-lambda'), 0.95);
    await expect.poll(() => number(gae)).toBe(before);
  });

  it('draws the action distribution at a state, and the temperature moves its entropy', async () => {
    await openFigure(page, 'temperature');
    const figure = page.getByTestId('learn-temperature');
    await expect.poll(() => figure.getByTestId('temperature-chart').count(), { timeout: 30_000 }).toBe(1);
    const canvas = figure.getByTestId('temperature-chart');
    await expect.poll(() => inked(canvas), { timeout: 10_000 }).toBeGreaterThan(2_000);
    const entropy = figure.getByTestId('temperature-entropy');
    const trained = await number(entropy);
    expect(trained).toBeGreaterThan(0);
    expect(trained).toBeLessThanOrEqual(Math.LN2 + 1e-4);
    expect(await figure.textContent()).toContain('ln 2 = 0.6931');
    expect(await figure.getByTestId('temperature-probs').textContent()).toMatch(/\d.* · .*\d/);
    await slide(figure.getByTestId('temperature-frame'), 3);
    await expect.poll(() => figure.getByTestId('temperature-frame-value').textContent()).toBe('t = 3');

    const drawn = await picture(canvas);
    await slide(figure.getByTestId('temperature-slider'), 0.2);
    await expect.poll(() => figure.getByTestId('temperature-value').textContent()).toBe('T = 0.2');
    await expect.poll(() => number(entropy)).toBeLessThan(trained);
    const cold = await number(entropy);
    await slide(figure.getByTestId('temperature-slider'), 3);
    await expect.poll(() => figure.getByTestId('temperature-value').textContent()).toBe('T = 3');
    const hot = await number(entropy);
    expect(hot).toBeGreaterThan(cold);
    expect(hot).toBeLessThanOrEqual(Math.LN2 + 1e-4);
    await expect.poll(() => picture(canvas)).not.toBe(drawn);
    await slide(figure.getByTestId('temperature-slider'), 0);
    await expect.poll(() => number(entropy)).toBe(0);
    await slide(figure.getByTestId('temperature-slider'), 0.5);
    await expect.poll(() => figure.getByTestId('temperature-value').textContent()).toBe('T = 0.5');
    await screenshot(page, 'learn-temperature-en');
  });

  it('reads both figures in Chinese after switching the language', async () => {
    await page.getByTestId('language-switch').getByRole('button', { name: '中文', exact: true }).click();
    await openFigure(page, 'gae');
    const gae = page.getByTestId('learn-gae');
    await expect.poll(() => gae.locator('.explain').textContent()).toContain('广义优势估计 GAE');
    expect(await gae.getByTestId('gae-row-td0').textContent()).toContain('TD(0)');
    await expect.poll(() => inked(gae.getByTestId('gae-chart')), { timeout: 10_000 }).toBeGreaterThan(2_000);
    await screenshot(page, 'learn-gae-zh-CN');
    await openFigure(page, 'temperature');
    const temperature = page.getByTestId('learn-temperature');
    await expect.poll(() => temperature.locator('.explain').textContent()).toContain('温度 temperature');
    expect(await temperature.textContent()).toContain('熵 entropy');
    await expect.poll(() => inked(temperature.getByTestId('temperature-chart')), { timeout: 10_000 }).toBeGreaterThan(2_000);
    // The same state and temperature as the English screenshot.
    await slide(temperature.getByTestId('temperature-frame'), 3);
    await slide(temperature.getByTestId('temperature-slider'), 0.5);
    await expect.poll(() => temperature.getByTestId('temperature-value').textContent()).toBe('T = 0.5');
    await screenshot(page, 'learn-temperature-zh-CN');
    await page.getByTestId('language-switch').getByRole('button', { name: 'English', exact: true }).click();
  });

  it("sends Replay's temperature with each step, and the frames record it", async () => {
    const steps: { deterministic?: boolean; temperature?: number }[] = [];
    const frames: ReplayFrame[] = [];
    page.on('request', (request) => {
      const body = request.postDataJSON() as { method?: string; params?: { deterministic?: boolean; temperature?: number } } | null;
      if (body?.method === 'replay.step' && body.params) steps.push(body.params);
    });
    page.on('response', async (response) => {
      const body = (await response.request().postDataJSON()) as { method?: string } | null;
      if (body?.method === 'replay.step') frames.push(((await response.json()) as { value: ReplayFrame }).value);
    });
    await goTo(page, 'Replay');
    const live = page.getByTestId('live-replay');
    await live.getByTestId('run-picker').selectOption(String(runId));
    await expect.poll(() => live.getByTestId('replay-canvas').getAttribute('aria-label'), { timeout: 90_000 }).toMatch(/t=0$/);
    const control = live.getByTestId('replay-temperature');
    expect(await control.getByRole('spinbutton').isDisabled()).toBe(true);
    await live.getByRole('checkbox', { name: 'deterministic' }).uncheck();
    await control.getByRole('spinbutton').fill('2.5');
    await control.getByRole('spinbutton').dispatchEvent('change');
    await expect.poll(() => control.textContent()).toContain('T = 2.5');
    await live.getByRole('button', { name: 'Step', exact: true }).click();
    await live.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => frames.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(steps.slice(-2)).toEqual([
      { sessionId: expect.any(String), deterministic: false, temperature: 2.5 },
      { sessionId: expect.any(String), deterministic: false, temperature: 2.5 },
    ]);
    expect(frames.slice(-2).map((f) => f.temperature)).toEqual([2.5, 2.5]);
    await slide(control.getByRole('slider'), 0);
    await live.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => frames.at(-1)?.temperature, { timeout: 15_000 }).toBe(0);
  });
});
