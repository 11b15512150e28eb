/**
 * PPO speed benchmark: the RL Zoo CartPole-v1 and Pendulum-v1 presets (and CleanRL's CartPole defaults) for 1e5
 * steps on every tfjs backend that passes its check here, reporting environment steps per second (rollout + update,
 * as SB3's time/fps), the split between rollout and update time, ms per PPO update (all epochs) and the update's
 * GFLOP/s (network FLOPs from core/training/flops.ts; bench/speed.ts sets them against the backend's peak). Reference
 * points on one core of this kind of machine: SB3 (PyTorch) ≈ 5,200 sps on the CartPole preset and ≈ 3,100 on
 * Pendulum; CleanRL ≈ 7,500 on its own CartPole defaults.
 *
 * Where tfjs-node is installed it runs twice: with Proxima's native settings (NATIVE_ENV in src/trainer/tf-backend.ts:
 * one TensorFlow thread per pool, oneDNN off) and with TensorFlow's defaults ("tfjs-node/TF defaults"), so the
 * choice of settings stays measured. Each case runs in a fresh Node process (TensorFlow reads its settings once per
 * process, and no case inherits JIT feedback from another); the cases of one env alternate backends.
 *
 * sps is wall-clock, like SB3's time/fps; "per CPU-second" divides by the child's CPU time instead, which stays
 * meaningful when other work shares the cores (the load average is printed).
 *
 * Run: `npm run bench -- ppo` or `node bin/run-ts.mjs bench/ppo.ts [--steps N] [--backends wasm,cpu]
 * [--presets CartPole-v1,Pendulum-v1]`. Results also go to bench/results/ppo-speed.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeVectorEnv } from '../src/core/envs/vector-env';
import { derivedSizes } from '../src/core/training/config';
import { ppoFlops } from '../src/core/training/flops';
import { METRIC } from '../src/core/metrics/keys';
import { buildLayout, modelSpecOf } from '../src/core/training/network-layout';
import { resolvePreset } from '../src/core/training/presets';
import type { BackendName } from '../src/core/protocol/trainer';
import { initBackend } from '../src/trainer/tf-backend';
import { train } from '../src/trainer/train';

const SB3_SPS: Record<string, number> = { 'CartPole-v1': 5200, 'Pendulum-v1': 3100 };
/** CleanRL ppo.py on its own CartPole-v1 defaults, one core. */
const CLEANRL_CARTPOLE_SPS = 7500;

/** TensorFlow's own defaults (0 = let TensorFlow choose), for the comparison row. */
const TF_DEFAULTS = { TF_NUM_INTRAOP_THREADS: '0', TF_NUM_INTEROP_THREADS: '0', TF_ENABLE_ONEDNN_OPTS: '1' };

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export interface BenchCase {
  env: string;
  preset: 'zoo' | 'cleanrl';
  backend: BackendName;
  /** tfjs-node with TensorFlow's default settings instead of Proxima's. */
  tfDefaults: boolean;
  steps: number;
}

export interface PpoBenchRow {
  env: string;
  preset: 'zoo' | 'cleanrl';
  /** The backend really used, with "/TF defaults" for the tfjs-node comparison row. */
  backend: string;
  steps: number;
  /** Steps per wall-clock second (what SB3's time/fps measures). */
  sps: number;
  /** Steps per second of the child's CPU time: robust to other load on a shared machine. */
  spsPerCpuSecond: number;
  rolloutSeconds: number;
  updateSeconds: number;
  /** ms per PPO update (every epoch and minibatch of one rollout). */
  updateMs: number;
  wallSeconds: number;
  finalEval: number | null;
  /** SB3's figure for zoo presets, CleanRL's for its own CartPole defaults. */
  referenceSps: number;
  /** Epochs run over all updates (train/epochs_done summed; fewer than nEpochs per update after target-KL stops). */
  epochsDone: number;
  /** Network FLOPs per env step of the preset (core/training/flops.ts: forward + backward of every epoch, + rollout). */
  flopsPerEnvStep: number;
  /** Achieved GFLOP/s of the updates: forward + backward FLOPs of the epochs run / update wall time. */
  updateGflops: number;
}

/** One case, in this process (the child side). */
async function measureCase(c: BenchCase): Promise<PpoBenchRow> {
  const config = resolvePreset(c.preset, c.env, { totalTimesteps: c.steps, backend: c.backend, evalFreq: 0, finalEvalEpisodes: 5, seed: 0 });
  const cpuStart = process.cpuUsage();
  let epochsDone = 0;
  const result = await train(config, { onUpdate: (_step, metrics) => (epochsDone += metrics[METRIC.epochsDone] ?? 0) });
  const cpu = process.cpuUsage(cpuStart);
  const updates = result.stepsDone / derivedSizes(config).bufferSize;
  const env = makeVectorEnv(config.envId, 1);
  const flops = config.algorithm === 'ppo' ? ppoFlops(buildLayout(modelSpecOf(config, env.obsDim, env.singleActionSpace)), config) : null;
  const rowFlops = flops ? flops.network.forward + flops.network.backward : NaN;
  return {
    env: c.env,
    preset: c.preset,
    backend: result.backend + (c.tfDefaults ? '/TF defaults' : ''),
    steps: result.stepsDone,
    sps: result.stepsDone / result.wallSeconds,
    spsPerCpuSecond: result.stepsDone / ((cpu.user + cpu.system) / 1e6),
    rolloutSeconds: result.rolloutSeconds,
    updateSeconds: result.updateSeconds,
    updateMs: (1000 * result.updateSeconds) / updates,
    wallSeconds: result.wallSeconds,
    finalEval: result.finalEval?.mean ?? null,
    referenceSps: c.preset === 'zoo' ? (SB3_SPS[c.env] ?? NaN) : CLEANRL_CARTPOLE_SPS,
    epochsDone,
    flopsPerEnvStep: flops?.perEnvStep ?? NaN,
    updateGflops: (epochsDone * (flops?.rowsPerEpoch ?? NaN) * rowFlops) / result.updateSeconds / 1e9,
  };
}

/** Runs one case in a fresh Node process (bin/run-ts.mjs this file --case JSON) and reads its JSON line. */
export function measureCaseInChild(c: BenchCase): PpoBenchRow {
  const self = fileURLToPath(import.meta.url);
  const runTs = fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url));
  const env = { ...process.env, ...(c.tfDefaults ? TF_DEFAULTS : {}) };
  const stdout = execFileSync(process.execPath, [runTs, self, '--case', JSON.stringify(c)], { encoding: 'utf8', env });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as PpoBenchRow;
}

export async function runPpoBench(): Promise<void> {
  const steps = Number(flag('steps') ?? 100_000);
  const envs = (flag('presets') ?? 'CartPole-v1,Pendulum-v1').split(',');
  const requested = (flag('backends') ?? 'tfjs-node,wasm,cpu').split(',') as BackendName[];
  // Keep only the backends that pass their check on this machine, and say why the others do not.
  const backends: BackendName[] = [];
  for (const b of requested) {
    try {
      await initBackend(b);
      backends.push(b);
    } catch (error) {
      console.log(`backend ${b}: skipped (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  console.log(
    `PPO speed: ${steps} steps per run, each in a fresh process; ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()} ` +
      `(training is single-threaded); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  );
  const cases: BenchCase[] = [];
  const variants = (env: string, preset: BenchCase['preset']): void => {
    for (const backend of backends) {
      cases.push({ env, preset, backend, tfDefaults: false, steps });
      if (backend === 'tfjs-node') cases.push({ env, preset, backend, tfDefaults: true, steps });
    }
  };
  for (const env of envs) variants(env, 'zoo');
  // CleanRL's own CartPole defaults against CleanRL's figure, on every backend too.
  if (!flag('presets')) variants('CartPole-v1', 'cleanrl');

  const rows: PpoBenchRow[] = [];
  for (const c of cases) {
    const row = measureCaseInChild(c);
    rows.push(row);
    const share = (x: number) => `${((100 * x) / row.wallSeconds).toFixed(0)}%`;
    const who = c.preset === 'zoo' ? 'SB3' : 'CleanRL';
    console.log(
      `${row.env.padEnd(12)} ${row.preset.padEnd(7)} ${row.backend.padEnd(22)} ${row.sps.toFixed(0).padStart(6)} sps (${row.spsPerCpuSecond.toFixed(0)} per CPU-second)  ` +
        `update ${row.updateMs.toFixed(1)} ms = ${row.updateGflops.toFixed(2)} GFLOP/s  (rollout ${row.rolloutSeconds.toFixed(1)} s = ${share(row.rolloutSeconds)}, update ${row.updateSeconds.toFixed(1)} s = ${share(row.updateSeconds)}, ` +
        `wall ${row.wallSeconds.toFixed(1)} s)  ${who} ≈ ${row.referenceSps} sps → ${row.sps >= row.referenceSps ? 'met' : 'NOT met'}  [final eval ${row.finalEval?.toFixed(1)}]`,
    );
  }

  // Side by side: one line per env/preset, sps and ms per update for each backend.
  const columns = [...new Set(rows.map((r) => r.backend))];
  console.log(`\n${'steps/s (ms per update)'.padEnd(22)} ${columns.map((c) => c.padStart(24)).join('')}`);
  for (const key of [...new Set(rows.map((r) => `${r.env} ${r.preset}`))]) {
    const cells = columns.map((c) => {
      const r = rows.find((x) => `${x.env} ${x.preset}` === key && x.backend === c);
      return (r ? `${r.sps.toFixed(0)} (${r.updateMs.toFixed(1)})` : '—').padStart(24);
    });
    console.log(`${key.padEnd(22)} ${cells.join('')}`);
  }
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/ppo-speed.json', import.meta.url),
    JSON.stringify({ date: new Date().toISOString(), loadAverage: loadavg(), rows }, null, 2),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const single = flag('case');
  if (single) console.log(JSON.stringify(await measureCase(JSON.parse(single) as BenchCase)));
  else await runPpoBench();
}
