/**
 * The Hyperparameters view end to end in web mode: a real `proxima web` on a fresh database, seeded with a small
 * sweep through the product's own bundle import (learningRate × objective × 2 seeds, completed, with evaluation
 * curves and final evaluations; training it would take minutes on this machine and prove nothing more here).
 * Asserts what a person sees: the empty states, the table's rows and their order after a header click, the filter
 * and the value range reducing the rows, ink on the parallel-coordinates and scatter canvases, a selection made in
 * the table, on a line and on a point showing in all three, and "Open in Compare" opening Compare on the selected
 * runs with the same groups, the group selected last highlighted. Screenshots at 1440×900 and 1024×700.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flattenParams } from '../../src/backend/store/params';
import { parseTrainConfig } from '../../src/core/training/config';
import { PROXIMA_VERSION } from '../../src/core/version';
import { browserUnavailable, launchBrowser, screenshot, startWebApp, type WebApp, selectSweep, goTo } from './support';

const unavailable = browserUnavailable();

const LEARNING_RATES = [1e-4, 3e-4, 1e-3];
const OBJECTIVES = ['clip', 'kl-adaptive'];
const SEEDS = [0, 1];
const BASE: Record<number, number> = { 1e-4: 100, 3e-4: 250, 1e-3: 400 };
/** A run's final evaluation: clip 20 above kl-adaptive, seed 1 10 above seed 0; a group's IQM (2 seeds) is their mean. */
const finalOf = (lr: number, objective: string, seed: number): number => BASE[lr] + (objective === 'clip' ? 20 : 0) + seed * 10;
const keyOf = (lr: number, objective: string): string => `learningRate=${JSON.stringify(lr)} objective=${objective}`;
/** Group keys by IQM, highest first. */
const BY_IQM = LEARNING_RATES.flatMap((lr) => OBJECTIVES.map((o) => ({ key: keyOf(lr, o), iqm: finalOf(lr, o, 0) + 5 }))).sort((a, b) => b.iqm - a.iqm);

/** The sweep as a Proxima bundle: configs resolved as for a new run, seeds of one configuration next to each other. */
function sweepBundle(): unknown {
  const now = Date.now();
  const runs = LEARNING_RATES.flatMap((learningRate) => OBJECTIVES.flatMap((objective) => SEEDS.map((seed) => ({ learningRate, objective, seed }))));
  return {
    format: 'proxima-bundle',
    version: 1,
    proximaVersion: PROXIMA_VERSION,
    exportedAt: now,
    sweeps: [
      {
        id: 1, name: 'e2e hparams', envId: 'CartPole-v1', status: 'completed', createdAt: now - 60_000,
        spec: { name: 'e2e hparams', env: 'CartPole-v1', preset: 'sb3-defaults', grid: { learningRate: LEARNING_RATES, objective: OBJECTIVES }, seeds: SEEDS },
      },
    ],
    runs: runs.map(({ learningRate, objective, seed }, i) => {
      const config = parseTrainConfig({ envId: 'CartPole-v1', seed, objective, learningRate, totalTimesteps: 2_048 });
      return {
        id: i + 1, sweepId: 1, envId: 'CartPole-v1', seed, objective, status: 'completed', error: null, backend: 'cpu', proximaVersion: PROXIMA_VERSION,
        config, createdAt: now - 50_000 + i, startedAt: now - 40_000, finishedAt: now - 30_000, totalTimesteps: 2_048, stepsDone: 2_048,
        finalEval: { mean: finalOf(learningRate, objective, seed), std: 1, episodes: 2 }, tags: [], notes: '', hidden: false,
        params: flattenParams(config), explicitParams: ['learningRate', 'objective'],
      };
    }),
    metrics: runs.flatMap(({ learningRate, objective, seed }, i) => {
      const steps = [512, 1_024, 1_536, 2_048];
      const final = finalOf(learningRate, objective, seed);
      const series = (key: string, scale: number) => ({
        runId: i + 1, key, steps, seqs: steps.map(() => 0), values: steps.map((_, p) => Math.round(final * scale * (p + 1)) / 4), wallTimes: steps.map((_, p) => now - 40_000 + p * 1_000),
      });
      return [series('eval/mean_return', 0.9), series('rollout/ep_return_mean', 0.8)];
    }),
    checkpoints: [],
    replays: [],
  };
}

/** Non-blank pixels of a canvas. */
function ink(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

/**
 * Where on the canvas (CSS pixels from its top left) a colour is drawn opaquely: of its pixels, the one nearest to
 * their centre (on a line, a point of the line; on a dot, its centre), or null.
 */
function findColour(canvas: Locator, rgb: [number, number, number]): Promise<{ x: number; y: number } | null> {
  return canvas.evaluate((c: HTMLCanvasElement, [r, g, b]) => {
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    const found: [number, number][] = [];
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 150 && Math.abs(data[i] - r) < 8 && Math.abs(data[i + 1] - g) < 8 && Math.abs(data[i + 2] - b) < 8) {
        found.push([(i / 4) % c.width, Math.floor(i / 4 / c.width)]);
      }
    }
    if (found.length === 0) return null;
    const cx = found.reduce((s, p) => s + p[0], 0) / found.length;
    const cy = found.reduce((s, p) => s + p[1], 0) / found.length;
    const [x, y] = found.reduce((best, p) => (Math.hypot(p[0] - cx, p[1] - cy) < Math.hypot(best[0] - cx, best[1] - cy) ? p : best));
    const scale = c.width / c.getBoundingClientRect().width;
    return { x: x / scale, y: y / scale };
  }, rgb);
}

/** The ramp's best end (lib/hparams/charts.ts): the best row's line and point. */
const BEST_COLOUR: [number, number, number] = [0xdd, 0xe3, 0x18];

describe.skipIf(unavailable)('Hyperparameters view in web mode', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let runIds: number[] = [];
  const pageErrors: string[] = [];
  const rows = (): Locator => page.locator('[data-testid="hparams-table"] tbody tr[data-row-id]');
  const rowOf = (label: string): Locator => page.locator(`[data-testid="hparams-table"] tbody tr[data-row-id="group:${label}"]`);
  const labels = (): Promise<string[]> => rows().locator('td:nth-child(2)').allTextContents().then((t) => t.map((s) => s.trim()));

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `failed-hparams-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('says what to do when there are no runs', async () => {
    await goTo(page, 'Hyperparameters');
    await expect.poll(() => page.getByTestId('hparams-empty').textContent(), { timeout: 30_000 }).toMatch(/No runs to show\. Select runs in Runs, or pick a sweep/);
  });

  it('imports a small sweep and says so when the chosen runs share every hyperparameter', async () => {
    const imported = await page.evaluate(async (bundle) => {
      const response = await fetch('/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'import.bundle', params: { bundle } }) });
      return (await response.json()) as { ok: boolean; value?: { runIds: number[] }; error?: { message: string } };
    }, sweepBundle());
    expect(imported.error?.message).toBeUndefined();
    runIds = imported.value?.runIds ?? [];
    expect(runIds).toHaveLength(12);
    await page.reload();
    // Two seeds of one configuration, selected in Runs for comparison.
    await goTo(page, 'Runs');
    for (const id of runIds.slice(0, 2)) await page.getByLabel(`select run ${id}`, { exact: true }).check();
    await page.getByRole('button', { name: 'Compare', exact: true }).last().click();
    await goTo(page, 'Hyperparameters');
    await expect.poll(() => page.getByTestId('hparams-no-axes').textContent(), { timeout: 30_000 }).toMatch(/share every hyperparameter but the seed/);
    expect(await rows().count()).toBe(1);
  });

  it('shows one row per group with its hyperparameters and results, and draws both charts', async () => {
    await selectSweep(page.getByLabel('or sweep'), 'e2e hparams');
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(6);
    expect(await page.getByText('grouped by learningRate, objective').count()).toBe(1);
    const best = rowOf(BY_IQM[0].key);
    expect(await best.locator('[data-param="objective"]').textContent()).toBe('clip');
    expect(await best.locator('[data-param="learningRate"]').textContent()).toBe('0.001');
    expect(await best.locator('[data-stat="iqm"]').textContent()).toBe(String(BY_IQM[0].iqm));
    expect(await best.locator('[data-stat="final"]').textContent()).toBe(String(BY_IQM[0].iqm));

    const pcp = page.getByTestId('hparams-pcp');
    const scatter = page.getByTestId('hparams-scatter');
    expect(await pcp.getAttribute('data-lines')).toBe('6');
    expect(await pcp.getAttribute('data-axes')).toBe('3');
    expect(await scatter.getAttribute('data-points')).toBe('6');
    // The learning rates span a factor of 10: the scatter starts on a log x axis.
    expect(await scatter.getAttribute('data-log-x')).toBe('true');
    await expect.poll(() => ink(pcp.locator('canvas')), { timeout: 10_000 }).toBeGreaterThan(3_000);
    expect(await ink(scatter.locator('canvas'))).toBeGreaterThan(1_000);
    await screenshot(page, 'hparams-1440');
  });

  it('sorts by a column when its header is clicked, both ways', async () => {
    const header = page.getByTestId('hparams-table').locator('th[data-sort="iqm"]');
    expect(await header.textContent()).toMatch(/^\s*IQM\s*$/);
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    expect(await labels()).toEqual([...BY_IQM].reverse().map((g) => g.key));
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await labels()).toEqual(BY_IQM.map((g) => g.key));
    expect(await rows().locator('[data-stat="iqm"]').allTextContents()).toEqual(BY_IQM.map((g) => String(g.iqm)));
  });

  it('filters the rows by text and by a range of the value, in the table and in the charts', async () => {
    const filter = page.getByLabel('filter');
    await filter.fill('kl-adaptive');
    await expect.poll(() => rows().count()).toBe(3);
    expect((await labels()).every((l) => l.endsWith('objective=kl-adaptive'))).toBe(true);
    expect(await page.getByTestId('hparams-pcp').getAttribute('data-lines')).toBe('3');
    await filter.fill('kl-adaptive learningRate=0.0003');
    await expect.poll(() => labels()).toEqual([keyOf(3e-4, 'kl-adaptive')]);
    await filter.fill('');
    await page.getByLabel('lowest value shown').fill('250');
    await expect.poll(() => labels()).toEqual(BY_IQM.filter((g) => g.iqm >= 250).map((g) => g.key));
    expect(await page.getByTestId('hparams-scatter').getAttribute('data-points')).toBe('4');
    await page.getByLabel('lowest value shown').fill('');
    await expect.poll(() => rows().count()).toBe(6);
  });

  it('selects a line in the parallel coordinates and a point in the scatter, and shows the selection everywhere', async () => {
    const pcp = page.getByTestId('hparams-pcp');
    const scatter = page.getByTestId('hparams-scatter');
    const best = rowOf(BY_IQM[0].key);
    // The best group's line is drawn on top in the ramp's best colour: click it.
    const onLine = await findColour(pcp.locator('canvas'), BEST_COLOUR);
    expect(onLine).not.toBeNull();
    await pcp.locator('canvas').click({ position: onLine ?? { x: 0, y: 0 } });
    await expect.poll(() => best.getAttribute('aria-selected')).toBe('true');
    expect(await rows().evaluateAll((trs) => trs.filter((tr) => tr.getAttribute('aria-selected') === 'true').length)).toBe(1);
    expect(await pcp.getAttribute('data-highlighted')).toBe('1');
    expect(await scatter.getAttribute('data-highlighted')).toBe('1');
    expect(await page.getByTestId('hparams-selected').textContent()).toBe('2 run(s) selected');
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await expect.poll(() => best.getAttribute('aria-selected')).toBe('false');

    // The same group's point in the scatter.
    await page.mouse.move(0, 0);
    const onPoint = await findColour(scatter.locator('canvas'), BEST_COLOUR);
    expect(onPoint).not.toBeNull();
    await scatter.locator('canvas').click({ position: onPoint ?? { x: 0, y: 0 } });
    await expect.poll(() => best.getAttribute('aria-selected')).toBe('true');
    expect(await pcp.getAttribute('data-highlighted')).toBe('1');
  });

  it('keeps the selection across one row per run, and fades what is not selected', async () => {
    const pcpCanvas = page.getByTestId('hparams-pcp').locator('canvas');
    const before = await pcpCanvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
    // Add the second-best group from the table.
    await rowOf(BY_IQM[1].key).getByRole('checkbox').check();
    await expect.poll(() => page.getByTestId('hparams-selected').textContent()).toBe('4 run(s) selected');
    expect(await page.getByTestId('hparams-pcp').getAttribute('data-highlighted')).toBe('2');
    expect(await pcpCanvas.evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(before);

    await page.getByRole('group', { name: 'one row per' }).getByRole('button', { name: 'run', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(12);
    const selected = page.locator('[data-testid="hparams-table"] tbody tr[data-selected="true"]');
    expect(await selected.count()).toBe(4);
    expect(await selected.locator('[data-param="learningRate"]').allTextContents()).toEqual(['0.001', '0.001', '0.001', '0.001']);
    expect(await page.getByTestId('hparams-pcp').getAttribute('data-highlighted')).toBe('4');
    await page.getByRole('group', { name: 'one row per' }).getByRole('button', { name: 'group', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(6);
  });

  it('fits 1024×700 without scrolling sideways', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await expect.poll(() => ink(page.getByTestId('hparams-pcp').locator('canvas'))).toBeGreaterThan(3_000);
    await screenshot(page, 'hparams-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('opens Compare on the selected runs, grouped as here, with the group selected last highlighted', async () => {
    await page.getByRole('button', { name: 'Open in Compare' }).click();
    await expect.poll(() => page.locator('#tab-compare').getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.getByText('4 run(s) selected in Runs', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByText('grouped by learningRate, objective').count()).toBe(1);
    const panel = page.locator('[data-testid="chart-panel"][data-metric="eval/mean_return"]');
    await expect.poll(() => panel.getAttribute('data-groups'), { timeout: 30_000 }).toBe('2');
    const legend = await panel.getByRole('list').getByRole('button').allTextContents();
    expect(legend.map((t) => t.replace(/\s*\(.*$/, '').trim()).sort()).toEqual([BY_IQM[0].key, BY_IQM[1].key].sort());
    // The group selected last is highlighted: its curve drawn opaque, the other's faded.
    const swatch = async (key: string): Promise<[number, number, number]> => {
      const css = await panel.getByRole('button', { name: new RegExp(`^${key.replaceAll('.', '\\.')} \\(`) }).locator('.swatch').evaluate((el) => getComputedStyle(el).backgroundColor);
      return (css.match(/\d+/g) ?? []).slice(0, 3).map(Number) as [number, number, number];
    };
    const opaque = (rgb: [number, number, number]): Promise<number> =>
      panel.locator('canvas').evaluate((c: HTMLCanvasElement, [r, g, b]) => {
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && Math.abs(data[i] - r) < 10 && Math.abs(data[i + 1] - g) < 10 && Math.abs(data[i + 2] - b) < 10) n++;
        return n;
      }, rgb);
    expect(await opaque(await swatch(BY_IQM[1].key))).toBeGreaterThan(200);
    expect(await opaque(await swatch(BY_IQM[0].key))).toBeLessThan(20);
    await screenshot(page, 'hparams-compare');
    expect(pageErrors).toEqual([]);
  });
});
