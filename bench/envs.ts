// Environment throughput: steps per CPU-second for each classic-control env, through the public single-env API
// (makeEnv: TimeLimit + OrderEnforcing, a fresh observation per step) and through vector envs of 8 and 64 copies
// (same-step autoreset, reused buffers). Targets are 50× Gymnasium's CPython rates where the issue gives one.
// Run: `node bin/run-ts.mjs bench/envs.ts [--repeat N]` (also called from the bench index via runEnvBench()). With
// --repeat N (default 5) each case is timed N times after its warm-up and the fastest is reported, as Python's timeit
// does: on a shared machine other tenants only ever slow a timing down, so the fastest is the best estimate of the
// code's own speed (the slowest is printed too, to show the spread).
// Each (env, numerics) case runs in a fresh Node process, as a trainer process runs one env: in one process the
// JIT's feedback from earlier cases (other env classes through the shared wrappers, the other numerics' functions at
// the same call sites) would slow the later ones by 10-25% and make the figures depend on the order of the table.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENV_IDS, type EnvId, type Numerics, makeEnv } from '../src/core/envs/index';
import { makeVectorEnv } from '../src/core/envs/vector-env';
import { createRng } from '../src/core/rng/index';

/** Gymnasium (CPython) single-env steps/s on this kind of machine, from the issue; null where it gives none. */
const GYMNASIUM_RATE: Record<EnvId, number | null> = {
  'CartPole-v1': 2e5,
  'Acrobot-v1': 3.5e4,
  'MountainCar-v0': null,
  'MountainCarContinuous-v0': null,
  'Pendulum-v1': 1e5,
};
const TARGET_FACTOR = 50;
const SECONDS_PER_CASE = 0.4;
const WARMUP_SECONDS = 0.3;

/** A fixed cycle of random valid actions, so the timing measures the env and not the action source. */
function actionCycle(id: EnvId, length: number): number[] {
  const rng = createRng(12345);
  const space = makeEnv(id).actionSpace;
  return Array.from({ length }, () => (space.type === 'Discrete' ? rng.integer(space.n) : Math.fround((rng.random() * 2 - 1) * space.high[0])));
}

/** CPU milliseconds of this process (user + system): a shared, loaded machine skews wall-clock rates. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Steps per CPU-second of `chunk`, run for about `seconds` of CPU time. */
function timeLoop(seconds: number, chunk: (n: number) => number): number {
  const start = cpuMs();
  let steps = 0;
  while (cpuMs() - start < seconds * 1000) steps += chunk(1000);
  return steps / ((cpuMs() - start) / 1000);
}

/** Timings per case (`--repeat N`, default 5); the fastest is reported. */
const REPEATS = (() => {
  const i = typeof process === 'undefined' ? -1 : process.argv.indexOf('--repeat');
  const n = i < 0 ? 5 : Number(process.argv[i + 1]);
  return Number.isInteger(n) && n >= 1 ? n : 1;
})();

/** [fastest, slowest] of REPEATS timings, in steps per CPU-second. */
type Rates = [number, number];

function repeatedRates(chunk: (n: number) => number): Rates {
  const rates = Array.from({ length: REPEATS }, () => timeLoop(SECONDS_PER_CASE, chunk));
  return [Math.max(...rates), Math.min(...rates)];
}

function benchSingle(id: EnvId, numerics: Numerics): Rates {
  const env = makeEnv(id, { numerics });
  const discrete = env.actionSpace.type === 'Discrete';
  const actions = actionCycle(id, 4096);
  const boxActions = actions.map((a) => Float32Array.of(a));
  env.reset({ seed: 0 });
  let k = 0;
  const chunk = (n: number): number => {
    for (let i = 0; i < n; i++) {
      const a = discrete ? actions[k & 4095] : boxActions[k & 4095];
      k++;
      const result = env.step(a);
      if (result[2] || result[3]) env.reset();
    }
    return n;
  };
  timeLoop(WARMUP_SECONDS, chunk);
  return repeatedRates(chunk);
}

function benchVector(id: EnvId, numEnvs: number, numerics: Numerics): Rates {
  const vec = makeVectorEnv(id, numEnvs, { numerics });
  const cycle = actionCycle(id, 4096);
  const batches = Array.from({ length: 64 }, (_, b) => Float32Array.from({ length: numEnvs }, (_, i) => cycle[(b * numEnvs + i) & 4095]));
  vec.reset({ seed: 0 });
  let k = 0;
  const chunk = (n: number): number => {
    const calls = Math.max(1, Math.round(n / numEnvs));
    for (let i = 0; i < calls; i++) vec.step(batches[k++ & 63]);
    return calls * numEnvs;
  };
  timeLoop(WARMUP_SECONDS, chunk);
  return repeatedRates(chunk);
}

function fmt(x: number | null): string {
  return x === null ? '—' : x.toExponential(2);
}

/** "fastest (slowest)". */
function fmtRates([fastest, slowest]: Rates): string {
  return `${fmt(fastest)} (${fmt(slowest)})`;
}

/** The rates of one case (single, vec 8, vec 64), measured in this process (the child side of runEnvBench). */
function measureCase(id: EnvId, numerics: Numerics): [Rates, Rates, Rates] {
  return [benchSingle(id, numerics), benchVector(id, 8, numerics), benchVector(id, 64, numerics)];
}

/** Runs one case in a fresh Node process (bin/run-ts.mjs this file --case ID NUMERICS) and reads its JSON line. */
function measureCaseInChild(id: EnvId, numerics: Numerics): [Rates, Rates, Rates] {
  const self = fileURLToPath(import.meta.url);
  const runTs = fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url));
  const stdout = execFileSync(process.execPath, [runTs, self, '--case', id, numerics, '--repeat', String(REPEATS)], { encoding: 'utf8' });
  const rates: unknown = JSON.parse(stdout.trim().split('\n').pop() ?? '');
  const valid = Array.isArray(rates) && rates.length === 3 && rates.every((r) => Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number'));
  if (!valid) throw new Error(`bench case ${id} ${numerics} printed ${stdout}`);
  return rates as [Rates, Rates, Rates];
}

export async function runEnvBench(): Promise<void> {
  const rows: string[][] = [['env', 'numerics', 'single', 'vec 8', 'vec 64', 'target (50× gym)', 'met (single/8/64)']];
  for (const id of ENV_IDS) {
    for (const numerics of ['glibc', 'native'] as const) {
      const [single, vec8, vec64] = measureCaseInChild(id, numerics);
      const ref = GYMNASIUM_RATE[id];
      const target = ref === null ? null : ref * TARGET_FACTOR;
      const met = target === null ? 'n/a' : [single, vec8, vec64].map(([fastest]) => (fastest >= target ? 'yes' : 'no')).join('/');
      rows.push([id, numerics, fmtRates(single), fmtRates(vec8), fmtRates(vec64), fmt(target), met]);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`Environment steps per CPU-second: fastest (slowest) of ${REPEATS} timings; single env through makeEnv, vector envs count env-steps; each row in a fresh process.`);
  console.log("numerics 'glibc' (default) replays Gymnasium to the bit; 'native' uses Math.sin/cos (see src/core/envs/numeric).");
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

const invokedDirectly = typeof process !== 'undefined' && process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split(/[\\/]/).pop() ?? '\0');
if (invokedDirectly) {
  const i = process.argv.indexOf('--case');
  if (i < 0) await runEnvBench();
  else {
    const [id, numerics] = process.argv.slice(i + 1, i + 3);
    if (!(ENV_IDS as readonly string[]).includes(id) || (numerics !== 'glibc' && numerics !== 'native')) throw new Error(`usage: envs.ts --case ENV_ID glibc|native`);
    console.log(JSON.stringify(measureCase(id as EnvId, numerics)));
  }
}
