/**
 * Charts end to end in web mode (issue 15: bug 3, items 7 and 9), on seeded runs imported as a bundle (no training):
 * the hover highlight never sticks, zoom and pan are shared by the charts of a view and double-click resets them,
 * the crosshair shows in every chart, charts use the page's width and can be enlarged, PNG and SVG exports stand
 * alone (title, legend with every group, axis titles), and a recorded episode exports as GIF and WebM.
 * Screenshots at 1440×900 and 1024×700 land in test-results/screenshots/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chartsBundle, LAST_STEP, REPLAY, SWEEP_A, SWEEP_B } from './charts-fixture';
import { browserUnavailable, launchBrowser, root, screenshot, startWebApp, type WebApp, selectSweep, goTo } from './support';

const unavailable = browserUnavailable();
const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 1024, height: 700 };

/** A download's bytes, also kept in test-results/downloads/ to look at. */
async function saved(download: Download): Promise<Buffer> {
  const dir = join(root, 'test-results', 'downloads');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return readFileSync(path);
}

/** The x window a chart draws, from its data attributes. */
async function xWindow(panel: Locator): Promise<{ min: number; max: number }> {
  const chart = panel.locator('.chart').first();
  return { min: Number(await chart.getAttribute('data-x-min')), max: Number(await chart.getAttribute('data-x-max')) };
}

/** The centre of a chart's canvas, in page coordinates. */
async function centreOf(panel: Locator, fx = 0.5, fy = 0.5): Promise<{ x: number; y: number }> {
  const box = await panel.locator('canvas').first().boundingBox();
  if (!box) throw new Error('chart canvas not laid out');
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

/** Pixels of an image (a data URL) that differ from its top-left pixel (the background). */
async function inkedPixels(page: Page, dataUrl: string): Promise<{ width: number; height: number; inked: number }> {
  return page.evaluate(async (url) => {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) inked++;
    return { width: canvas.width, height: canvas.height, inked };
  }, dataUrl);
}

describe.skipIf(unavailable)('Charts in web mode', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const panels = (): Locator => page.locator('[data-testid="chart-panel"]');
  const panel = (metric: string): Locator => page.locator(`[data-testid="chart-panel"][data-metric="${metric}"]`);

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: WIDE, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
    const imported = await page.evaluate(async (bundle) => {
      const response = await fetch('/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'import.bundle', params: { bundle } }) });
      return (await response.json()) as { value?: { runIds: number[] }; error?: unknown };
    }, chartsBundle());
    if (!imported.value) throw new Error(`import failed: ${JSON.stringify(imported.error)}`);
    expect(imported.value.runIds).toHaveLength(8);
    await page.reload();
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `charts-failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('compares a sweep in charts that use the page width: three columns at 1440 px, one at 1024 px', async () => {
    await goTo(page, 'Compare');
    await selectSweep(page.getByLabel('or sweep'), SWEEP_A.name);
    await expect.poll(() => panel('eval/mean_return').getAttribute('data-groups'), { timeout: 30_000 }).toBe('2');
    await expect.poll(() => panel('rollout/ep_return_mean').getAttribute('data-groups'), { timeout: 30_000 }).toBe('2');
    const columns = (): Promise<number> => page.locator('section .grid').first().evaluate((grid) => getComputedStyle(grid).gridTemplateColumns.split(' ').length);
    expect(await columns()).toBe(3);
    await screenshot(page, 'charts-compare-1440');
    await page.setViewportSize(NARROW);
    await expect.poll(columns).toBe(1);
    // One chart across: the panel takes the content's width, and the page does not scroll sideways.
    const widths = await page.evaluate(() => ({
      panel: document.querySelector('[data-testid="chart-panel"]')!.getBoundingClientRect().width,
      main: document.querySelector('main')!.clientWidth,
      scroll: document.documentElement.scrollWidth,
    }));
    expect(widths.panel).toBeGreaterThan(widths.main - 40);
    expect(widths.scroll).toBeLessThanOrEqual(NARROW.width);
    await screenshot(page, 'charts-compare-1024');
    await page.setViewportSize(WIDE);
  });

  it('never leaves the hover highlight behind: not after a fast exit, not after switching sweeps (bug 3)', async () => {
    const first = panel('eval/mean_return');
    const second = panel('rollout/ep_return_mean');
    const clip = `${SWEEP_A.field}=${SWEEP_A.values[0]}`;
    // Hovering a legend item highlights its group in every chart: the other group is faded.
    await first.getByRole('button', { name: new RegExp(`^${clip}`) }).hover();
    await expect.poll(() => second.getAttribute('data-highlight')).toBe(clip);
    expect(await first.getAttribute('data-faded')).toBe('1');
    expect(await second.getAttribute('data-faded')).toBe('1');
    // Hovering the chart, then leaving it in one jump (no intermediate mouse moves).
    const inside = await centreOf(first);
    await page.mouse.move(inside.x, inside.y);
    await expect.poll(() => first.getAttribute('data-highlight')).not.toBe('');
    await page.mouse.move(inside.x, 5, { steps: 1 });
    await expect.poll(() => first.getAttribute('data-highlight')).toBe('');
    expect(await second.getAttribute('data-faded')).toBe('0');
    // Leaving the plot area for the axis labels (still on the canvas), where Chart.js calls no onHover.
    const box = (await first.locator('canvas').boundingBox())!;
    await page.mouse.move(inside.x, inside.y);
    await expect.poll(() => first.getAttribute('data-highlight')).not.toBe('');
    await page.mouse.move(box.x + 3, box.y + box.height - 3, { steps: 1 });
    await expect.poll(() => first.getAttribute('data-highlight')).toBe('');

    // Switching sweeps under a hovered legend item: the item goes away without a mouseleave. The pointer rests
    // at the end of the legend's last item, where the new sweep's shorter legend leaves nothing to hover (one chart
    // across, so each legend fits on one line).
    await page.setViewportSize(NARROW);
    const klBox = (await first.locator('.legend button').last().boundingBox())!;
    await page.mouse.move(klBox.x + klBox.width - 3, klBox.y + klBox.height / 2);
    await expect.poll(() => first.getAttribute('data-faded')).toBe('1');
    await selectSweep(page.getByLabel('or sweep'), SWEEP_B.name);
    const entropyKey = `${SWEEP_B.field}=${SWEEP_B.values[0]}`;
    await expect.poll(() => first.locator('.legend').textContent(), { timeout: 30_000 }).toContain(entropyKey);
    await page.waitForTimeout(300);
    expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.outerHTML, { x: klBox.x + klBox.width - 3, y: klBox.y + klBox.height / 2 })).not.toMatch(/^<button/);
    for (const p of [first, second]) {
      expect(await p.getAttribute('data-faded')).toBe('0');
      expect(await p.getAttribute('data-highlight')).toBe('');
    }
    await page.setViewportSize(WIDE);
    await selectSweep(page.getByLabel('or sweep'), SWEEP_A.name);
    await expect.poll(() => first.locator('.legend').textContent(), { timeout: 30_000 }).toContain(clip);
  });

  it('draws a crosshair at the same x in every chart of the view while one is hovered', async () => {
    const first = panel('eval/mean_return');
    const second = panel('rollout/ep_return_mean');
    const at = await centreOf(first, 0.6, 0.5);
    await page.mouse.move(at.x, at.y);
    await expect.poll(() => second.locator('.chart').getAttribute('data-crosshair')).not.toBeNull();
    const lines = await panels().locator('.crosshair').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().left - el.closest('.chart')!.getBoundingClientRect().left));
    expect(lines).toHaveLength(2);
    // Same width charts, same x axis: the line sits at the same offset in both, where the pointer is in the first.
    const canvasLeft = (await first.locator('canvas').boundingBox())!.x;
    expect(Math.abs(lines[0] - (at.x - canvasLeft))).toBeLessThanOrEqual(2);
    expect(Math.abs(lines[1] - lines[0])).toBeLessThanOrEqual(2);
    await screenshot(page, 'charts-crosshair');
    await page.mouse.move(at.x, 5);
    await expect.poll(() => panels().locator('.crosshair').count()).toBe(0);
  });

  it('zooms with Ctrl+wheel and drag, pans with Shift+drag, in every chart at once; double-click resets', async () => {
    const first = panel('eval/mean_return');
    const second = panel('rollout/ep_return_mean');
    const full = await xWindow(first);
    expect(full.max).toBeGreaterThanOrEqual(LAST_STEP);
    const at = await centreOf(first, 0.5, 0.5);
    await page.mouse.move(at.x, at.y);
    // A plain wheel scrolls the page, not the chart.
    await page.mouse.wheel(0, -200);
    await page.waitForTimeout(200);
    expect(await xWindow(first)).toEqual(full);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await expect.poll(async () => (await xWindow(first)).max - (await xWindow(first)).min).toBeLessThan(full.max - full.min);
    const wheeled = await xWindow(first);
    expect(wheeled.min).toBeGreaterThan(full.min);
    await expect.poll(() => xWindow(second)).toEqual(wheeled);
    expect(await page.getByTestId('zoom-range').count()).toBe(1);

    // Double-click resets both.
    await page.mouse.dblclick(at.x, at.y);
    await expect.poll(() => xWindow(first)).toEqual(full);
    await expect.poll(() => xWindow(second)).toEqual(full);

    // Drag from 30% to 60% of the canvas: the window narrows to about that span.
    const from = await centreOf(first, 0.3, 0.5);
    const to = await centreOf(first, 0.6, 0.5);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await xWindow(first)).max - (await xWindow(first)).min).toBeLessThan((full.max - full.min) / 2);
    const dragged = await xWindow(first);
    await expect.poll(() => xWindow(second)).toEqual(dragged);
    await screenshot(page, 'charts-zoomed');

    // Shift+drag to the right pans to smaller x, keeping the span.
    await page.keyboard.down('Shift');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(async () => (await xWindow(first)).min).toBeLessThan(dragged.min);
    const panned = await xWindow(first);
    expect(panned.max - panned.min).toBeCloseTo(dragged.max - dragged.min, 0);
    await expect.poll(() => xWindow(second)).toEqual(panned);

    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => xWindow(second)).toEqual(full);
  });

  it('draws the individual seeds under the means when asked, and in the exports', async () => {
    const first = panel('eval/mean_return');
    const picture = (): Promise<string> => first.locator('canvas').evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL());
    const before = await picture();
    await page.getByLabel('individual seeds').check();
    await expect.poll(picture).not.toBe(before);
    const [svg] = await Promise.all([page.waitForEvent('download'), first.getByRole('button', { name: /as SVG/ }).click()]);
    const withSeeds = (await saved(svg)).toString('utf8');
    // One path per group for its seeds, stroked in the group's colour at 45% opacity.
    expect(withSeeds.match(/stroke-opacity="0\.45"/g)?.length ?? 0).toBeGreaterThanOrEqual(SWEEP_A.values.length);
    await screenshot(page, 'charts-seeds-1440');
    await page.getByLabel('individual seeds').uncheck();
    await expect.poll(picture).toBe(before);
  });

  it('enlarges a chart in a dialog that Escape closes', async () => {
    const first = panel('eval/mean_return');
    await first.getByRole('button', { name: 'enlarge eval/mean_return' }).click();
    const dialog = page.getByTestId('chart-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const small = (await first.locator('canvas').boundingBox())!;
    // The enlarged chart sizes itself once the dialog is laid out (Chart.js's resize observer).
    await expect.poll(async () => (await dialog.locator('canvas').boundingBox())?.width ?? 0).toBeGreaterThan(1.5 * small.width);
    expect((await dialog.locator('canvas').boundingBox())!.height).toBeGreaterThan(1.5 * small.height);
    await screenshot(page, 'charts-enlarged-1440');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.setViewportSize(NARROW);
    await first.getByRole('button', { name: 'enlarge eval/mean_return' }).click();
    await expect.poll(() => page.getByTestId('chart-dialog').isVisible()).toBe(true);
    await screenshot(page, 'charts-enlarged-1024');
    await page.getByTestId('chart-dialog').getByRole('button', { name: /^close/ }).click();
    await expect.poll(() => page.getByTestId('chart-dialog').count()).toBe(0);
    await page.setViewportSize(WIDE);
  });

  it('exports PNG and SVG files that stand alone: title, axis titles, a legend with every group', async () => {
    const first = panel('eval/mean_return');
    const [png] = await Promise.all([page.waitForEvent('download'), first.getByRole('button', { name: /as PNG/ }).click()]);
    expect(png.suggestedFilename()).toBe('eval_mean_return.png');
    const pngBytes = await saved(png);
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16–23. Twice the 1200×720 export size.
    expect([pngBytes.readUInt32BE(16), pngBytes.readUInt32BE(20)]).toEqual([2400, 1440]);
    const pixels = await inkedPixels(page, `data:image/png;base64,${pngBytes.toString('base64')}`);
    expect(pixels.inked).toBeGreaterThan(20_000);

    const [svg] = await Promise.all([page.waitForEvent('download'), first.getByRole('button', { name: /as SVG/ }).click()]);
    expect(svg.suggestedFilename()).toBe('eval_mean_return.svg');
    const svgText = (await saved(svg)).toString('utf8');
    const texts = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      if (doc.querySelector('parsererror')) return null;
      return { root: doc.documentElement.tagName, width: doc.documentElement.getAttribute('width'), texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''), paths: doc.querySelectorAll('path').length };
    }, svgText);
    expect(texts).not.toBeNull();
    expect(texts!.root).toBe('svg');
    expect(texts!.width).toBe('1200');
    const all = texts!.texts.join(' | ');
    // The title and the y axis title name the metric; the x axis title, the subtitle, and a legend entry per group.
    expect(texts!.texts.filter((t) => t === 'eval/mean_return'), all).toHaveLength(2);
    expect(texts!.texts, all).toContain('environment steps');
    expect(all).toContain(`sweep ${SWEEP_A.name} · 4 runs · grouped by ${SWEEP_A.field}`);
    for (const value of SWEEP_A.values) expect(texts!.texts, all).toContain(`${SWEEP_A.field}=${value} (2 runs)`);
    // The curves are there as vector paths, not a bitmap.
    expect(texts!.paths).toBeGreaterThan(4);
    expect(svgText).not.toContain('<image');
    // The SVG renders to a non-blank picture.
    const drawn = await inkedPixels(page, `data:image/svg+xml;base64,${Buffer.from(svgText).toString('base64')}`);
    expect(drawn.inked).toBeGreaterThan(10_000);
  });

  it('shares the crosshair and the zoom between the metric charts of Run detail', async () => {
    await goTo(page, 'Runs');
    await page.locator('[data-testid="runs-table"] tbody tr[data-run-id] td button.link').first().click();
    const charts = page.getByTestId('run-metric');
    await expect.poll(() => charts.count(), { timeout: 30_000 }).toBe(2);
    await charts.first().scrollIntoViewIfNeeded();
    const at = await centreOf(charts.first(), 0.5, 0.5);
    await page.mouse.move(at.x, at.y);
    await expect.poll(() => page.locator('[data-testid="run-metric"] .crosshair').count()).toBe(2);
    const full = await xWindow(charts.nth(1));
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await expect.poll(async () => (await xWindow(charts.nth(1))).max - (await xWindow(charts.nth(1))).min).toBeLessThan(full.max - full.min);
    expect(await xWindow(charts.nth(0))).toEqual(await xWindow(charts.nth(1)));
    await screenshot(page, 'charts-run-detail-1440');
    await page.mouse.dblclick(at.x, at.y);
    await expect.poll(() => xWindow(charts.nth(1))).toEqual(full);
    await page.setViewportSize(NARROW);
    await screenshot(page, 'charts-run-detail-1024');
    await page.setViewportSize(WIDE);
  });

  it('exports a recorded episode as an animated GIF and as a WebM video', async () => {
    await goTo(page, 'Replay');
    await page.getByRole('button', { name: 'Recorded' }).click();
    const recorded = page.getByTestId('recorded-replay');
    await recorded.getByLabel('recording').selectOption({ label: (await recorded.locator('option', { hasText: REPLAY.name }).textContent()) ?? '' });
    await expect.poll(() => recorded.getByTestId('replay-canvas').getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/t=0$/);
    await recorded.getByLabel('speed').selectOption('60');
    const exporter = recorded.getByTestId('replay-export');
    expect(await exporter.textContent()).toContain(`Export ${REPLAY.frames} frames at 60/s`);
    await screenshot(page, 'charts-replay-export-1440');

    const [gif] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), exporter.getByRole('button', { name: /animated GIF/ }).click()]);
    expect(gif.suggestedFilename()).toMatch(/^replay-\d+-e2e_charts_episode\.gif$/);
    const gifBytes = await saved(gif);
    expect(gifBytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect([gifBytes.readUInt16LE(6), gifBytes.readUInt16LE(8)]).toEqual([360, 240]);
    // One image descriptor (0x2C after a graphic control extension) per frame.
    let images = 0;
    for (let i = 0; i + 9 < gifBytes.length; i++) if (gifBytes[i] === 0x00 && gifBytes[i + 1] === 0x2c && gifBytes[i - 7] === 0x21 && gifBytes[i - 6] === 0xf9) images++;
    expect(images).toBe(REPLAY.frames);

    const [webm] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), exporter.getByRole('button', { name: /WebM video/ }).click()]);
    expect(webm.suggestedFilename()).toMatch(/\.webm$/);
    const webmBytes = await saved(webm);
    expect(webmBytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
    expect(webmBytes.length).toBeGreaterThan(2_000);
    // The browser plays it back: a video of about frames / fps seconds (in a blank page: the app's CSP allows no
    // media from data: URLs).
    const probe = await browser.newPage();
    const duration = await probe.evaluate(async (b64) => {
      const video = document.createElement('video');
      video.muted = true;
      video.src = `data:video/webm;base64,${b64}`;
      await new Promise((resolve, reject) => ((video.onloadedmetadata = resolve), (video.onerror = () => reject(new Error(`video did not load: ${video.error?.message}`)))));
      // MediaRecorder writes no duration; seeking far makes Chromium compute it.
      if (!Number.isFinite(video.duration)) {
        video.currentTime = 1e6;
        await new Promise((resolve) => (video.ondurationchange = resolve));
      }
      return { duration: video.duration, width: video.videoWidth, height: video.videoHeight };
    }, webmBytes.toString('base64'));
    await probe.close();
    expect([duration.width, duration.height]).toEqual([480, 320]);
    expect(duration.duration).toBeGreaterThan((REPLAY.frames / 60) * 0.5);
    expect(duration.duration).toBeLessThan((REPLAY.frames / 60) * 2 + 0.5);
    expect(pageErrors).toEqual([]);
  });
});
