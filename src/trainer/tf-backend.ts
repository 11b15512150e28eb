/**
 * tfjs backend selection for the trainer process.
 *
 * A backend is used only once it has been proven on this run's model: it must activate (`tf.setBackend` can
 * resolve false and leave another backend active, so the truth is `tf.getBackend()` afterwards), run one forward +
 * backward without throwing, and give the gradient the pure-JS cpu backend gives, within float32 tolerance. A
 * native build can pass `setBackend` and then throw on every op (tfjs-node 4.22.0 under Node >= 23 does, unpatched),
 * or compute wrong numbers; either way it fails its check, with the real error kept for the run log, the CLI and
 * the About panel.
 *
 * - `auto` checks every candidate in `AUTO_ORDER`, times the passing ones on the same workload (the same warm-up
 *   and the same number of timed calls each, interleaved in rounds so drifting machine load is shared), and keeps
 *   the fastest. A candidate that fails is skipped, and the selection says which and why.
 * - A forced backend is checked the same way; if it fails, `initBackend` throws with the real error, and the run
 *   fails with it.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendCheck, BackendName } from '../core/protocol/trainer';
import { buildLayout, type Layout } from './nn/actor-critic';
import { networkForward } from './nn/backprop';

/** The order `auto` considers backends in (ties in calibration keep the earlier one). */
export const AUTO_ORDER: readonly BackendName[] = ['tfjs-node', 'wasm', 'cpu'];

/** tfjs's registered name of each backend. */
const TF_NAME: Record<BackendName, string> = { 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

/**
 * TensorFlow's native runtime settings for a trainer process, applied before tfjs-node is first imported unless the
 * user set them. A trainer runs one small network per process, one process per core: TensorFlow's default thread
 * pools (one thread per core, twice over) then only contend with the other trainers and cost more in hand-offs
 * than 64-unit matrix products gain, and oneDNN's kernels are tuned for large batches. Measured on 2 cores with the
 * zoo presets, these settings roughly double native training speed (README, Benchmarks). TF_CPP_MIN_LOG_LEVEL=2
 * keeps TensorFlow's informational banner out of the CLI's output and the run logs.
 */
export const NATIVE_ENV: Readonly<Record<string, string>> = {
  TF_NUM_INTRAOP_THREADS: '1',
  TF_NUM_INTEROP_THREADS: '1',
  TF_ENABLE_ONEDNN_OPTS: '0',
  TF_CPP_MIN_LOG_LEVEL: '2',
};

/**
 * Largest accepted ‖g − g_cpu‖ / ‖g_cpu‖ of a candidate's probe gradient. Other float32 kernels (wasm's and
 * TensorFlow's tanh, other summation orders) give about 1e-5 here; a broken kernel gives errors of order 1.
 */
export const PROBE_TOLERANCE = 1e-3;

/**
 * One forward + backward of the run's model on fixed inputs. Returns the gradient; the array may be reused between
 * calls (the check copies what it keeps).
 */
export type ProbeWorkload = () => Float32Array;

export interface BackendSelection {
  /** Proxima's name of the backend now active. */
  backend: BackendName;
  /** ms per workload call by backend, when `auto` calibrated. */
  calibration?: Record<string, number>;
  /** Every backend considered, in order, with its outcome. */
  checks: BackendCheck[];
}

/** How tfjs-node is found and loaded; replaceable so tests can load a broken build. */
export interface NativeModule {
  /** Whether the package is installed at all (it is an optional dependency). */
  installed(): boolean;
  /** Imports it; it registers backend 'tensorflow'. */
  load(): Promise<unknown>;
}

export interface InitBackendOptions {
  native?: NativeModule;
  /** Timed calls per calibrated backend (after as many warm-up calls). */
  reps?: number;
}

// Production mode: no debug checks, and no console banner from the cpu backend urging tfjs-node on its first use.
tf.enableProdMode();

// Not named `require`: electron-vite's ESM output declares its own `require` shim at the top of the bundle.
const localRequire = createRequire(import.meta.url);
let wasmPathsSet = false;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const installedNative: NativeModule = {
  installed: () => {
    try {
      localRequire.resolve('@tensorflow/tfjs-node/package.json');
      return true;
    } catch {
      return false;
    }
  },
  load: () => {
    for (const [key, value] of Object.entries(NATIVE_ENV)) process.env[key] ??= value;
    return import('@tensorflow/tfjs-node' as string);
  },
};

/**
 * Makes `name` the active backend; a `BackendCheck` with the reason when it cannot. Nothing is cached: a failed
 * import fails again at once (the module loader keeps its error), so each check reports the real cause.
 */
async function activate(name: BackendName, native: NativeModule): Promise<BackendCheck | null> {
  try {
    if (name === 'tfjs-node' && !tf.findBackend('tensorflow')) {
      if (!native.installed()) return { backend: name, status: 'absent', error: '@tensorflow/tfjs-node is not installed' };
      await native.load();
    }
    if (name === 'wasm' && !wasmPathsSet) {
      // Single-threaded SIMD binary: multi-threaded wasm does not work under Node.
      setWasmPaths(dirname(localRequire.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + '/');
      wasmPathsSet = true;
    }
    const switched = await tf.setBackend(TF_NAME[name]);
    if (!switched || tf.getBackend() !== TF_NAME[name]) {
      return { backend: name, status: 'failed', error: `setBackend('${TF_NAME[name]}') left ${tf.getBackend() ?? 'no backend'} active` };
    }
    return null;
  } catch (error) {
    return { backend: name, status: 'failed', error: errorText(error) };
  }
}

function relativeError(gradient: Float32Array, reference: Float32Array): number {
  if (gradient.length !== reference.length) return Infinity;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = gradient[i] - reference[i];
    diff += d * d;
    norm += reference[i] * reference[i];
  }
  // NaN anywhere makes diff NaN; report that as an infinite error.
  const rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
  return Number.isNaN(rel) ? Infinity : rel;
}

/** Activates `name` and checks one workload call against `reference`. */
async function check(name: BackendName, workload: ProbeWorkload, reference: Float32Array, native: NativeModule): Promise<BackendCheck> {
  const failure = await activate(name, native);
  if (failure) return failure;
  let gradient: Float32Array;
  try {
    gradient = workload();
  } catch (error) {
    return { backend: name, status: 'failed', error: errorText(error) };
  }
  const relError = relativeError(gradient, reference);
  if (!(relError <= PROBE_TOLERANCE)) {
    return {
      backend: name,
      status: 'failed',
      relError,
      error: `its gradient differs from the cpu backend's by ${relError.toPrecision(3)} (relative norm; tolerance ${PROBE_TOLERANCE})`,
    };
  }
  return { backend: name, status: 'ok', relError };
}

/** The cpu backend's gradient, the reference every candidate is compared with. */
async function referenceGradient(workload: ProbeWorkload): Promise<Float32Array> {
  const failure = await activate('cpu', installedNative);
  if (failure) throw new Error(`the cpu backend could not be activated: ${failure.error}`);
  return Float32Array.from(workload());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Times `workload` on each backend of `names`: `reps` warm-up calls each, then `reps` timed calls each, spread
 * over interleaved rounds (so a change of machine load during calibration touches every backend alike).
 * Returns the median ms per call by backend.
 */
async function calibrate(names: BackendName[], workload: ProbeWorkload, reps: number, native: NativeModule): Promise<Record<string, number>> {
  const rounds = Math.min(3, reps);
  const times = new Map<BackendName, number[]>(names.map((n) => [n, []]));
  for (const name of names) {
    await activate(name, native);
    for (let i = 0; i < reps; i++) workload();
  }
  for (let round = 0; round < rounds; round++) {
    const perRound = Math.ceil(reps / rounds);
    for (const name of names) {
      await activate(name, native);
      for (let i = 0; i < perRound; i++) {
        const t0 = performance.now();
        workload();
        times.get(name)!.push(performance.now() - t0);
      }
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(times.get(n)!)]));
}

/**
 * Default probe: forward + backward of a 64-64 tanh actor-critic (CartPole shapes) on 64 rows, for a trainer that
 * has no run yet (the About panel). `train` passes its own model's probe.
 */
export function defaultWorkload(): ProbeWorkload {
  const layout: Layout = buildLayout({
    obsDim: 4, action: { kind: 'discrete', n: 2 }, sharedLayers: [], piLayers: [64, 64], vfLayers: [64, 64], activation: 'tanh', useSde: false,
  });
  const params = new Float32Array(layout.size).map((_, i) => Math.sin(i) * 0.1);
  const obs = new Float32Array(64 * 4).map((_, i) => Math.cos(i));
  const dHead = new Float32Array(64 * 2).map((_, i) => 0.01 * Math.sin(3 * i));
  const dValues = new Float32Array(64).map((_, i) => 0.01 * Math.cos(5 * i));
  const grad = new Float32Array(layout.size);
  return () => {
    const pass = networkForward(layout, params, obs, 64);
    try {
      grad.fill(0);
      pass.backward(dHead, dValues, grad);
    } finally {
      pass.dispose();
    }
    return grad;
  };
}

/**
 * Activates the requested backend once it has passed its check, and reports the one really active. For `auto`,
 * checks and calibrates every candidate and activates the fastest that passed. Throws when a forced backend fails
 * its check (with the real error) or when no backend passes.
 */
export async function initBackend(
  requested: 'auto' | BackendName,
  workload: ProbeWorkload = defaultWorkload(),
  options: InitBackendOptions = {},
): Promise<BackendSelection> {
  const native = options.native ?? installedNative;
  const reps = options.reps ?? 15;
  const reference = await referenceGradient(workload);

  if (requested !== 'auto') {
    const result = await check(requested, workload, reference, native);
    if (result.status !== 'ok') throw new Error(`tfjs backend ${requested} ${result.status === 'absent' ? 'is not available' : 'failed'}: ${result.error}`);
    return { backend: requested, checks: [result] };
  }

  const checks: BackendCheck[] = [];
  for (const name of AUTO_ORDER) checks.push(await check(name, workload, reference, native));
  const passed = checks.filter((c) => c.status === 'ok').map((c) => c.backend);
  if (passed.length === 0) throw new Error(`no tfjs backend passed its check: ${checks.map((c) => `${c.backend}: ${c.error}`).join('; ')}`);
  const calibration = await calibrate(passed, workload, reps, native);
  for (const c of checks) if (c.status === 'ok') c.msPerCall = calibration[c.backend];
  const best = passed.reduce((a, b) => (calibration[b] < calibration[a] ? b : a));
  const failure = await activate(best, native);
  if (failure) throw new Error(`tfjs backend ${best} calibrated but could not be re-activated: ${failure.error}`);
  return { backend: best, calibration, checks };
}
