/**
 * `npm run bench -- charts`: chart drawing in Debian's Chromium, one measurement per file under bench/charts/ (each
 * a `ChartMeasurement` printing its figures against its target), sharing one browser and the helpers of
 * bench/charts/harness.ts. To add one: write bench/charts/<name>.ts exporting a ChartMeasurement (and, for a page
 * of real components, an entry under bench/charts/pages/ bundled with `bundlePage`), and list it below.
 * Pass measurement names to run a subset: `node bin/run-ts.mjs bench/charts.ts hparams-pcp`.
 */
import { compareView } from './charts/compare';
import { loadAverage, withChromium, type ChartMeasurement } from './charts/harness';
import { hparamsPcp } from './charts/hparams-pcp';

const MEASUREMENTS: ChartMeasurement[] = [compareView, hparamsPcp];

export async function runChartBench(names: readonly string[] = []): Promise<void> {
  const chosen = MEASUREMENTS.filter((m) => names.length === 0 || names.includes(m.name));
  console.log(`Before: ${loadAverage()}`);
  await withChromium(async (browser) => {
    for (const measurement of chosen) await measurement.run(browser);
  });
  console.log(`After: ${loadAverage()}`);
}

const invokedDirectly = typeof process !== 'undefined' && process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split(/[\\/]/).pop() ?? '\0');
if (invokedDirectly) await runChartBench(process.argv.slice(2));
