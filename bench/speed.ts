/**
 * The physical picture of a PPO run (issue 19, "each run faster"): how much arithmetic the preset needs, how fast the
 * updates do it, and how fast the backend can do the same matrix products, so the distance to the limit is visible.
 *
 * For each RL Zoo preset (default CartPole-v1):
 * 1. FLOPs from the layer shapes (core/training/flops.ts): per row forward and backward, per update, per env step.
 * 2. One 1e5-step run in a fresh process (bench/ppo.ts's case runner): achieved GFLOP/s of the updates (the FLOPs of the
 *    epochs run / update wall time) and of the rollout's inference (forward FLOPs / rollout wall time, env included).
 * 3. Microbenchmarks on the backend, in this process: the cost of one tiny op (dispatch); every matMul of one minibatch's
 *    forward and backward pass at the shapes nn/fused-pass.ts runs (each layer input carries a ones column, hidden
 *    outputs one more unit; policy and value side by side); the whole network pass (networkForward + backward, without
 *    loss and optimiser), with the kernels, uploads and readbacks it dispatches (bench/dispatch.ts), against the same
 *    pass as separate paths; and a large square matMul (the backend's arithmetic peak on this core).
 * 4. The rollout's JS inference (nn/inference.ts, and the reference forwardJs) at nEnvs rows.
 * Microbenchmark timings are process CPU time, the fastest of several rounds (on a shared machine other load only
 * slows a timing down, and CPU time does not count other processes' turns on the core); the run's figures are wall
 * time like SB3's. The load average is printed with each.
 *
 * Run: `npm run bench -- speed` or `node bin/run-ts.mjs bench/speed.ts [--steps N] [--presets CartPole-v1,Pendulum-v1]
 * [--backends tfjs-node,wasm] [--no-run]`. Results also go to bench/results/speed.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { makeVectorEnv } from '../src/core/envs/vector-env';
import { ppoFlops, type PpoFlops } from '../src/core/training/flops';
import { buildLayout, modelSpecOf, type Layout, type Linear } from '../src/core/training/network-layout';
import { resolvePreset } from '../src/core/training/presets';
import type { BackendName } from '../src/core/protocol/trainer';
import { forwardJs, initParams } from '../src/trainer/nn/actor-critic';
import { networkForward, separateForward } from '../src/trainer/nn/backprop';
import { fusable } from '../src/trainer/nn/fused-pass';
import { matMulTransposeA } from '../src/trainer/nn/kernels';
import { loadInference } from '../src/trainer/nn/inference';
import { createPrng } from '../src/trainer/nn/prng';
import { initBackend } from '../src/trainer/tf-backend';
import { countDispatch, type DispatchCount } from './dispatch';
import { measureCaseInChild, type PpoBenchRow } from './ppo';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
const giga = (flops: number, seconds: number): number => flops / seconds / 1e9;

/** CPU µs of this process, every thread (user + system): unlike wall time, not inflated by other processes' turns. */
function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/**
 * Fastest CPU µs per call of `body` over `rounds` rounds, after ≥ 200 ms of warm-up (V8 optimises a hot function only
 * after many calls). A round takes ≥ 20 ms, so short ops are timed over many calls.
 */
function fastestMicros(body: () => void, rounds = 7): number {
  let calls = 1;
  const warmUpEnd = cpuMicros() + 200_000;
  for (;;) {
    const t0 = cpuMicros();
    for (let i = 0; i < calls; i++) body();
    if ((cpuMicros() - t0 >= 20_000 && cpuMicros() >= warmUpEnd) || calls >= 1 << 20) break;
    if (cpuMicros() - t0 < 20_000) calls *= 2;
  }
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuMicros();
    for (let i = 0; i < calls; i++) body();
    best = Math.min(best, (cpuMicros() - t0) / calls);
  }
  return best;
}

/** One matrix product [m, k]·[k, n] of a minibatch pass (the left factor stored [k, m] when `transposeA`). */
interface MatmulShape {
  name: string;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
}

/**
 * Every matMul of one forward + backward pass over `batch` rows (ones columns, an extra hidden unit): with `fused`
 * the joint products of nn/fused-pass.ts (policy and value side by side, block-diagonal weights), else
 * nn/backprop.ts's separate layers.
 */
function minibatchMatmuls(layout: Layout, batch: number, fused: boolean): MatmulShape[] {
  const shapes: MatmulShape[] = [];
  if (fused) {
    const members = [[...layout.pi, layout.actionHead], [...layout.vf, layout.valueHead]];
    let inW = layout.spec.obsDim + 1;
    members[0].forEach((_, d) => {
      const hidden = d < layout.pi.length;
      const outW = members[0][d].w.cols + members[1][d].w.cols + (hidden ? 1 : 0);
      const name = hidden ? `depth ${d + 1}` : 'heads';
      shapes.push({ name: `${name} forward`, m: batch, k: inW, n: outW, transposeA: false });
      shapes.push({ name: `${name} ∂W`, m: inW, k: batch, n: outW, transposeA: d > 0 });
      if (d > 0) shapes.push({ name: `${name} ∂x`, m: batch, k: outW, n: inW, transposeA: false });
      inW = outW;
    });
    return shapes;
  }
  const add = (layers: Linear[], hidden: boolean[], fedByObservation: boolean): void => {
    layers.forEach((layer, i) => {
      const inW = layer.w.rows + 1;
      const outW = layer.w.cols + (hidden[i] ? 1 : 0);
      const name = layer.w.name.replace(/\.w$/, '');
      shapes.push({ name: `${name} forward`, m: batch, k: inW, n: outW, transposeA: false });
      shapes.push({ name: `${name} ∂W`, m: inW, k: batch, n: outW, transposeA: false });
      if (!(i === 0 && fedByObservation)) shapes.push({ name: `${name} ∂x`, m: batch, k: outW, n: inW, transposeA: false });
    });
  };
  const trunkless = layout.trunk.length === 0;
  add(layout.trunk, layout.trunk.map(() => true), true);
  add([...layout.pi, layout.actionHead], [...layout.pi.map(() => true), false], trunkless);
  add([...layout.vf, layout.valueHead], [...layout.vf.map(() => true), false], trunkless);
  return shapes;
}

interface BackendMicro {
  backend: string;
  /** µs of one tf.add of two [1] tensors (the per-op dispatch cost). */
  tinyOpMicros: number;
  matmuls: (MatmulShape & { micros: number; gflops: number })[];
  /** Sum of the minibatch's matMul times, and the GFLOP/s of that sum. */
  matmulMicrosPerMinibatch: number;
  matmulGflops: number;
  /** networkForward + backward + dispose at batchSize rows (the fused pass where the network allows). */
  passMicros: number;
  passGflops: number;
  /** What that pass dispatches, and the same pass as separate paths (nn/backprop.ts `separateForward`). */
  dispatch: DispatchCount;
  fused: boolean;
  separate: { passMicros: number; dispatch: DispatchCount };
  /** Large square matMul: size and GFLOP/s. */
  peak: { size: number; gflops: number }[];
}

async function microbenchBackend(backend: string, layout: Layout, flops: PpoFlops, batch: number): Promise<BackendMicro> {
  const prng = createPrng(0);
  const random = (size: number): Float32Array => Float32Array.from({ length: size }, () => prng.normal());
  const a1 = tf.tensor1d([1]);
  const b1 = tf.tensor1d([2]);
  const tinyOpMicros = fastestMicros(() => tf.add(a1, b1).dispose());
  tf.dispose([a1, b1]);

  // The pass networkForward runs on this backend: the joint one where it takes it (nn/backprop.ts).
  const fused = backend === 'tfjs-node' && fusable(layout);
  const matmuls = minibatchMatmuls(layout, batch, fused).map((shape) => {
    const a = tf.tensor2d(random(shape.m * shape.k), shape.transposeA ? [shape.k, shape.m] : [shape.m, shape.k]);
    const b = tf.tensor2d(random(shape.k * shape.n), [shape.k, shape.n]);
    const micros = fastestMicros(() => tf.tidy(() => void (shape.transposeA ? matMulTransposeA(a, b) : tf.matMul(a, b))));
    tf.dispose([a, b]);
    return { ...shape, micros, gflops: giga(2 * shape.m * shape.k * shape.n, micros / 1e6) };
  });
  const matmulMicrosPerMinibatch = matmuls.reduce((sum, x) => sum + x.micros, 0);
  const rowFlops = flops.network.forward + flops.network.backward;

  const params = initParams(layout, true, 0, prng);
  const obs = random(batch * layout.spec.obsDim);
  const dHead = random(batch * layout.headDim).map((x) => 0.01 * x);
  const dValues = random(batch).map((x) => 0.01 * x);
  const grad = new Float32Array(layout.size);
  const passOf = (forward: typeof networkForward) => (): void => {
    const pass = forward(layout, params, obs, batch);
    pass.backward(dHead, dValues, grad);
    pass.dispose();
  };
  const passMicros = fastestMicros(passOf(networkForward));
  const separatePassMicros = fastestMicros(passOf(separateForward));
  const dispatch = await countDispatch(passOf(networkForward));
  const separateDispatch = await countDispatch(passOf(separateForward));

  const peak = [256, 1024].map((size) => {
    const a = tf.tensor2d(random(size * size), [size, size]);
    const b = tf.tensor2d(random(size * size), [size, size]);
    const micros = fastestMicros(() => tf.matMul(a, b).dispose(), 3);
    tf.dispose([a, b]);
    return { size, gflops: giga(2 * size ** 3, micros / 1e6) };
  });
  return {
    backend,
    tinyOpMicros,
    matmuls,
    matmulMicrosPerMinibatch,
    matmulGflops: giga(batch * rowFlops, matmulMicrosPerMinibatch / 1e6),
    passMicros,
    passGflops: giga(batch * rowFlops, passMicros / 1e6),
    dispatch,
    fused,
    separate: { passMicros: separatePassMicros, dispatch: separateDispatch },
    peak,
  };
}

/** µs per rollout-step forward at `rows` observations: the rollout's inference and the reference forwardJs. */
function microbenchInference(layout: Layout, rows: number): { inferenceMicros: number; referenceMicros: number; loadMicros: number } {
  const prng = createPrng(1);
  const params = initParams(layout, true, 0, prng);
  const obs = Float32Array.from({ length: rows * layout.spec.obsDim }, () => prng.normal());
  const inference = loadInference(layout, params);
  return {
    inferenceMicros: fastestMicros(() => inference.forward(obs, rows)),
    referenceMicros: fastestMicros(() => forwardJs(layout, params, obs, rows)),
    loadMicros: fastestMicros(() => loadInference(layout, params)),
  };
}

const describeStack = (layout: Layout, layers: Linear[], head: Linear): string =>
  [layers[0]?.w.rows ?? head.w.rows, ...layers.map((l) => l.w.cols), head.w.cols].join('→');

export async function runSpeedBench(): Promise<void> {
  const steps = Number(flag('steps') ?? 100_000);
  const envs = (flag('presets') ?? 'CartPole-v1').split(',');
  const backends = (flag('backends') ?? 'tfjs-node').split(',') as BackendName[];
  const run = !process.argv.includes('--no-run');
  console.log(`PPO physical picture: ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()} (training uses one core); load average ${load()}`);
  const results: unknown[] = [];
  for (const envId of envs) {
    const config = resolvePreset('zoo', envId, { totalTimesteps: steps, evalFreq: 0, finalEvalEpisodes: 5, seed: 0 });
    const env = makeVectorEnv(envId, 1);
    const layout = buildLayout(modelSpecOf(config, env.obsDim, env.singleActionSpace));
    const flops = ppoFlops(layout, config);
    const row = flops.network.forward + flops.network.backward;
    const trunk = layout.trunk.length > 0 ? `trunk ${layout.trunk.map((l) => l.w.cols).join('-')}, ` : '';
    console.log(
      `\n${envId} zoo: ${trunk}π ${describeStack(layout, layout.pi, layout.actionHead)}, V ${describeStack(layout, layout.vf, layout.valueHead)} (${layout.spec.activation}); ` +
        `${config.nEnvs} envs × ${config.nSteps} steps, minibatch ${config.batchSize}, ${config.nEpochs} epochs`,
    );
    console.log(
      `  FLOPs per row: forward ${(flops.network.forward / 1e3).toFixed(1)} k, backward ${(flops.network.backward / 1e3).toFixed(1)} k; ` +
        `per update ${(flops.perUpdate / 1e6).toFixed(1)} M; per env step ${(flops.perEnvStep / 1e6).toFixed(3)} M ` +
        `(update ${(flops.updatePerEnvStep / 1e6).toFixed(3)} M + rollout ${(flops.rolloutPerEnvStep / 1e3).toFixed(1)} k); ` +
        `per ${steps.toExponential(0)}-step run ${((flops.perEnvStep * steps) / 1e9).toFixed(1)} G`,
    );
    const inference = microbenchInference(layout, config.nEnvs);
    console.log(
      `  rollout inference at ${config.nEnvs} rows (JS): ${inference.inferenceMicros.toFixed(1)} µs per step = ` +
        `${giga(config.nEnvs * flops.network.forward, inference.inferenceMicros / 1e6).toFixed(2)} GFLOP/s ` +
        `(reference forwardJs ${inference.referenceMicros.toFixed(1)} µs, ×${(inference.referenceMicros / inference.inferenceMicros).toFixed(2)}; weights read in ${inference.loadMicros.toFixed(1)} µs per rollout)`,
    );
    for (const backend of backends) {
      try {
        await initBackend(backend);
      } catch (error) {
        console.log(`  backend ${backend}: skipped (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
      let achieved: PpoBenchRow | null = null;
      if (run) {
        achieved = measureCaseInChild({ env: envId, preset: 'zoo', backend, tfDefaults: false, steps });
        const rolloutGflops = giga(achieved.steps * flops.rolloutPerEnvStep, achieved.rolloutSeconds);
        // The microbenchmarks count CPU time; on a loaded machine the run's wall time also holds other processes' turns.
        const cpuShare = achieved.sps / achieved.spsPerCpuSecond;
        console.log(
          `  ${backend} run (${achieved.steps} steps, fresh process, load ${load()}): ${achieved.sps.toFixed(0)} sps, wall ${achieved.wallSeconds.toFixed(1)} s ` +
            `(CPU ${(100 * cpuShare).toFixed(0)}% of wall); updates ${achieved.updateSeconds.toFixed(1)} s = ${achieved.updateGflops.toFixed(2)} GFLOP/s of wall time, ` +
            `≈ ${(achieved.updateGflops / cpuShare).toFixed(2)} per CPU-second (${achieved.updateMs.toFixed(1)} ms per update, ` +
            `${((1000 * achieved.updateMs) / (config.nEpochs * Math.floor((config.nSteps * config.nEnvs) / config.batchSize))).toFixed(0)} µs per minibatch); ` +
            `rollout ${achieved.rolloutSeconds.toFixed(1)} s = ${rolloutGflops.toFixed(2)} GFLOP/s of inference (env included)`,
        );
      }
      const micro = await microbenchBackend(backend, layout, flops, config.batchSize);
      console.log(`  ${backend} microbenchmarks (load ${load()}): one tiny op ${micro.tinyOpMicros.toFixed(1)} µs`);
      for (const m of micro.matmuls) {
        const a = m.transposeA ? `[${m.k}×${m.m}]ᵀ` : `[${m.m}×${m.k}]`;
        console.log(`    matMul ${m.name.padEnd(18)} ${a}·[${m.k}×${m.n}]`.padEnd(58) + `${m.micros.toFixed(1).padStart(7)} µs ${m.gflops.toFixed(2).padStart(6)} GFLOP/s`);
      }
      const perMinibatch = achieved ? (1000 * achieved.updateMs) / (config.nEpochs * Math.floor((config.nSteps * config.nEnvs) / config.batchSize)) : NaN;
      console.log(
        `    one minibatch (${config.batchSize} rows, ${((config.batchSize * row) / 1e6).toFixed(1)} MFLOP): its ${micro.matmuls.length} matMuls alone ${micro.matmulMicrosPerMinibatch.toFixed(0)} µs = ${micro.matmulGflops.toFixed(2)} GFLOP/s; ` +
          `network pass (forward + backward, tfjs) ${micro.passMicros.toFixed(0)} µs = ${micro.passGflops.toFixed(2)} GFLOP/s` +
          (achieved ? `; the run's minibatch step (pass + loss + Adam, wall) ${perMinibatch.toFixed(0)} µs = ${achieved.updateGflops.toFixed(2)} GFLOP/s` : ''),
      );
      const counts = (c: DispatchCount): string => `${c.kernels} kernels, ${c.uploads} uploads, ${c.readbacks} readbacks`;
      console.log(
        micro.fused
          ? `    dispatch per minibatch pass: ${counts(micro.dispatch)} (policy and value side by side, nn/fused-pass.ts); ` +
              `as separate paths ${counts(micro.separate.dispatch)}, ${micro.separate.passMicros.toFixed(0)} µs (×${(micro.separate.passMicros / micro.passMicros).toFixed(2)})`
          : `    dispatch per minibatch pass: ${counts(micro.dispatch)} (separate paths: the joint pass of nn/fused-pass.ts runs on tfjs-node only)`,
      );
      console.log(`    peak: ${micro.peak.map((p) => `matMul ${p.size}³ ${p.gflops.toFixed(1)} GFLOP/s`).join(', ')}`);
      if (achieved) {
        const peak = Math.max(...micro.peak.map((p) => p.gflops));
        console.log(
          `    distance: updates run at ${((100 * achieved.updateGflops) / peak).toFixed(1)}% of the large-matMul peak, ` +
            `${((100 * achieved.updateGflops) / micro.matmulGflops).toFixed(0)}% of the same-shape matMuls' rate`,
        );
      }
      results.push({ env: envId, backend, flops, inference, achieved, micro });
    }
  }
  console.log(`\nload average after: ${load()}`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/speed.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), loadAverage: loadavg(), results }, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await runSpeedBench();
