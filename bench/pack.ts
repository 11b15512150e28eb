/**
 * Packing benchmark (issue 19, part 1): M members of a CartPole-v1 zoo sweep (seeds 1..M, learning rates spread
 * around the preset's) trained as one pack (src/trainer/pack) against the same trial trained solo (ppo/learner.ts,
 * the loop of train.ts), in this process, A/B in rounds so drifting machine load is shared: each round times solo,
 * then every pack size. Figures are wall time per iteration per member — the update (all epochs) and the whole
 * iteration (rollout + advantages + update) — after one untimed warm-up iteration, the median over rounds, and the
 * load average at each measurement; and the update's CPU time per member (this process, every thread), which other
 * processes' turns on a shared machine inflate far less than wall time.
 *
 * Run: `npm run bench -- pack` or `node bin/run-ts.mjs bench/pack.ts [--members 1,5,10] [--updates 4] [--rounds 3]
 * [--backends tfjs-node,wasm] [--presets CartPole-v1,Pendulum-v1]`. Results also go to bench/results/pack.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parsePpoConfig, type PpoConfig } from '../src/core/training/config';
import { resolvePreset } from '../src/core/training/presets';
import type { BackendName } from '../src/core/protocol/trainer';
import { createPack, packIteration } from '../src/trainer/pack/pack';
import { ppoLearner } from '../src/trainer/ppo/learner';
import { createTrainingState, rolloutContext } from '../src/trainer/ppo/state';
import { initBackend } from '../src/trainer/tf-backend';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Member m of an M-member sweep of `envId`'s zoo preset: seed m + 1, learning rate ×0.5 … ×1.5 of the preset's. */
function memberConfig(envId: string, backend: BackendName, m: number, members: number): PpoConfig {
  const base = parsePpoConfig(resolvePreset('zoo', envId, { backend }));
  return { ...base, seed: m + 1, learningRate: base.learningRate * (0.5 + (members > 1 ? m / (members - 1) : 0.5)), totalTimesteps: 1e9 };
}

interface Timing {
  /** ms per iteration per member: the update, and rollout + advantages + update. */
  updateMs: number;
  iterationMs: number;
  /** CPU ms of this process per update per member. */
  updateCpuMs: number;
  load: string;
}

/** CPU ms of this process so far (user + system, every thread). */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** A solo trial: `updates` timed iterations after one warm-up. */
function timeSolo(config: PpoConfig, updates: number): Timing {
  const state = createTrainingState(config);
  const learner = ppoLearner(state);
  const rollout = rolloutContext(state, () => {});
  let cpu = 0;
  const iteration = (): number => {
    state.stepsDone += learner.collect(rollout);
    state.iteration += 1;
    const start = performance.now();
    const cpuStart = cpuMs();
    learner.update();
    cpu += cpuMs() - cpuStart;
    return performance.now() - start;
  };
  iteration();
  cpu = 0;
  let update = 0;
  const start = performance.now();
  for (let i = 0; i < updates; i++) update += iteration();
  return { updateMs: update / updates, iterationMs: (performance.now() - start) / updates, updateCpuMs: cpu / updates, load: load() };
}

/** A pack of `configs`: `updates` timed iterations after one warm-up; per member. */
function timePack(configs: PpoConfig[], updates: number): Timing {
  const pack = createPack(configs);
  packIteration(pack);
  let update = 0;
  let cpu = 0;
  const start = performance.now();
  for (let i = 0; i < updates; i++) {
    const it = packIteration(pack);
    update += it.updateSeconds * 1000;
    cpu += it.updateCpuSeconds * 1000;
  }
  const m = configs.length;
  return { updateMs: update / updates / m, iterationMs: (performance.now() - start) / updates / m, updateCpuMs: cpu / updates / m, load: load() };
}

export async function runPackBench(): Promise<void> {
  const sizes = (flag('members') ?? '1,5,10').split(',').map(Number);
  const updates = Number(flag('updates') ?? 4);
  const rounds = Number(flag('rounds') ?? 3);
  const envs = (flag('presets') ?? 'CartPole-v1').split(',');
  const requested = (flag('backends') ?? 'tfjs-node,wasm').split(',') as BackendName[];
  console.log(
    `Packing: zoo preset, ${updates} timed iterations per case after a warm-up, median of ${rounds} rounds (solo, then each pack size);` +
      ` ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}; load average ${load()}`,
  );
  const results: Record<string, unknown>[] = [];
  for (const backend of requested) {
    try {
      await initBackend(backend);
    } catch (error) {
      console.log(`backend ${backend}: skipped (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    for (const envId of envs) {
      const solo: Timing[] = [];
      const packed = new Map<number, Timing[]>(sizes.map((m) => [m, []]));
      for (let r = 0; r < rounds; r++) {
        solo.push(timeSolo(memberConfig(envId, backend, 0, 1), updates));
        for (const m of sizes) packed.get(m)!.push(timePack(Array.from({ length: m }, (_, i) => memberConfig(envId, backend, i, m)), updates));
      }
      const soloUpdate = median(solo.map((t) => t.updateMs));
      const soloIteration = median(solo.map((t) => t.iterationMs));
      const soloCpu = median(solo.map((t) => t.updateCpuMs));
      console.log(`\n${envId} on ${backend}   wall ms per member: update  iteration   CPU ms/member: update   vs solo: update, iteration, update CPU   load average per round`);
      console.log(`  solo          ${soloUpdate.toFixed(1).padStart(21)} ${soloIteration.toFixed(1).padStart(10)}   ${soloCpu.toFixed(1).padStart(21)}   ${''.padStart(38)}   ${solo.map((t) => t.load).join(' | ')}`);
      results.push({ envId, backend, members: 0, updateMs: soloUpdate, iterationMs: soloIteration, updateCpuMs: soloCpu, loads: solo.map((t) => t.load) });
      for (const m of sizes) {
        const times = packed.get(m)!;
        const updateMs = median(times.map((t) => t.updateMs));
        const iterationMs = median(times.map((t) => t.iterationMs));
        const updateCpuMs = median(times.map((t) => t.updateCpuMs));
        const ratio = `${(soloUpdate / updateMs).toFixed(2)}×, ${(soloIteration / iterationMs).toFixed(2)}×, ${(soloCpu / updateCpuMs).toFixed(2)}×`;
        console.log(`  pack of ${String(m).padEnd(4)} ${updateMs.toFixed(1).padStart(21)} ${iterationMs.toFixed(1).padStart(10)}   ${updateCpuMs.toFixed(1).padStart(21)}   ${ratio.padStart(38)}   ${times.map((t) => t.load).join(' | ')}`);
        results.push({ envId, backend, members: m, updateMs, iterationMs, updateCpuMs, loads: times.map((t) => t.load) });
      }
    }
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/pack.json', `${JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, updates, rounds, results }, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runPackBench();
