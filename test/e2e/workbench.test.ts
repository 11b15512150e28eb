/**
 * The workbench end to end in web mode: a real `proxima web` (fresh database, real trainer processes) driven in
 * Debian's Chromium. Launches a tiny "clip vs adaptive KL" sweep on CartPole with 2 seeds, watches it complete,
 * compares and summarises it grouped by objective, replays a checkpoint, checks an invalid form's messages, and
 * previews "PPO vs A2C vs TRPO" (the algorithm-specific fields, 15 trials) without launching it.
 * Screenshots of each view land in test-results/screenshots/.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp, goTo, setField } from './support';

const unavailable = browserUnavailable();

/** A few thousand steps: enough for evaluations, a checkpoint and a replay, small enough for a 2-core machine. */
const TINY: Record<string, string> = {
  totalTimesteps: '2048',
  nSteps: '256',
  nEnvs: '2',
  batchSize: '64',
  evalFreq: '1024',
  evalEpisodes: '2',
  finalEvalEpisodes: '2',
};

describe.skipIf(unavailable)('Workbench in web mode', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows readable messages next to what is wrong in a rejected form, and keeps what was typed', async () => {
    await goTo(page, 'New sweep');
    await expect.poll(() => page.getByTestId('sweep-form').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: /clip vs adaptive KL/i }).click();
    // An empty name is fine (the placeholder shows the one the sweep will get); one too long is not.
    await page.getByLabel('Name').fill('');
    expect(await page.getByLabel('Name').getAttribute('placeholder')).toBe('CartPole-v1 · PPO · sb3-defaults · objective');
    await page.getByLabel('Name').fill('x'.repeat(201));

    // Parsed in the form: a non-integer where an integer is due.
    await setField(page, 'nEnvs', 'value', 'two');
    await expect.poll(() => page.locator('[data-field="nEnvs"] .message').textContent()).toContain('not an integer');

    // Rejected by the backend: a name too long (request schema), then a batch size that does not divide the rollout.
    await setField(page, 'nEnvs', 'value', '2');
    await setField(page, 'nSteps', 'value', '256');
    await setField(page, 'batchSize', 'value', '100');
    await page.getByRole('button', { name: 'Launch' }).click();
    await expect.poll(() => page.locator('#name-error').textContent(), { timeout: 15_000 }).toContain('keep the name to 200 characters');
    await page.getByLabel('Name').fill('e2e clip vs adaptive KL');
    await page.getByRole('button', { name: 'Launch' }).click();
    await expect.poll(() => page.locator('[data-field="batchSize"] .message').textContent(), { timeout: 15_000 }).toMatch(/batchSize 100 does not divide/);
    await screenshot(page, 'new-sweep-invalid');

    // Nothing was lost, and nothing was launched.
    expect(await page.locator('#field-batchSize').inputValue()).toBe('100');
    expect(await page.locator('#field-nEnvs').inputValue()).toBe('2');
    expect(await page.locator('#field-objective').inputValue()).toBe('clip, kl-adaptive');
  });

  it('launches "clip vs adaptive KL" on CartPole with 2 seeds and a tiny budget, and watches the runs complete', async () => {
    await page.getByLabel('Environment').selectOption('CartPole-v1');
    await page.getByLabel('Seeds').fill('0, 1');
    for (const [name, value] of Object.entries(TINY)) await setField(page, name, 'value', value);
    await expect.poll(() => page.getByTestId('sweep-preview').textContent(), { timeout: 20_000 }).toMatch(/4 trial\(s\) · ETA/);
    expect(await page.locator('[data-field] .message').count()).toBe(0);
    await screenshot(page, 'new-sweep');
    await page.getByRole('button', { name: 'Launch' }).click();

    // Launching switches to Runs, where the four runs appear and progress live.
    const rows = page.locator('[data-testid="runs-table"] tbody tr[data-run-id]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
    // Live progress: a running row's bar moves past 0% before the run completes.
    const partial = (): Promise<number> =>
      page.locator('tr[data-status="running"] [role="progressbar"]').evaluateAll((bars) => bars.filter((b) => Number(b.getAttribute('aria-valuenow')) > 0 && Number(b.getAttribute('aria-valuenow')) < 100).length);
    await expect.poll(partial, { timeout: 120_000, interval: 100 }).toBeGreaterThan(0);
    await screenshot(page, 'runs-live');
    await expect.poll(() => page.locator('tr[data-status="completed"]').count(), { timeout: 600_000, interval: 2_000 }).toBe(4);
    const methods = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[5]?.textContent?.trim()));
    expect(methods.sort()).toEqual(['PPO · clip', 'PPO · clip', 'PPO · kl-adaptive', 'PPO · kl-adaptive']);
    await screenshot(page, 'runs');
  });

  it('compares the runs grouped by objective: two groups, each drawn with a band', async () => {
    // Opened with nothing selected, Compare shows the newest sweep.
    await goTo(page, 'Compare');
    await expect.poll(() => page.getByText('4 run(s)', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await goTo(page, 'Runs');
    await page.getByLabel('select all runs').check();
    await page.getByRole('button', { name: 'Compare', exact: true }).last().click();
    const objective = page.getByRole('checkbox', { name: 'objective' });
    await expect.poll(() => objective.count(), { timeout: 30_000 }).toBe(1);
    if (!(await objective.isChecked())) await objective.check();
    const panel = page.locator('[data-testid="chart-panel"][data-metric="eval/mean_return"]');
    await expect.poll(() => panel.getAttribute('data-groups'), { timeout: 30_000 }).toBe('2');
    expect(await panel.getAttribute('data-bands')).toBe('2');
    const legend = await panel.getByRole('list').getByRole('button').allTextContents();
    expect(legend.map((t) => t.replace(/\s*\(.*$/, '').trim()).sort()).toEqual(['objective=clip', 'objective=kl-adaptive']);
    // The chart really drew something: count non-blank pixels on its canvas.
    const inked = await panel.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d');
      if (!ctx) return 0;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(1_000);
    // Exports: the chart as PNG, its data (raw and smoothed) as CSV.
    const [png] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: /as PNG/ }).click()]);
    expect(png.suggestedFilename()).toBe('eval_mean_return.png');
    const [csv] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: /as CSV/ }).click()]);
    expect(csv.suggestedFilename()).toBe('eval_mean_return.csv');
    const csvText = readFileSync((await csv.path()) ?? '', 'utf8');
    const lines = csvText.trim().split('\r\n');
    expect(lines[0]).toBe('metric,kind,group,run,x,mean,lower,upper,count');
    const kinds = new Set(lines.slice(1).map((line) => line.split(',')[1]));
    expect([...kinds].sort()).toEqual(['raw', 'smoothed']);
    expect(lines.some((line) => line.includes(',raw,objective=clip,,'))).toBe(true);

    await page.getByRole('button', { name: 'PPO diagnostics' }).click();
    await expect.poll(() => page.locator('[data-testid="chart-panel"]').count()).toBe(8);
    await expect.poll(() => page.locator('[data-testid="chart-panel"][data-metric="train/approx_kl"]').getAttribute('data-groups'), { timeout: 30_000 }).toBe('2');
    await screenshot(page, 'compare');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await screenshot(page, 'compare-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('summarises both groups with IQM and the probability of improvement', async () => {
    await goTo(page, 'Summary');
    const groups = page.getByTestId('summary-group');
    await expect.poll(() => groups.count(), { timeout: 60_000 }).toBe(2);
    const keys = await groups.locator('td.key').allTextContents();
    expect(keys.sort()).toEqual(['objective=clip', 'objective=kl-adaptive']);
    await expect.poll(() => page.getByTestId('improvement').textContent(), { timeout: 30_000 }).toMatch(/^\s*[0-9.]+ \[[0-9.]+, [0-9.]+\]/);
    await screenshot(page, 'summary');
  });

  it('shows a run in detail and replays its checkpoint: the canvas changes between frames', async () => {
    await goTo(page, 'Runs');
    await page.locator('[data-testid="runs-table"] tbody tr[data-run-id] td button.link').first().click();
    await expect.poll(() => page.getByTestId('run-metric').count(), { timeout: 30_000 }).toBeGreaterThan(3);
    await screenshot(page, 'run-detail');
    await page.getByTestId('run-actions').getByRole('button', { name: 'Replay', exact: true }).click();

    const canvas = page.getByTestId('replay-canvas');
    await expect.poll(() => canvas.count(), { timeout: 90_000 }).toBe(1);
    await expect.poll(() => canvas.getAttribute('aria-label'), { timeout: 90_000 }).toMatch(/t=0$/);
    const frame0 = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => canvas.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/t=2$/);
    const frame2 = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
    expect(frame2).not.toBe(frame0);
    expect(await page.getByTestId('overlay-value').textContent()).toMatch(/\d/);

    // Play to the end of the episode, save it, and play the recording back without the model.
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.getByLabel('speed').selectOption('60');
    await expect.poll(() => page.getByText(/Episode (terminated|truncated)/).count(), { timeout: 120_000 }).toBe(1);
    await screenshot(page, 'replay');
    await page.getByLabel('name of the recording').fill('e2e episode');
    await page.getByRole('button', { name: 'Save episode' }).click();
    await expect.poll(() => page.getByText(/Saved "e2e episode"/).count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: 'Recorded' }).click();
    const recorded = page.getByTestId('recorded-replay');
    await recorded.getByLabel('recording').selectOption({ label: (await recorded.locator('option', { hasText: 'e2e episode' }).textContent()) ?? '' });
    const recordedCanvas = recorded.getByTestId('replay-canvas');
    await expect.poll(() => recordedCanvas.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/t=0$/);
    const r0 = await recordedCanvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await recorded.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => recordedCanvas.getAttribute('aria-label')).toMatch(/t=1$/);
    expect(await recordedCanvas.evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(r0);
    await screenshot(page, 'replay-recorded');
    expect(pageErrors).toEqual([]);
  });

  it('moves between views with the keyboard and follows a dark system theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await goTo(page, 'Runs');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(20, 23, 29)');
    await screenshot(page, 'runs-dark');
    await page.locator('#tab-runs').focus();
    for (const id of ['new-sweep', 'compare', 'summary', 'hparams', 'detail', 'replay']) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => page.locator(`#tab-${id}`).getAttribute('aria-current')).toBe('page');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`tab-${id}`);
      await page.waitForTimeout(id === 'replay' ? 3_000 : 800);
      await screenshot(page, `${id}-dark`);
    }
    expect(pageErrors).toEqual([]);
  });

  it('updates Compare live while runs train, redrawing at most about 4 times a second', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await goTo(page, 'New sweep');
    await page.getByLabel('Name').fill('e2e live');
    await page.getByLabel('Seeds').fill('7');
    await setField(page, 'totalTimesteps', 'value', '12288');
    await expect.poll(() => page.getByTestId('sweep-preview').textContent(), { timeout: 20_000 }).toMatch(/2 trial\(s\)/);
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.getByTestId('sweep-card').filter({ hasText: 'e2e live' }).getByRole('button', { name: 'Compare' }).click();

    const fetches: number[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api') && (request.postData() ?? '').includes('"series.aggregate"')) fetches.push(Date.now());
    });
    const panel = page.locator('[data-testid="chart-panel"][data-metric="rollout/ep_return"]');
    const seen = new Set<string>();
    const sweepDone = async (): Promise<boolean> => {
      seen.add((await panel.getAttribute('data-last-x').catch(() => null)) ?? '');
      return page.evaluate(async () => {
        const response = await fetch('/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'sweeps.list', params: {} }) });
        const sweeps = ((await response.json()) as { value: { name: string; counts: Record<string, number> }[] }).value;
        const live = sweeps.find((s) => s.name === 'e2e live');
        return live !== undefined && live.counts['completed'] === 2;
      });
    };
    await expect.poll(sweepDone, { timeout: 600_000, interval: 200 }).toBe(true);
    await screenshot(page, 'compare-live');
    // The chart moved on while the runs trained (several distinct x extents were drawn)...
    expect([...seen].filter((v) => v !== '' && v !== '0').length).toBeGreaterThanOrEqual(3);
    // ...and never refetched more than about 4 times in any second.
    const maxPerSecond = Math.max(0, ...fetches.map((t) => fetches.filter((u) => u >= t && u < t + 1_000).length));
    expect(fetches.length).toBeGreaterThan(2);
    expect(maxPerSecond).toBeLessThanOrEqual(5);
    expect(pageErrors).toEqual([]);
  });

  it('applies "PPO vs A2C vs TRPO": the three algorithms\' fields, marked where only some have them, and 15 trials', async () => {
    await goTo(page, 'New sweep');
    await page.getByRole('button', { name: 'PPO vs A2C vs TRPO' }).click();
    const picker = page.getByTestId('algorithm-picker');
    const ticked = (): Promise<string[]> => picker.locator('input[name="algorithm"]:checked').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    await expect.poll(ticked).toEqual(['ppo', 'a2c', 'trpo']);
    expect(await page.getByLabel('Preset').inputValue()).toBe('zoo');
    const only = (name: string) => page.locator(`[data-field="${name}"] [data-testid="field-only"]`);
    expect(await only('cgMaxSteps').textContent()).toBe('TRPO only');
    expect(await only('nEpochs').textContent()).toBe('PPO only');
    expect(await only('useRmsProp').textContent()).toBe('A2C only');
    expect(await only('entCoef').textContent()).toBe('PPO, A2C only');
    expect(await only('gamma').count()).toBe(0);
    expect(await page.locator('[data-field="episodesPerBatch"]').count()).toBe(0);
    // One meaning per algorithm where they differ: TRPO's learning rate is its critic's.
    expect(await page.locator('[data-field="learningRate"] .doc .line').allTextContents()).toEqual([
      expect.stringMatching(/^PPO: Adam step size/),
      expect.stringMatching(/^A2C: RMSprop/),
      expect.stringMatching(/^TRPO: .*critic/),
    ]);
    // Each algorithm's RL Zoo value, side by side, while a field is left on the preset.
    await expect.poll(() => page.locator('#field-nSteps').textContent(), { timeout: 20_000 }).toBe('PPO 32 · A2C 5 · TRPO 512');
    await expect.poll(() => page.getByTestId('sweep-preview').textContent(), { timeout: 20_000 }).toMatch(/15 trial\(s\) · ETA/);
    await screenshot(page, 'new-sweep-ancestors');

    // Back to one algorithm: a value of a field REINFORCE lacks is dropped, and the form says so.
    await setField(page, 'nEpochs', 'value', '4');
    await picker.getByLabel(/compare several/).uncheck();
    await expect.poll(ticked).toEqual(['ppo']);
    await picker.getByRole('radio', { name: 'REINFORCE', exact: true }).check();
    await expect.poll(() => page.getByTestId('algorithm-notice').textContent()).toBe('Dropped the value of nEpochs: REINFORCE has no such field.');
    expect(await page.getByLabel('Preset').inputValue()).toBe('tuned');
    expect(await page.locator('[data-field="nSteps"]').count()).toBe(0);
    expect(await page.locator('[data-field="episodesPerBatch"]').count()).toBe(1);
    await page.getByRole('button', { name: 'REINFORCE with vs without baseline' }).click();
    expect(await page.locator('#field-useBaseline').inputValue()).toBe('true, false');
    await expect.poll(() => page.getByTestId('sweep-preview').textContent(), { timeout: 20_000 }).toMatch(/10 trial\(s\) · ETA/);
    expect(pageErrors).toEqual([]);
  });
});
