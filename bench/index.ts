/**
 * `npm run bench`: every benchmark but the demonstrations, each printing its figures and targets. Pass names to run a
 * subset: `npm run bench -- envs store`, `npm run bench -- demos --template why-clip`.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const suites = [
  { name: 'envs', file: 'envs.ts', run: 'runEnvBench' },
  { name: 'ppo', file: 'ppo.ts', run: 'runPpoBench' },
  { name: 'speed', file: 'speed.ts', run: 'runSpeedBench' },
  { name: 'algos', file: 'algos.ts', run: 'runAlgosBench' },
  { name: 'store', file: 'store.ts', run: 'runStoreBench' },
  { name: 'store-pg', file: 'store.ts', run: 'runStorePgBench' },
  // Several entries may share a name: `npm run bench -- cluster` runs each of them.
  { name: 'cluster', file: 'cluster-ingest.ts', run: 'runClusterIngestBench' },
  { name: 'charts', file: 'charts.ts', run: 'runChartBench' },
  // The demonstrations train for minutes each: only when named (`npm run bench -- demos [--template ID]`).
  { name: 'demos', file: 'demos.ts', run: 'runDemosBench', onlyWhenNamed: true },
];

const wanted = process.argv.slice(2);
for (const suite of suites) {
  if (wanted.length > 0 ? !wanted.includes(suite.name) : 'onlyWhenNamed' in suite) continue;
  const url = new URL(suite.file, import.meta.url);
  if (!existsSync(url)) continue;
  console.log(`\n=== ${suite.name} ===`);
  const module = (await import(pathToFileURL(url.pathname).href)) as Record<string, () => Promise<void>>;
  const run = module[suite.run];
  if (typeof run !== 'function') throw new Error(`bench/${suite.file} does not export ${suite.run}()`);
  await run();
}
