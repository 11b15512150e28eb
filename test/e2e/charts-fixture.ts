/**
 * Seeded runs for the chart tests, as a Proxima bundle the app imports (`import.bundle`): no training needed, and
 * every curve is known. Two sweeps on CartPole-v1 with 2 groups × 2 seeds each, whose group keys differ (switching
 * sweeps replaces every group), and a recorded 40-frame episode of the first run.
 */
import type { ReplayFrame } from '../../src/core/api/contract';
import { parsePpoConfig } from '../../src/core/training/config';

/** Evaluations every 1,000 steps from 1,000 to `LAST_STEP`. */
export const LAST_STEP = 20_000;
export const SWEEP_A = { name: 'e2e charts: clip vs adaptive KL', field: 'objective', values: ['clip', 'kl-adaptive'] } as const;
export const SWEEP_B = { name: 'e2e charts: entropy bonus', field: 'entCoef', values: [0, 0.01] } as const;
export const REPLAY = { name: 'e2e charts episode', frames: 40 } as const;

const T0 = 1_700_000_000_000;

/** A learning curve that rises to `top`, different per seed (so the bands have a width). */
function curve(steps: number[], top: number, seed: number): number[] {
  return steps.map((s, i) => top * (1 + 0.12 * (seed % 2)) * (1 - Math.exp(-s / 6_000)) + 15 * Math.sin(i * 0.9 + seed));
}

/** A CartPole episode with the pole swinging (so consecutive frames differ). */
function episode(length: number): ReplayFrame[] {
  return Array.from({ length }, (_, t) => {
    const state = [0.4 * Math.sin(t / 7), 0.1 * Math.cos(t / 7), 0.15 * Math.sin(t / 4), 0.05 * Math.cos(t / 4)];
    return { t, state, observation: state, action: t % 2, reward: 1, return: t, terminated: t === length - 1, truncated: false, value: 20 - t / 2 };
  });
}

export function chartsBundle(): unknown {
  const sweeps = [SWEEP_A, SWEEP_B].map((s, i) => ({
    id: i + 1, name: s.name, envId: 'CartPole-v1', spec: { grid: { [s.field]: [...s.values] }, seeds: [0, 1] }, status: 'completed', createdAt: T0 + i,
  }));
  const steps = Array.from({ length: LAST_STEP / 1_000 }, (_, i) => (i + 1) * 1_000);
  const runs: Record<string, unknown>[] = [];
  const metrics: Record<string, unknown>[] = [];
  [SWEEP_A, SWEEP_B].forEach((sweep, s) => {
    sweep.values.forEach((value, v) => {
      for (const seed of [0, 1]) {
        const id = runs.length + 1;
        const config = parsePpoConfig({ envId: 'CartPole-v1', totalTimesteps: LAST_STEP, seed, [sweep.field]: value });
        runs.push({
          id, sweepId: s + 1, envId: 'CartPole-v1', seed, objective: config.objective, status: 'completed', error: null, backend: 'cpu', proximaVersion: '0.1.0',
          config, createdAt: T0 + id, startedAt: T0 + id, finishedAt: T0 + id + 60_000, totalTimesteps: LAST_STEP, stepsDone: LAST_STEP,
          finalEval: { mean: 300 + 100 * v, std: 10, episodes: 2 }, tags: [], notes: '', hidden: false, params: { [sweep.field]: value, seed }, explicitParams: [sweep.field, 'seed'],
        });
        const wallTimes = steps.map((_, i) => T0 + id + 1_000 * (i + 1));
        for (const [key, top] of [['eval/mean_return', 250 + 200 * v], ['rollout/ep_return_mean', 200 + 150 * v]] as const) {
          metrics.push({ runId: id, key, steps, seqs: steps.map(() => 0), values: curve(steps, top, seed + 3 * s), wallTimes });
        }
      }
    });
  });
  const frames = episode(REPLAY.frames);
  return {
    format: 'proxima-bundle', version: 1, proximaVersion: '0.1.0', exportedAt: T0, sweeps, runs, metrics, checkpoints: [],
    replays: [{ id: 1, runId: 1, name: REPLAY.name, checkpointStep: null, seed: 0, envId: 'CartPole-v1', frames, totalReturn: REPLAY.frames - 1, length: REPLAY.frames, createdAt: T0 + 100 }],
  };
}
