/**
 * Replay's sampling temperature on real trainer processes: tiny CartPole-v1 (categorical) and Pendulum-v1 (Gaussian)
 * runs, replayed through the API. Temperature 0 is the greedy policy, bit for bit the deterministic one; a higher
 * temperature draws actions away from the greedy one more often (categorical) and further from the mean (Gaussian);
 * frames record the temperature used; a truncated episode's last frame keeps V(s_T).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiResponses, ReplayFrame } from '../../../src/core/api/contract';
import { argmax, categoricalEntropy, temperedProbs } from '../../../src/core/math/temperature';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';

const TINY = { totalTimesteps: 2048, nEnvs: 2, nSteps: 128, batchSize: 128, nEpochs: 2, evalFreq: 0, finalEvalEpisodes: 1, backend: 'cpu' };

let service: ApiService;

async function call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponses[M]> {
  const r = await service.handle(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as ApiResponses[M];
}

async function train(env: string, overrides: Record<string, unknown> = {}): Promise<number> {
  const { runIds } = await call('sweeps.launch', { name: `temperature ${env}`, env, preset: 'zoo', seeds: [1], overrides: { ...TINY, ...overrides } });
  await service.queue.idle();
  return runIds[0] as number;
}

/** Plays episodes from `seed` on until `steps` steps are played; every frame, the episodes' first frames included. */
async function play(sessionId: string, seed: number, steps: number, step: Partial<ApiParams<'replay.step'>>): Promise<ReplayFrame[][]> {
  const episodes: ReplayFrame[][] = [];
  let played = 0;
  for (let s = seed; played < steps; s++) {
    const episode = [await call('replay.reset', { sessionId, seed: s })];
    while (!(episode.at(-1)!.terminated || episode.at(-1)!.truncated) && played < steps) {
      episode.push(await call('replay.step', { sessionId, deterministic: false, temperature: 1, ...step }));
      played++;
    }
    episodes.push(episode);
  }
  return episodes;
}

/** Each step as (the policy's probabilities at its state, the action taken there). */
const decisions = (episodes: ReplayFrame[][]): { probs: number[]; action: number }[] =>
  episodes.flatMap((e) => e.slice(1).map((frame, t) => ({ probs: e[t]!.probs!, action: frame.action as number })));

beforeAll(async () => {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-replay-temperature-')), 'p.db'));
  service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: 1 });
});

afterAll(async () => {
  await service.close();
});

describe('replay sampling temperature', () => {
  it('is greedy at 0 (the deterministic episode), and draws non-greedy actions more often as it rises (CartPole-v1)', async () => {
    const runId = await train('CartPole-v1');
    const { sessionId } = await call('replay.open', { runId });
    const greedy = await play(sessionId, 3, 60, { temperature: 0 });
    const deterministic = await play(sessionId, 3, 60, { deterministic: true });
    expect(greedy.flat().map((f) => f.action)).toEqual(deterministic.flat().map((f) => f.action));
    expect(decisions(greedy).every((d) => d.action === argmax(d.probs))).toBe(true);
    expect(greedy[0]!.slice(1).every((f) => f.temperature === 0)).toBe(true);
    expect(greedy[0]![0]!.temperature).toBeUndefined();

    /**
     * Draws at `temperature`: how often the action is not the greedy one, against how often the tempered
     * distributions say it should be (their mean 1 − p_T(greedy)), and their mean entropy.
     */
    const sampled = async (temperature: number): Promise<{ fraction: number; expected: number; tolerance: number; entropy: number }> => {
      const steps = decisions(await play(sessionId, 100, 300, { temperature }));
      const miss = steps.map((d) => 1 - temperedProbs(d.probs, temperature)[argmax(d.probs)]!);
      const expected = miss.reduce((s, q) => s + q, 0) / steps.length;
      return {
        fraction: steps.filter((d) => d.action !== argmax(d.probs)).length / steps.length,
        expected,
        // Four standard deviations of the mean of the steps' Bernoulli draws.
        tolerance: (4 * Math.sqrt(miss.reduce((s, q) => s + q * (1 - q), 0))) / steps.length,
        entropy: steps.reduce((sum, d) => sum + categoricalEntropy(temperedProbs(d.probs, temperature)), 0) / steps.length,
      };
    };
    const cold = await sampled(0.2);
    const trained = await sampled(1);
    const hot = await sampled(10);
    for (const draw of [cold, trained, hot]) expect(Math.abs(draw.fraction - draw.expected)).toBeLessThan(draw.tolerance);
    expect(cold.fraction).toBeLessThan(trained.fraction);
    expect(trained.fraction).toBeLessThan(hot.fraction);
    // At T = 10 two actions are nearly equally likely: entropy close to ln 2.
    expect(cold.entropy).toBeLessThan(trained.entropy);
    expect(trained.entropy).toBeLessThan(hot.entropy);
    expect(hot.entropy).toBeGreaterThan(0.68);

    const tooHot = await service.handle('replay.step', { sessionId, deterministic: false, temperature: 11 });
    expect(tooHot.ok).toBe(false);
    await call('replay.close', { sessionId });
  }, 120_000);

  it('takes the mean at 0, spreads Gaussian actions as √T, and keeps V(s_T) on a truncated last frame (Pendulum-v1)', async () => {
    // A plain diagonal Gaussian (the zoo preset's gSDE would draw its noise from one exploration matrix per session).
    const runId = await train('Pendulum-v1', { useSde: false });
    const { sessionId } = await call('replay.open', { runId });
    const [episode] = await play(sessionId, 5, 200, { temperature: 0 });
    expect(episode).toHaveLength(201);
    const last = episode!.at(-1)!;
    expect(last.truncated).toBe(true);
    expect(Number.isFinite(last.value)).toBe(true);
    expect(last.mean).toBeUndefined();
    for (let t = 0; t < 200; t++) {
      const mean = Math.max(-2, Math.min(2, episode![t]!.mean![0]!));
      expect((episode![t + 1]!.action as number[])[0]).toBeCloseTo(mean, 5);
    }

    /** RMS of (a − μ)/σ over 200 steps at `temperature`, where neither μ nor a is near the bounds ±2 (no clipping). */
    const spread = async (temperature: number): Promise<number> => {
      const [e] = await play(sessionId, 9, 200, { temperature });
      const z = e!
        .slice(1)
        .map((f, t) => ({ a: (f.action as number[])[0]!, mean: e![t]!.mean![0]!, std: e![t]!.std![0]! }))
        .filter((d) => Math.abs(d.mean) < 1.5 && Math.abs(d.a) < 1.99)
        .map((d) => (d.a - d.mean) / d.std);
      expect(z.length).toBeGreaterThan(50);
      return Math.sqrt(z.reduce((s, x) => s + x * x, 0) / z.length);
    };
    // √T: 1 at T = 1 (less where the bounds cut the tails off), 0.2 at T = 0.04.
    const one = await spread(1);
    const cold = await spread(0.04);
    expect(one).toBeGreaterThan(0.6);
    expect(one).toBeLessThan(1.3);
    expect(cold).toBeGreaterThan(0.13);
    expect(cold).toBeLessThan(0.27);
    await call('replay.close', { sessionId });
  }, 120_000);
});
