/**
 * Turning a sweep spec into trials: every grid combination × every random sample × every seed.
 *
 * Random configurations are drawn once (`samples` of them) and crossed with the grid, so grid settings are
 * compared on the same random draws. Order: grid combinations (first axis slowest, keys in spec order), then
 * samples, then seeds — so a trial's seeds are adjacent. A trial's params are overrides + grid values + random
 * draws (camelCase keys); the env and preset stay on the spec.
 */
import { SweepSpecError, type AxisValue, type RandomAxis, type SweepSpec } from './spec';

export interface SweepTrial {
  /** 0-based position in the sweep. */
  index: number;
  params: Record<string, unknown>;
  seed: number;
}

export interface ExpandOptions {
  /**
   * Checks one trial's params (e.g. against the PPO config schema); returns an error message naming the field, or
   * null when the params are valid. Called once per distinct params object (not per seed).
   */
  validateParams?: (params: Record<string, unknown>) => string | null;
}

function cartesian(axes: [string, AxisValue[]][]): Record<string, AxisValue>[] {
  let combos: Record<string, AxisValue>[] = [{}];
  for (const [key, values] of axes) combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  return combos;
}

/** One draw from a random axis with `random` uniform in [0, 1). */
export function drawAxis(axis: RandomAxis, random: () => number): AxisValue {
  if ('values' in axis) return axis.values[Math.min(axis.values.length - 1, Math.floor(random() * axis.values.length))];
  const u = random();
  if (axis.log) {
    const v = Math.exp(Math.log(axis.min) + u * (Math.log(axis.max) - Math.log(axis.min)));
    return axis.int ? Math.min(axis.max, Math.max(axis.min, Math.round(v))) : v;
  }
  if (axis.int) return Math.min(axis.max, axis.min + Math.floor(u * (axis.max - axis.min + 1)));
  return axis.min + u * (axis.max - axis.min);
}

/** The number of trials `spec` expands to. */
export function countTrials(spec: SweepSpec): number {
  const grid = Object.values(spec.grid ?? {}).reduce((n, values) => n * values.length, 1);
  const samples = Object.keys(spec.random ?? {}).length > 0 ? (spec.samples ?? 1) : 1;
  return grid * samples * spec.seeds.length;
}

/**
 * Expands a validated spec (see `parseSweepSpec`) into trials. `random` is a uniform [0, 1) generator (seeded for
 * reproducible random search). Throws SweepSpecError when `validateParams` rejects a trial's params.
 */
export function expandSweep(spec: SweepSpec, random: () => number, options: ExpandOptions = {}): SweepTrial[] {
  const gridCombos = cartesian(Object.entries(spec.grid ?? {}));
  const randomAxes = Object.entries(spec.random ?? {});
  const draws: Record<string, AxisValue>[] =
    randomAxes.length === 0
      ? [{}]
      : Array.from({ length: spec.samples ?? 1 }, () => Object.fromEntries(randomAxes.map(([key, axis]) => [key, drawAxis(axis, random)])));
  const trials: SweepTrial[] = [];
  for (const combo of gridCombos) {
    for (const draw of draws) {
      const params: Record<string, unknown> = { ...(spec.overrides ?? {}), ...combo, ...draw };
      const problem = options.validateParams?.(params) ?? null;
      if (problem !== null) {
        const label = Object.entries({ ...combo, ...draw })
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(' ');
        throw new SweepSpecError([{ path: label ? `trial ${trials.length} (${label})` : 'overrides', message: problem }]);
      }
      for (const seed of spec.seeds) trials.push({ index: trials.length, params, seed });
    }
  }
  return trials;
}

/**
 * Estimated wall seconds to run `trials` with `concurrency` trainers at `stepsPerSecondGuess` env steps per second
 * each: trials are handed in order to the first free trainer (as the queue does) and the makespan is returned.
 * A trial's length is its `totalTimesteps` param, else `defaultTotalTimesteps`, plus `overheadSeconds` (process start,
 * backend init, final evaluation).
 */
export function estimateSweepSeconds(
  trials: readonly Pick<SweepTrial, 'params'>[],
  stepsPerSecondGuess: number,
  concurrency: number,
  defaultTotalTimesteps = 1_000_000,
  overheadSeconds = 0,
): number {
  if (!(stepsPerSecondGuess > 0)) throw new RangeError(`stepsPerSecondGuess must be > 0, got ${stepsPerSecondGuess}`);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  const free = new Array<number>(concurrency).fill(0);
  for (const trial of trials) {
    const steps = typeof trial.params.totalTimesteps === 'number' ? trial.params.totalTimesteps : defaultTotalTimesteps;
    let k = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[k]) k = i;
    free[k] += steps / stepsPerSecondGuess + overheadSeconds;
  }
  return Math.max(...free);
}
