/**
 * The New sweep form and the small bugs of issue 15, end to end in web mode (real `proxima web`, fresh database, real
 * trainers), asserting what a person sees:
 * - a template says it replaced the sweep definition; Reset form returns to the defaults (bug 2);
 * - a field's stale message goes once the field is edited (bug 5b);
 * - messages in domain words, warnings (budget below a rollout, an ETA over a day), an empty grid value named,
 *   config docs rendered with code and not cut off, the tuned-preset hint, thousands separators (item 13);
 * - after a tiny sweep: the Run detail picker follows the run's status (5a), Replay starts each run with its own
 *   seed, deterministic setting and recording name (5c), the recorded-replay counter matches t (5d), and About leads
 *   with the backend the runs trained on (5e).
 * Screenshots land in test-results/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp, goTo, setField, apiCall } from './support';

const unavailable = browserUnavailable();

/** A tiny PPO budget: a few updates, an evaluation, a final checkpoint. */
const TINY: Record<string, string> = {
  totalTimesteps: '2048',
  nSteps: '256',
  nEnvs: '2',
  batchSize: '64',
  evalFreq: '1024',
  evalEpisodes: '2',
  finalEvalEpisodes: '2',
};

/** The New sweep form as it first opens: a reloaded page, and Reset form for whatever a reload keeps. */
async function freshForm(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await goTo(page, 'New sweep');
  await expect.poll(() => page.getByTestId('sweep-form').count(), { timeout: 30_000 }).toBe(1);
  const reset = page.getByRole('button', { name: 'Reset form' });
  if ((await reset.count()) > 0) await reset.click();
}

const message = (page: Page, name: string): Promise<string> => page.locator(`[data-field="${name}"] .message`).textContent().then((t) => t ?? '');
const preview = (page: Page): Promise<string> => page.getByTestId('sweep-preview').textContent().then((t) => t ?? '');

describe.skipIf(unavailable)('New sweep form and issue 15 bugs in web mode', () => {
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
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `form-bugs-failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('says a template replaced the sweep definition, and Reset form returns to the defaults', async () => {
    await freshForm(page, app.url);
    await page.getByRole('button', { name: 'Clip vs adaptive KL' }).click();
    await expect.poll(() => page.getByTestId('template-notice').textContent()).toContain('Template “Clip vs adaptive KL” replaced the sweep definition');
    expect(await page.locator('#field-objective').inputValue()).toBe('clip, kl-adaptive');
    await page.getByLabel('Name').fill('my comparison');
    await page.getByRole('button', { name: 'Entropy bonus on vs off' }).click();
    const notice = await page.getByTestId('template-notice').textContent();
    expect(notice).toContain('Template “Entropy bonus on vs off” replaced the sweep definition');
    expect(notice).toContain('the environment (CartPole-v1) and the name you typed stayed');
    // The objective grid of the first template is gone: 2 entCoef values × 5 seeds, not 20 trials.
    expect(await page.locator('[data-field="objective"]').getByLabel('objective mode').inputValue()).toBe('preset');
    await expect.poll(() => preview(page), { timeout: 20_000 }).toMatch(/^\s*10 trial\(s\)/);
    await screenshot(page, 'new-sweep-template-notice');

    await page.getByLabel('Environment').selectOption('Acrobot-v1');
    await setField(page, 'nEnvs', 'value', '3');
    await page.getByRole('button', { name: 'Reset form' }).click();
    expect(await page.getByLabel('Name').inputValue()).toBe('');
    expect(await page.getByLabel('Environment').inputValue()).toBe('CartPole-v1');
    expect(await page.locator('select[name="preset"]').inputValue()).toBe('sb3-defaults');
    expect(await page.getByLabel('Seeds').inputValue()).toBe('0, 1, 2');
    expect(await page.locator('[data-field="nEnvs"]').getByLabel('nEnvs mode').inputValue()).toBe('preset');
    expect(await page.locator('[data-field="entCoef"]').getByLabel('entCoef mode').inputValue()).toBe('preset');
    expect(await page.getByTestId('template-notice').count()).toBe(0);
    await expect.poll(() => preview(page), { timeout: 20_000 }).toMatch(/^\s*3 trial\(s\)/);
  });

  it('drops a field’s backend message as soon as the field is edited', async () => {
    await freshForm(page, app.url);
    await setField(page, 'nSteps', 'value', '256');
    await setField(page, 'batchSize', 'value', '100');
    await expect.poll(() => message(page, 'batchSize'), { timeout: 20_000 }).toMatch(/batchSize 100 does not divide/);
    // Edited into something the form itself refuses: only that message, not the one about 100.
    await page.locator('#field-batchSize').fill('100x');
    await expect.poll(() => message(page, 'batchSize')).toContain('"100x" is not an integer');
    expect(await message(page, 'batchSize')).not.toContain('does not divide');
    await page.waitForTimeout(1_000);
    expect(await message(page, 'batchSize')).not.toContain('does not divide');
    // Fixed: no message at all.
    await page.locator('#field-batchSize').fill('64');
    await expect.poll(() => page.locator('[data-field="batchSize"] .message').count(), { timeout: 20_000 }).toBe(0);
  });

  it('words messages and warnings in domain terms and never drops an empty grid value', async () => {
    await freshForm(page, app.url);
    // A bound from the schema, in words.
    await setField(page, 'gamma', 'value', '1.5');
    await expect.poll(() => message(page, 'gamma'), { timeout: 20_000 }).toBe('gamma must be between 0 and 1 (got 1.5)');
    await setField(page, 'gamma', 'preset');

    // An empty value in a grid is an error naming the field.
    await setField(page, 'clipRange', 'grid', '0.1, , 0.3');
    await expect.poll(() => message(page, 'clipRange')).toBe('clipRange has an empty value (value 2 of 3): fill it in or remove the extra comma');
    await setField(page, 'clipRange', 'grid', '0.1, 0.3');
    await expect.poll(() => page.locator('[data-field="clipRange"] .message').count()).toBe(0);
    await setField(page, 'clipRange', 'preset');

    // A budget below one rollout (2048 steps per rollout with SB3's defaults) is a warning, not an error.
    await setField(page, 'totalTimesteps', 'value', '100');
    await expect.poll(() => page.getByTestId('sweep-warning').allTextContents(), { timeout: 20_000 }).toContainEqual(expect.stringMatching(/totalTimesteps 100 is less than one rollout/));
    // An ETA over a day is a warning too.
    await setField(page, 'totalTimesteps', 'value', '1000000000');
    await expect.poll(() => page.getByTestId('sweep-warning').allTextContents(), { timeout: 20_000 }).toContainEqual(expect.stringMatching(/more than a day \(3 trials, \d+ at a time\)/));
    await setField(page, 'totalTimesteps', 'preset');

    // Thousands separated: 1,000 seeds × 2 objectives.
    await page.getByRole('button', { name: 'Clip vs adaptive KL' }).click();
    await page.getByLabel('Seeds').fill('0-999');
    await expect.poll(() => preview(page), { timeout: 30_000 }).toMatch(/^\s*2,000 trial\(s\)/);
  });

  it('renders config docs with code, whole, and suggests the tuned preset where the defaults do not learn', async () => {
    await freshForm(page, app.url);
    const doc = page.locator('[data-field="objective"] .doc');
    const text = (await doc.textContent()) ?? '';
    expect(text).not.toContain('`');
    expect(text).toContain('(unclipped surrogate).');
    expect(await doc.locator('code').allTextContents()).toEqual(['clip', 'kl-adaptive', 'kl-fixed', 'clip+kl', 'none']);
    // Not cut off: every doc line shows all of its text (no ellipsis, nothing overflowing its box).
    const clipped = await page.locator('[data-field] .doc .line').evaluateAll((lines) =>
      lines.filter((line) => getComputedStyle(line).textOverflow === 'ellipsis' || line.scrollWidth > line.clientWidth + 1).length,
    );
    expect(clipped).toBe(0);

    await page.getByLabel('Environment').selectOption('Pendulum-v1');
    await page.getByRole('button', { name: 'Entropy bonus on vs off' }).click();
    const hint = page.getByTestId('tuned-preset-hint');
    await expect.poll(() => hint.textContent()).toContain('With SB3 defaults, PPO does not learn Pendulum-v1 within the budget; RL Zoo (tuned) has hyperparameters tuned for this environment.');
    await screenshot(page, 'new-sweep-tuned-hint');
    await hint.getByRole('button', { name: 'Use RL Zoo (tuned)' }).click();
    expect(await page.locator('select[name="preset"]').inputValue()).toBe('zoo');
    expect(await hint.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('after a tiny sweep: live status in the run picker, per-run replay settings, the recorded counter on t, and About', async () => {
    await freshForm(page, app.url);
    await page.getByLabel('Seeds').fill('0, 1');
    for (const [name, value] of Object.entries(TINY)) await setField(page, name, 'value', value);
    await expect.poll(() => preview(page), { timeout: 20_000 }).toMatch(/^\s*2 trial\(s\)/);
    await page.getByRole('button', { name: 'Launch' }).click();

    // Run detail opened while the run has not finished: its picker entry follows the badge.
    const rows = page.locator('[data-testid="runs-table"] tbody tr[data-run-id]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    const ids = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-run-id'))))).sort((a, b) => a - b);
    const [first, second] = ids as [number, number];
    await page.locator(`tr[data-run-id="${second}"] td button.link`).first().click();
    const badge = page.locator('.summary .badge');
    await expect.poll(() => badge.count(), { timeout: 30_000 }).toBe(1);
    expect(await badge.textContent()).not.toBe('completed');
    const entry = page.locator('.picker select').first().locator(`option[value="${second}"]`);
    await expect.poll(() => badge.textContent(), { timeout: 300_000, interval: 1_000 }).toBe('completed');
    await expect.poll(() => entry.textContent(), { timeout: 10_000 }).toMatch(/\(completed\)$/);
    const backend = ((await page.getByText(/^backend /).textContent()) ?? '').match(/^backend (\S+)/)?.[1];
    expect(backend).toMatch(/^(wasm|cpu|tfjs-node)$/);

    // Replay run `second`, change its seed, deterministic setting and recording name, then switch to run `first`.
    await page.getByTestId('run-actions').getByRole('button', { name: 'Replay', exact: true }).click();
    const live = page.getByTestId('live-replay');
    const canvas = live.getByTestId('replay-canvas');
    await expect.poll(() => canvas.getAttribute('aria-label'), { timeout: 90_000 }).toMatch(/t=0$/);
    const seed = live.getByLabel('seed', { exact: true });
    const deterministic = live.getByLabel('deterministic', { exact: true });
    await seed.fill('3');
    await seed.dispatchEvent('change');
    await deterministic.uncheck();
    await live.getByLabel('name of the recording').fill(`run ${second}'s episode`);
    const picker = live.locator('.picker select');
    await expect.poll(async () => (await picker.locator(`option[value="${first}"]`).textContent()) ?? '', { timeout: 300_000, interval: 1_000 }).toMatch(/\(completed\)$/);
    await picker.selectOption(String(first));
    await expect.poll(() => live.getByTestId('replay-method').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => canvas.getAttribute('aria-label'), { timeout: 90_000 }).toMatch(/t=0$/);
    expect(await seed.inputValue()).toBe('0');
    expect(await deterministic.isChecked()).toBe(true);
    expect(await live.getByLabel('name of the recording').inputValue()).toBe('');
    await screenshot(page, 'replay-switched-run');

    // Play the episode to its end, save it, and play the recording: the counter reads t over the episode's steps.
    await live.getByLabel('speed').selectOption('60');
    await live.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => page.getByText(/Episode (terminated|truncated)/).count(), { timeout: 120_000 }).toBe(1);
    await live.getByLabel('name of the recording').fill('counted episode');
    await live.getByRole('button', { name: 'Save episode' }).click();
    await expect.poll(() => page.getByText(/Saved "counted episode"/).count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: 'Recorded' }).click();
    const recorded = page.getByTestId('recorded-replay');
    const option = recorded.locator('option', { hasText: 'counted episode' });
    await recorded.getByLabel('recording').selectOption({ label: (await option.textContent()) ?? '' });
    const steps = Number(((await option.textContent()) ?? '').match(/, ([\d,]+) steps,/)?.[1]?.replace(/,/g, ''));
    expect(steps).toBeGreaterThan(1);
    const recordedCanvas = recorded.getByTestId('replay-canvas');
    const counter = recorded.getByText(/^\d+\/\d+$/);
    await expect.poll(() => recordedCanvas.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/t=0$/);
    expect(await counter.textContent()).toBe(`0/${steps}`);
    await recorded.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => recordedCanvas.getAttribute('aria-label')).toMatch(/t=1$/);
    expect(await counter.textContent()).toBe(`1/${steps}`);
    await recorded.getByLabel('frame').evaluate((input: HTMLInputElement, last) => {
      input.value = String(last);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, steps);
    await expect.poll(() => recordedCanvas.getAttribute('aria-label')).toMatch(new RegExp(`t=${steps}$`));
    expect(await counter.textContent()).toBe(`${steps}/${steps}`);
    await screenshot(page, 'replay-recorded-counter');

    // About leads with what the runs trained on: each run's own backend (`auto` calibrates per run, so two runs may
    // differ), counted — the one Run detail showed among them.
    const trained = (await apiCall<{ backend: string | null }[]>(page, 'runs.list', { runIds: ids })).map((r) => r.backend);
    expect(trained).toContain(backend);
    const counts = new Map<string, number>();
    for (const b of trained) if (b) counts.set(b, (counts.get(b) ?? 0) + 1);
    const expected = [...counts].map(([b, n]) => `${b} (${n} run${n === 1 ? '' : 's'})`).sort();
    await page.getByRole('button', { name: 'About' }).click();
    await expect
      .poll(async () => ((await page.getByTestId('about-run-backends').textContent()) ?? '').split(', ').sort(), { timeout: 60_000 })
      .toEqual(expected);
    expect((await page.locator('.about dt').allTextContents()).slice(0, 3)).toEqual(['Version', 'Runs train on', "A fresh trainer's default"]);
    await screenshot(page, 'about-run-backends');
    expect(pageErrors).toEqual([]);
  });
});
