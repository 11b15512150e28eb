/**
 * V(s) as Replay shows it, on trained Pendulum-v1 policies (issue 15, bug 4: "V(s) looks constant"). Each run trains
 * for real in a trainer process; the replay session steps the env with its checkpoint and the test compares each
 * frame's V(s) with the discounted return-to-go the episode then collected.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiResponses, ReplayFrame } from '../../../src/core/api/contract';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';

/** Pendulum's reset draws θ and θ̇ uniformly; these seeds start away from upright, so the swing-up spans V's range. */
const EPISODE_SEEDS = [2, 5];
const QUIET = { evalFreq: 0, finalEvalEpisodes: 1, backend: 'wasm' };
/** Each test trains 20–30k steps (15–20 s alone on 2 cores); the margin is for a machine busy with other suites. */
const TRAINING_TIMEOUT = 150_000;

let service: ApiService;

async function call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponses[M]> {
  const r = await service.handle(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as ApiResponses[M];
}

async function train(preset: string, overrides: Record<string, unknown>): Promise<number> {
  const { runIds } = await call('sweeps.launch', { name: `V(s) ${preset}`, env: 'Pendulum-v1', preset, seeds: [0], overrides: { ...QUIET, ...overrides } });
  await service.queue.idle();
  return runIds[0] as number;
}

/** Plays whole deterministic episodes; returns every frame that has a value, with its discounted return-to-go. */
async function play(runId: number, gamma: number): Promise<{ frames: ReplayFrame[]; values: number[]; returnsToGo: number[] }> {
  const session = await call('replay.open', { runId });
  const frames: ReplayFrame[] = [];
  const values: number[] = [];
  const returnsToGo: number[] = [];
  for (const seed of EPISODE_SEEDS) {
    const episode = [await call('replay.reset', { sessionId: session.sessionId, seed })];
    while (!(episode.at(-1)!.terminated || episode.at(-1)!.truncated)) {
      episode.push(await call('replay.step', { sessionId: session.sessionId, deterministic: true }));
    }
    // Frame t shows V(s_t); the rewards of the steps after it are on frames t+1 … T.
    let g = 0;
    const togo = new Array<number>(episode.length).fill(0);
    for (let t = episode.length - 2; t >= 0; t--) togo[t] = g = episode[t + 1]!.reward + gamma * g;
    episode.forEach((frame, t) => {
      // The last frame of a truncated episode keeps V(s_T) (GAE's bootstrap), with no steps after it to compare with.
      if (frame.value === null || t === episode.length - 1) return;
      frames.push(frame);
      values.push(frame.value);
      returnsToGo.push(togo[t]!);
    });
  }
  await call('replay.close', { sessionId: session.sessionId });
  return { frames, values, returnsToGo };
}

const mean = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
const std = (x: number[]): number => Math.sqrt(mean(x.map((v) => (v - mean(x)) ** 2)));
const correlation = (x: number[], y: number[]): number => {
  const mx = mean(x);
  const my = mean(y);
  return mean(x.map((v, i) => (v - mx) * (y[i]! - my))) / (std(x) * std(y));
};
/** Least-squares slope of y on x: 1 when x and y are in the same units. */
const slope = (x: number[], y: number[]): number => (correlation(x, y) * std(y)) / std(x);

beforeAll(async () => {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-replay-value-')), 'p.db'));
  service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: 1 });
});

afterAll(async () => {
  await service.close();
});

describe('V(s) in Replay of a trained Pendulum-v1 policy', () => {
  it('changes with the state and tracks the discounted return-to-go (RL Zoo preset)', async () => {
    const runId = await train('zoo', { totalTimesteps: 20_480 });
    const { frames, values, returnsToGo } = await play(runId, 0.9);
    expect(frames.length).toBe(2 * 200);
    expect(std(values)).toBeGreaterThan(5);
    expect(correlation(values, returnsToGo)).toBeGreaterThan(0.9);
    expect(frames.filter((f) => f.valueSaturated).length).toBeLessThan(frames.length / 2);
  }, TRAINING_TIMEOUT);

  it('is in the env reward units when the run normalized its rewards (VecNormalize)', async () => {
    const runId = await train('zoo', { totalTimesteps: 20_480, normalizeObs: true, normalizeReward: true });
    const { values, returnsToGo } = await play(runId, 0.9);
    expect(std(values)).toBeGreaterThan(5);
    expect(correlation(values, returnsToGo)).toBeGreaterThan(0.9);
    // Normalized V(s) would be about 1/√Var[G] of the return-to-go (slope ≫ 1); in reward units the slope is ~1.
    expect(slope(values, returnsToGo)).toBeGreaterThan(0.7);
    expect(slope(values, returnsToGo)).toBeLessThan(1.4);
  }, TRAINING_TIMEOUT);

  it('says the critic is saturated when it gives every state one value (SB3 defaults: unnormalized γ = 0.99 returns)', async () => {
    const runId = await train('sb3-defaults', { totalTimesteps: 30_720 });
    const { frames, values, returnsToGo } = await play(runId, 0.99);
    // The collapse itself, as SB3 shows it on the same config: one value while the return-to-go spans hundreds.
    expect(std(returnsToGo)).toBeGreaterThan(50);
    expect(std(values)).toBeLessThan(0.1);
    expect(frames.every((f) => f.valueSaturated === true)).toBe(true);
  }, TRAINING_TIMEOUT);
});
