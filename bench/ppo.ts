/**
 * PPO speed benchmark: the RL Zoo CartPole-v1 and Pendulum-v1 presets (and CleanRL's CartPole defaults) for 1e5
 * steps on every tfjs backend that loads here, reporting environment steps per second (rollout + update, as SB3's time/fps) and the split between
 * rollout and update time. Reference points on one core of this kind of machine: SB3 (PyTorch) ≈ 5,200 sps on the
 * CartPole preset and ≈ 3,100 on Pendulum; CleanRL ≈ 7,500 on its own CartPole defaults.
 *
 * sps is wall-clock, like SB3's time/fps; "per CPU-second" divides by this process's CPU time instead, which stays
 * meaningful when other work shares the cores (the load average is printed).
 *
 * Run: `npm run bench -- ppo` or `node bin/run-ts.mjs bench/ppo.ts [--steps N] [--backends wasm,cpu]
 * [--presets CartPole-v1,Pendulum-v1]`. Results also go to bench/results/ppo-speed.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { resolvePreset } from '../src/core/ppo/presets';
import { initBackend } from '../src/trainer/tf-backend';
import { train } from '../src/trainer/ppo/train';

const SB3_SPS: Record<string, number> = { 'CartPole-v1': 5200, 'Pendulum-v1': 3100 };
/** CleanRL ppo.py on its own CartPole-v1 defaults, one core. */
const CLEANRL_CARTPOLE_SPS = 7500;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export interface PpoBenchRow {
  env: string;
  preset: 'zoo' | 'cleanrl';
  backend: string;
  steps: number;
  /** Steps per wall-clock second (what SB3's time/fps measures). */
  sps: number;
  /** Steps per second of this process's CPU time: robust to other load on a shared machine. */
  spsPerCpuSecond: number;
  rolloutSeconds: number;
  updateSeconds: number;
  wallSeconds: number;
  finalEval: number | null;
  /** SB3's figure for zoo presets, CleanRL's for its own CartPole defaults. */
  referenceSps: number;
}

export async function runPpoBench(): Promise<void> {
  const steps = Number(flag('steps') ?? 100_000);
  const envs = (flag('presets') ?? 'CartPole-v1,Pendulum-v1').split(',');
  let backends = (flag('backends') ?? 'tfjs-node,wasm,cpu').split(',') as ('tfjs-node' | 'wasm' | 'cpu')[];
  // Keep only the backends that load on this machine.
  const available: typeof backends = [];
  for (const b of backends) {
    try {
      await initBackend(b);
      available.push(b);
    } catch {
      console.log(`backend ${b}: not available here, skipped`);
    }
  }
  backends = available;
  console.log(
    `PPO speed: ${steps} steps per run; ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()} (training is single-threaded); ` +
      `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  );
  const rows: PpoBenchRow[] = [];
  const runs: { env: string; preset: 'zoo' | 'cleanrl'; backend: (typeof backends)[number]; reference: number }[] = [];
  for (const env of envs) for (const backend of backends) runs.push({ env, preset: 'zoo', backend, reference: SB3_SPS[env] ?? NaN });
  // CleanRL's own CartPole defaults against CleanRL's figure, on every backend too.
  if (!flag('presets')) for (const backend of backends) runs.push({ env: 'CartPole-v1', preset: 'cleanrl', backend, reference: CLEANRL_CARTPOLE_SPS });
  for (const { env, preset, backend, reference } of runs) {
    const config = resolvePreset(preset, env, { totalTimesteps: steps, backend, evalFreq: 0, finalEvalEpisodes: 5, seed: 0 });
    const cpuStart = process.cpuUsage();
    const result = await train(config, {});
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const row: PpoBenchRow = {
      env,
      preset,
      backend: result.backend,
      steps: result.stepsDone,
      sps: result.stepsDone / result.wallSeconds,
      spsPerCpuSecond: result.stepsDone / cpuSeconds,
      rolloutSeconds: result.rolloutSeconds,
      updateSeconds: result.updateSeconds,
      wallSeconds: result.wallSeconds,
      finalEval: result.finalEval?.mean ?? null,
      referenceSps: reference,
    };
    rows.push(row);
    const share = (x: number) => `${((100 * x) / result.wallSeconds).toFixed(0)}%`;
    const who = preset === 'zoo' ? 'SB3' : 'CleanRL';
    console.log(
      `${env.padEnd(12)} ${preset.padEnd(7)} ${row.backend.padEnd(9)} ${row.sps.toFixed(0).padStart(6)} sps (${row.spsPerCpuSecond.toFixed(0)} per CPU-second)  ` +
        `(rollout ${row.rolloutSeconds.toFixed(1)} s = ${share(row.rolloutSeconds)}, update ${row.updateSeconds.toFixed(1)} s = ${share(row.updateSeconds)}, ` +
        `wall ${row.wallSeconds.toFixed(1)} s)  ${who} ≈ ${reference} sps → ${row.sps >= reference ? 'met' : 'NOT met'}  [final eval ${row.finalEval?.toFixed(1)}]`,
    );
  }
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/ppo-speed.json', import.meta.url),
    JSON.stringify({ date: new Date().toISOString(), loadAverage: loadavg(), rows }, null, 2),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await runPpoBench();
