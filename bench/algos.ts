/**
 * Algorithm speed benchmark: each algorithm's tuned preset (RL Zoo ppo.yml / a2c.yml / trpo.yml; REINFORCE's own
 * `tuned`) on CartPole-v1 and Pendulum-v1, each in a fresh Node process with the trainer's own backend choice
 * (`auto`: every available backend is proven and the fastest on this model taken), reporting environment steps per
 * wall-clock second (rollout + update, as SB3's time/fps), per CPU-second, and the rollout/update split.
 *
 * Reference figures: Stable-Baselines3 / sb3-contrib on the same presets, torch pinned to one thread
 * (`bench/sb3/speed.py`, run beside this one when a Python with torch, gymnasium and the SB3 sources is given by
 * `--sb3-python PATH --sb3-path DIR`); otherwise the figures recorded in bench/results/sb3-speed.json, if any.
 * The goal is ≥ 2× the reference on every row.
 *
 * Run: `npm run bench -- algos` or `node bin/run-ts.mjs bench/algos.ts [--steps N] [--algos a2c,trpo]
 * [--envs CartPole-v1] [--backend wasm]`. Results go to bench/results/algos-speed.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ALGORITHMS, type Algorithm, type TrainConfig } from '../src/core/training/config';
import { resolvePreset, TUNED_PRESET } from '../src/core/training/presets';
import { train } from '../src/trainer/train';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface AlgoCase {
  algorithm: Algorithm;
  env: string;
  steps: number;
  backend: TrainConfig['backend'];
}

export interface AlgoBenchRow {
  algorithm: Algorithm;
  env: string;
  preset: string;
  backend: string;
  steps: number;
  /** Steps per second of the training loop, from the backend's choice to the last update: what SB3's `learn()` times. */
  sps: number;
  spsPerCpuSecond: number;
  /** Steps per second of the whole `train()` call: state, backend checks and calibration, loop, final evaluation. */
  wholeRunSps: number;
  rolloutSeconds: number;
  updateSeconds: number;
  wallSeconds: number;
}

/** One case, in this process (the child side). */
async function measureCase(c: AlgoCase): Promise<AlgoBenchRow> {
  const preset = TUNED_PRESET[c.algorithm];
  const config = resolvePreset(preset, c.env, { totalTimesteps: c.steps, backend: c.backend, evalFreq: 0, finalEvalEpisodes: 1, seed: 0 }, c.algorithm);
  // The loop is timed from the backend's choice to the last update, as SB3 times `learn()` (its model is built before).
  let loopStart = { wall: 0, cpu: process.cpuUsage() };
  let loopEnd = { wall: 0, cpu: process.cpuUsage() };
  const result = await train(config, {
    onBackend: () => {
      loopStart = { wall: performance.now(), cpu: process.cpuUsage() };
    },
    onUpdate: () => {
      loopEnd = { wall: performance.now(), cpu: process.cpuUsage() };
    },
  });
  const loopCpu = (loopEnd.cpu.user + loopEnd.cpu.system - (loopStart.cpu.user + loopStart.cpu.system)) / 1e6;
  return {
    algorithm: c.algorithm,
    env: c.env,
    preset,
    backend: result.backend,
    steps: result.stepsDone,
    sps: result.stepsDone / ((loopEnd.wall - loopStart.wall) / 1000),
    spsPerCpuSecond: result.stepsDone / loopCpu,
    wholeRunSps: result.stepsDone / result.wallSeconds,
    rolloutSeconds: result.rolloutSeconds,
    updateSeconds: result.updateSeconds,
    wallSeconds: result.wallSeconds,
  };
}

function measureCaseInChild(c: AlgoCase): AlgoBenchRow {
  const self = fileURLToPath(import.meta.url);
  const runTs = fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url));
  const stdout = execFileSync(process.execPath, [runTs, self, '--case', JSON.stringify(c)], { encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as AlgoBenchRow;
}

/** SB3's steps per second for `algorithm` on `env`: measured now with the given Python, or the recorded figure. */
function referenceSps(algorithm: Algorithm, env: string, steps: number): { sps: number; spsPerCpuSecond: number; source: string } | null {
  const python = flag('sb3-python');
  const sb3Path = flag('sb3-path');
  if (python && sb3Path) {
    const script = fileURLToPath(new URL('./sb3/speed.py', import.meta.url));
    const stdout = execFileSync(python, [script, algorithm, env, String(steps)], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: sb3Path } });
    const row = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { sps: number | null; spsPerCpuSecond: number; versions: string };
    return row.sps === null ? null : { sps: row.sps, spsPerCpuSecond: row.spsPerCpuSecond, source: `measured now (${row.versions})` };
  }
  const recorded = new URL('./results/sb3-speed.json', import.meta.url);
  if (!existsSync(recorded)) return null;
  const rows = (JSON.parse(readFileSync(recorded, 'utf8')) as { rows: { algorithm: string; env: string; sps: number | null; spsPerCpuSecond: number }[]; versions: string; date: string });
  const row = rows.rows.find((r) => r.algorithm === algorithm && r.env === env);
  return row && row.sps !== null ? { sps: row.sps, spsPerCpuSecond: row.spsPerCpuSecond, source: `recorded ${rows.date.slice(0, 10)} (${rows.versions})` } : null;
}

export async function runAlgosBench(): Promise<void> {
  const steps = Number(flag('steps') ?? 50_000);
  const envs = (flag('envs') ?? 'CartPole-v1,Pendulum-v1').split(',');
  const algorithms = (flag('algos') ?? ALGORITHMS.join(',')).split(',') as Algorithm[];
  const backend = (flag('backend') ?? 'auto') as TrainConfig['backend'];
  console.log(
    `Algorithm speed: ${steps} steps per run, tuned presets, backend ${backend}, each in a fresh process; ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()} ` +
      `(training is single-threaded); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  );
  const rows: (AlgoBenchRow & { referenceSps: number | null; referencePerCpuSecond: number | null; referenceSource: string | null })[] = [];
  for (const env of envs) {
    for (const algorithm of algorithms) {
      const row = measureCaseInChild({ algorithm, env, steps, backend });
      const reference = referenceSps(algorithm, env, steps);
      rows.push({ ...row, referenceSps: reference?.sps ?? null, referencePerCpuSecond: reference?.spsPerCpuSecond ?? null, referenceSource: reference?.source ?? null });
      const share = (x: number) => `${((100 * x) / row.wallSeconds).toFixed(0)}%`;
      const ratio = reference
        ? ` SB3 ${reference.sps.toFixed(0)} sps (${reference.spsPerCpuSecond.toFixed(0)} per CPU-second) → ${(row.sps / reference.sps).toFixed(2)}× wall, ` +
          `${(row.spsPerCpuSecond / reference.spsPerCpuSecond).toFixed(2)}× per CPU-second ${row.spsPerCpuSecond >= 2 * reference.spsPerCpuSecond ? '(≥ 2×: met)' : '(< 2×: NOT met)'}`
        : ' (no SB3 figure)';
      console.log(
        `${env.padEnd(12)} ${algorithm.padEnd(9)} ${row.preset.padEnd(5)} ${row.backend.padEnd(9)} ${row.sps.toFixed(0).padStart(6)} sps (${row.spsPerCpuSecond.toFixed(0)} per CPU-second; ` +
          `whole run ${row.wholeRunSps.toFixed(0)} sps, rollout ${share(row.rolloutSeconds)}, update ${share(row.updateSeconds)} of ${row.wallSeconds.toFixed(1)} s) ${ratio}`,
      );
    }
  }
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/algos-speed.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), loadavg: loadavg(), rows }, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const single = flag('case');
  if (single) console.log(JSON.stringify(await measureCase(JSON.parse(single) as AlgoCase)));
  else await runAlgosBench();
}
