/**
 * The on-policy training loop every algorithm shares (SB3 `OnPolicyAlgorithm.learn`): state (networks, optimizer,
 * envs) → for each iteration: collect a batch with the current policy → the algorithm's own update → metrics →
 * periodic evaluation and checkpoints. What an iteration does is the algorithm's `Learner` (ppo/learner.ts,
 * a2c/learner.ts, trpo/learner.ts, reinforce/learner.ts, grpo/learner.ts), each of which reads top to bottom as its algorithm;
 * backend choice, evaluation and checkpoints sit beside the loop.
 */
import { parseTrainConfig, derivedSizes, type TrainConfig } from '../core/training/config';
import type { DistributionMetrics } from '../core/metrics/ratio-stats';
import { initBackend, type BackendSelection } from './tf-backend';
import { a2cLearner } from './a2c/learner';
import { grpoLearner } from './grpo/learner';
import { backendProbe, probeRows } from './ppo/backend-probe';
import type { Checkpoint } from './ppo/checkpoint';
import { evaluatePolicy, type EvalResult } from './ppo/evaluate';
import { ppoLearner } from './ppo/learner';
import type { Learner } from './learner';
import { createTrainingState, rolloutContext, toCheckpoint, type TrainingState } from './ppo/state';
import { reinforceLearner } from './reinforce/learner';
import { trpoLearner } from './trpo/learner';

export type { Checkpoint } from './ppo/checkpoint';

/** The learner of a state's algorithm. */
function learnerFor(state: TrainingState): Learner {
  switch (state.config.algorithm) {
    case 'ppo':
      return ppoLearner(state as TrainingState<typeof state.config>);
    case 'a2c':
      return a2cLearner(state as TrainingState<typeof state.config>);
    case 'trpo':
      return trpoLearner(state as TrainingState<typeof state.config>);
    case 'reinforce':
      return reinforceLearner(state as TrainingState<typeof state.config>);
    case 'grpo':
      return grpoLearner(state as TrainingState<typeof state.config>);
  }
}

export interface TrainHooks {
  /**
   * After every update; keys are METRIC values. `distributions`: the update's seq-indexed points (LEARN_METRIC keys,
   * the value at index i with seq i), from the algorithms with a ratio π/π_old (PPO, GRPO, TRPO).
   */
  onUpdate?(step: number, metrics: Record<string, number>, distributions?: DistributionMetrics): void;
  /** Every finished training episode (raw, unnormalized return). */
  onEpisode?(step: number, episode: { return: number; length: number }): void;
  /** Every periodic evaluation and the final one. */
  onEval?(step: number, result: { mean: number; std: number; episodes: number; returns: number[] }): void;
  onCheckpoint?(checkpoint: Checkpoint): void;
  onProgress?(progress: { stepsDone: number; totalSteps: number; fps: number }): void;
  /** Once, when the tfjs backend has been chosen: which, the calibration, and every backend's check. */
  onBackend?(selection: BackendSelection): void;
}

export interface TrainResult {
  /** Final evaluation (finalEvalEpisodes episodes); null when cancelled. */
  finalEval: { mean: number; std: number; episodes: number } | null;
  stepsDone: number;
  wallSeconds: number;
  /** The tfjs backend really active. */
  backend: string;
  /** ms per calibration workload per backend (backend 'auto' only). */
  calibration?: Record<string, number>;
  cancelled: boolean;
  /** Seconds spent collecting rollouts / updating, summed. */
  rolloutSeconds: number;
  updateSeconds: number;
  /** Evaluations done during training, with the env step they were taken at. */
  evaluations: { step: number; mean: number; std: number }[];
}

export async function train(
  configInput: TrainConfig,
  hooks: TrainHooks = {},
  opts: { signal?: AbortSignal; resume?: Checkpoint } = {},
): Promise<TrainResult> {
  const wallStart = performance.now();
  const config = parseTrainConfig(configInput);
  // ---- State: envs, networks (orthogonal init), optimizer, VecNormalize, rollout storage; fresh or from a checkpoint ----
  const state = createTrainingState(config, opts.resume);
  const learner = learnerFor(state);
  // ---- Backend: forced or chosen by calibration, in both cases proven on this model's minibatch gradient ----
  const { backend, calibration, checks } = await initBackend(config.backend, backendProbe(state.layout, state.distribution, state.params, probeRows(learner.gradientRows)));
  hooks.onBackend?.({ backend, calibration, checks });
  const rollout = rolloutContext(state, (episode) => hooks.onEpisode?.(state.stepsDone + state.buffer.nSteps * config.nEnvs, episode));
  const totals = { stepsAtStart: state.stepsDone, rolloutSeconds: 0, updateSeconds: 0 };
  const sizes = derivedSizes(config);
  const periodic = {
    evalDue: every(sizes.evalEvery, state.stepsDone),
    checkpointDue: checkpointSchedule(sizes.checkpointEvery, config.checkpointMinutes, state.stepsDone),
  };
  const evaluations: TrainResult['evaluations'] = [];
  // Periodic evaluations of the automatic frequency are time-bounded; the final one always plays all its episodes.
  const evaluate = (episodes: number, maxSeconds: number | null = null): EvalResult => {
    const result = evaluatePolicy(state.evalEnv, state.layout, state.params, state.distribution, state.normalize, episodes, config.evalDeterministic, state.evalPrng, maxSeconds);
    evaluations.push({ step: state.stepsDone, mean: result.mean, std: result.std });
    hooks.onEval?.(state.stepsDone, result);
    return result;
  };

  let cancelled = false;
  while (state.stepsDone < config.totalTimesteps) {
    if (opts.signal?.aborted) {
      cancelled = true;
      break;
    }
    // ---- Rollout: a batch (nSteps per env, or whole episodes) with the current policy ----
    const rolloutStart = performance.now();
    state.stepsDone += learner.collect(rollout);
    state.iteration += 1;
    const updateStart = performance.now();
    // ---- Update: the algorithm's own (schedules, advantages or returns, gradient steps), then its metrics ----
    const improve = learner.update();
    const now = performance.now();
    const rolloutSeconds = (updateStart - rolloutStart) / 1000;
    const updateSeconds = (now - updateStart) / 1000;
    totals.rolloutSeconds += rolloutSeconds;
    totals.updateSeconds += updateSeconds;
    const fps = (state.stepsDone - totals.stepsAtStart) / ((now - wallStart) / 1000);
    hooks.onUpdate?.(state.stepsDone, improve.metrics({ fps, rolloutSeconds, updateSeconds }), improve.distributions);
    hooks.onProgress?.({ stepsDone: state.stepsDone, totalSteps: config.totalTimesteps, fps });
    // ---- Periodic evaluation and checkpoints ----
    afterIteration(state, periodic, (episodes) => evaluate(episodes, sizes.evalSecondsLimit), () => hooks.onCheckpoint?.(toCheckpoint(state, backend, calibration)));
    // Yield to the event loop after every iteration so a cancel, a host message or a signal gets through before the
    // next one (a setImmediate costs microseconds; an iteration, milliseconds to seconds). Yielding every 8th let a
    // run with few, long updates finish as `completed` after its cancel had been accepted.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  const finalEval = cancelled ? null : evaluate(config.finalEvalEpisodes);
  // Stopped or finished, the state reached is checkpointed: a worker that drains (the host's `drain`) hands its trial
  // on from this step, losing at most the iteration that was under way when it asked.
  hooks.onCheckpoint?.(toCheckpoint(state, backend, calibration));
  return {
    finalEval: finalEval && { mean: finalEval.mean, std: finalEval.std, episodes: finalEval.episodes },
    stepsDone: state.stepsDone,
    wallSeconds: (performance.now() - wallStart) / 1000,
    backend,
    calibration,
    cancelled,
    rolloutSeconds: totals.rolloutSeconds,
    updateSeconds: totals.updateSeconds,
    evaluations,
  };
}

/** Periodic evaluation and checkpoints: each when its period has passed, except at the end (train does those). */
function afterIteration(
  state: TrainingState,
  periodic: { evalDue: (step: number) => boolean; checkpointDue: (step: number) => boolean },
  evaluate: (episodes: number) => unknown,
  checkpoint: () => void,
): void {
  if (state.stepsDone >= state.config.totalTimesteps) return;
  if (periodic.evalDue(state.stepsDone)) evaluate(state.config.evalEpisodes);
  if (periodic.checkpointDue(state.stepsDone)) checkpoint();
}

/**
 * Checkpoints every `steps` environment steps (counted from 0, as `every`) or once `minutes` of wall time have passed
 * since the last one, whichever comes first; either period can be off (0).
 */
export function checkpointSchedule(steps: number, minutes: number, from: number, now: () => number = () => performance.now()): (step: number) => boolean {
  const byStep = every(steps, from);
  const periodMs = minutes * 60_000;
  let last = now();
  return (step) => {
    const due = byStep(step) || (periodMs > 0 && now() - last >= periodMs);
    if (due) last = now();
    return due;
  };
}

/** `due(step)` is true once per period of `freq` steps counted from 0 (never for freq 0), first after `from`. */
export function every(freq: number, from: number): (step: number) => boolean {
  let next = freq > 0 ? (Math.floor(from / freq) + 1) * freq : Infinity;
  return (step) => {
    if (step < next) return false;
    while (next <= step) next += freq;
    return true;
  };
}
