/**
 * tfjs backend selection for the trainer process. `tf.setBackend` can resolve false and silently leave another
 * backend active, so the reported backend is always `tf.getBackend()` after the switch.
 *
 * `auto` does not trust a fixed order: it activates every backend that loads here (tfjs-node, wasm with SIMD, cpu),
 * times a short workload on each (by default one PPO minibatch update of a 64-64 actor-critic; `train` passes its own
 * model), and keeps the fastest. The per-backend figures (ms per workload call) are returned as `calibration`.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { buildLayout } from './nn/actor-critic';
import { networkForward } from './nn/backprop';

export type BackendName = 'tfjs-node' | 'wasm' | 'cpu';

/** tfjs's registered name of each backend. */
const TF_NAME: Record<BackendName, string> = { 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

// Production mode: no debug checks, and no console banner from the cpu backend urging tfjs-node on its first use
// (`auto` already tries tfjs-node first; the banner only cluttered the CLI's output and the run logs).
tf.enableProdMode();

const require = createRequire(import.meta.url);
let wasmPathsSet = false;
const unavailable = new Set<BackendName>();

async function tryBackend(name: BackendName): Promise<boolean> {
  if (unavailable.has(name)) return false;
  try {
    if (name === 'tfjs-node' && !tf.findBackend('tensorflow')) {
      // Optional dependency: absent where libtensorflow could not be downloaded. It registers backend 'tensorflow'.
      await import('@tensorflow/tfjs-node' as string);
    }
    if (name === 'wasm' && !wasmPathsSet) {
      // Single-threaded SIMD binary: multi-threaded wasm does not work under Node.
      setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + '/');
      wasmPathsSet = true;
    }
    const ok = (await tf.setBackend(TF_NAME[name])) && tf.getBackend() === TF_NAME[name];
    if (!ok) unavailable.add(name);
    return ok;
  } catch {
    unavailable.add(name);
    return false;
  }
}

/** Proxima's name of the active tfjs backend. */
export function activeBackend(): string {
  const name = tf.getBackend();
  return name === 'tensorflow' ? 'tfjs-node' : name;
}

/** Default calibration workload: forward + backward of a 64-64 tanh actor-critic (CartPole shapes) on 64 rows. */
export function defaultWorkload(): () => void {
  const layout = buildLayout({
    obsDim: 4, action: { kind: 'discrete', n: 2 }, sharedLayers: [], piLayers: [64, 64], vfLayers: [64, 64], activation: 'tanh', useSde: false,
  });
  const params = new Float32Array(layout.size).map((_, i) => Math.sin(i) * 0.1);
  const obs = new Float32Array(64 * 4).map((_, i) => Math.cos(i));
  const grad = new Float32Array(layout.size);
  return () => {
    const pass = networkForward(layout, params, obs, 64);
    pass.backward(new Float32Array(64 * 2).fill(0.01), new Float32Array(64).fill(0.01), grad);
    pass.dispose();
  };
}

/** Median milliseconds per call of `workload` on the active backend, after warm-up. */
async function timeWorkload(workload: () => void, reps: number): Promise<number> {
  for (let i = 0; i < 5; i++) workload();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    workload();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Activates the requested backend and reports the one really active. For `auto`, calibrates every loadable backend
 * with `workload` (ms per call, median of `reps`) and activates the fastest; `calibration` holds the figures.
 */
export async function initBackend(
  requested: 'auto' | BackendName,
  workload: () => void = defaultWorkload(),
  reps = 15,
): Promise<{ backend: string; calibration?: Record<string, number> }> {
  if (requested !== 'auto') {
    if (await tryBackend(requested)) return { backend: activeBackend() };
    throw new Error(`tfjs backend ${requested} is not available (active: ${tf.getBackend() ?? 'none'})`);
  }
  const calibration: Record<string, number> = {};
  for (const name of ['tfjs-node', 'wasm', 'cpu'] as const) {
    if (await tryBackend(name)) calibration[name] = await timeWorkload(workload, reps);
  }
  const ranked = Object.entries(calibration).sort((a, b) => a[1] - b[1]);
  if (ranked.length === 0) throw new Error('no tfjs backend is available');
  const best = ranked[0][0] as BackendName;
  if (!(await tryBackend(best))) throw new Error(`tfjs backend ${best} calibrated but could not be re-activated`);
  return { backend: activeBackend(), calibration };
}
