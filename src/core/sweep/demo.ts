/**
 * The demonstration sweep a first launch offers: the clipped surrogate against the adaptive KL penalty on CartPole
 * (the PPO paper's §3 vs §4, the `clip-vs-kl` template), 3 seeds each, on RL Zoo's tuned CartPole hyperparameters
 * with a budget small enough to finish in about a minute on a 2-core machine (6 runs, 2 at a time; measured, see
 * DEMO_BUDGET) while the two objectives' curves already come apart: clip nears the 500 ceiling, adaptive KL lags.
 */
import type { SweepRequest } from '../api/contract';

/**
 * Env steps per demo run: 80 rollouts of RL Zoo's 8 × 32 steps, with its linear schedules. Measured on the 2-core
 * machine it was tuned on: the whole sweep (6 trainer processes, 2 at a time) cost 61 CPU-seconds, so about half a
 * minute of two idle cores (on the shared machine, at load 8–13, it took 80–115 s of wall time). Every run drew 20
 * evaluations (19 every 1,024 steps, then the final one); over seeds 0–2, clip ended at 487, 114 and 484 and
 * adaptive KL at 125, 106 and 156 — at 12,288 steps the two objectives were still indistinguishable (both ≈ 125).
 */
export const DEMO_BUDGET = 20_480;

export const DEMO_SWEEP: Readonly<SweepRequest> = Object.freeze({
  name: 'Demo: clip vs adaptive KL on CartPole',
  description: 'The first-launch demonstration: PPO\'s clipped surrogate against its adaptive KL penalty, 3 seeds each, a budget that finishes in about a minute.',
  env: 'CartPole-v1',
  preset: 'zoo',
  grid: { objective: ['clip', 'kl-adaptive'] },
  seeds: [0, 1, 2],
  overrides: { totalTimesteps: DEMO_BUDGET, backend: 'wasm' },
});

