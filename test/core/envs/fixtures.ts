// Loads the Gymnasium reference trajectories (test/fixtures/gymnasium/, see its README) and the comparisons the
// issue fixes: state within 1e-12 relative, observations within one float32 ulp, rewards and flags exact.
import { readFileSync } from 'node:fs';

export interface FixtureEpisode {
  index: number;
  reset_seed: number;
  policy: string;
  reset_observation: number[];
  reset_state: number[];
  reset_state_dtype: string;
  length: number;
  episode_return: number;
  actions: number[];
  observations: number[][];
  rewards: number[];
  terminated: boolean[];
  truncated: boolean[];
  states: number[][];
}

type Bound = number | 'Infinity' | '-Infinity';

export interface Fixture {
  env_id: string;
  registry: { max_episode_steps: number; reward_threshold: number | null };
  observation_space: { type: 'Box'; shape: number[]; low: Bound[]; high: Bound[] };
  action_space: { type: 'Discrete'; n: number } | { type: 'Box'; shape: number[]; low: Bound[]; high: Bound[] };
  state_layout: string[];
  episodes: FixtureEpisode[];
}

export function loadFixture(id: string): Fixture {
  const url = new URL(`../../fixtures/gymnasium/${id}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Fixture;
}

export function bound(b: Bound): number {
  return b === 'Infinity' ? Infinity : b === '-Infinity' ? -Infinity : b;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The spacing of float32 values at |x| (x is a float32 value). */
export function float32Ulp(x: number): number {
  f32[0] = Math.abs(x);
  const exponent = (u32[0] >>> 23) & 0xff;
  return exponent === 0 ? 2 ** -149 : 2 ** (exponent - 127 - 23);
}

/** Largest |a-b| / max(1, |b|) over the vectors. */
export function maxRelError(a: readonly number[], b: readonly number[]): number {
  let worst = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

/** Largest |a-b| in units of float32 ulps of the expected value b. */
export function maxUlpError(a: ArrayLike<number>, b: readonly number[]): number {
  let worst = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / float32Ulp(b[i]));
  return worst;
}
