/**
 * PPO (Schulman et al. 2017) as Stable-Baselines3 and CleanRL implement it. `train` reads top to bottom as the
 * algorithm: state (networks, optimizer, envs) → for each iteration: rollout → schedules → advantages → update
 * (epochs of shuffled minibatches) → metrics. Each step is its own function: state.ts, rollout.ts, advantages.ts,
 * update.ts (loss in losses.ts), metrics.ts; backend choice, evaluation and checkpoints sit beside the loop.
 */
import { derivedSizes, parsePpoConfig, type PpoConfig } from '../../core/ppo/config';
import { scheduledValues } from '../../core/ppo/schedules';
import { initBackend, type BackendSelection } from '../tf-backend';
import { computeAdvantages } from './advantages';
import { backendProbe, probeRows } from './backend-probe';
import type { Checkpoint } from './checkpoint';
import { evaluatePolicy, type EvalResult } from './evaluate';
import { logMetrics } from './metrics';
import { collectRollout } from './rollout';
import { createTrainingState, rolloutContext, toCheckpoint, type TrainingState } from './state';
import { update } from './update';

export type { Checkpoint } from './checkpoint';

export interface TrainHooks {
  /** After every update; keys are METRIC values. */
  onUpdate?(step: number, metrics: Record<string, number>): void;
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
  configInput: PpoConfig,
  hooks: TrainHooks = {},
  opts: { signal?: AbortSignal; resume?: Checkpoint } = {},
): Promise<TrainResult> {
  const wallStart = performance.now();
  const config = parsePpoConfig(configInput);
  // ---- State: envs, networks (orthogonal init), Adam, VecNormalize, rollout storage; fresh or from a checkpoint ----
  const state = createTrainingState(config, opts.resume);
  // ---- Backend: forced or chosen by calibration, in both cases proven on this model's minibatch gradient ----
  const { backend, calibration, checks } = await initBackend(config.backend, backendProbe(state.layout, state.distribution, state.params, probeRows(config.batchSize)));
  hooks.onBackend?.({ backend, calibration, checks });
  const rollout = rolloutContext(state, (episode) => hooks.onEpisode?.(state.stepsDone + state.buffer.nSteps * config.nEnvs, episode));
  const length = config.rolloutMode === 'episodes' ? { kind: 'episodes' as const, maxSteps: 100_000 } : { kind: 'steps' as const, nSteps: config.nSteps };
  const totals = { stepsAtStart: state.stepsDone, rolloutSeconds: 0, updateSeconds: 0 };
  const periodic = {
    evalDue: every(config.evalFreq, state.stepsDone),
    checkpointDue: checkpointSchedule(derivedSizes(config).checkpointEvery, config.checkpointMinutes, state.stepsDone),
  };
  const evaluations: TrainResult['evaluations'] = [];
  const evaluate = (episodes: number): EvalResult => {
    const result = evaluatePolicy(state.evalEnv, state.layout, state.params, state.distribution, state.normalize, episodes, config.evalDeterministic, state.prng);
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
    // ---- Rollout: nSteps per env (or whole episodes) with the current policy ----
    const rolloutStart = performance.now();
    state.stepsDone += collectRollout(rollout, state.rollout, state.buffer, length);
    state.iteration += 1;
    const updateStart = performance.now();
    // ---- Schedules: SB3 updates progress_remaining after the rollout, before training ----
    const schedule = scheduledValues(config, state.stepsDone);
    // ---- Advantages: GAE(γ, λ) or n-step; returns = advantages + values ----
    computeAdvantages(config, state.buffer);
    // ---- Update: epochs of shuffled minibatches, one Adam step each; target-KL stop; adaptive β ----
    const stats = update(state, schedule);
    // ---- Metrics ----
    const now = performance.now();
    const rolloutSeconds = (updateStart - rolloutStart) / 1000;
    const updateSeconds = (now - updateStart) / 1000;
    totals.rolloutSeconds += rolloutSeconds;
    totals.updateSeconds += updateSeconds;
    const fps = (state.stepsDone - totals.stepsAtStart) / ((now - wallStart) / 1000);
    hooks.onUpdate?.(state.stepsDone, logMetrics(state, stats, schedule, { fps, rolloutSeconds, updateSeconds }));
    hooks.onProgress?.({ stepsDone: state.stepsDone, totalSteps: config.totalTimesteps, fps });
    // ---- Periodic evaluation and checkpoints ----
    afterIteration(state, periodic, evaluate, () => hooks.onCheckpoint?.(toCheckpoint(state, backend, calibration)));
    // Yield to the event loop so cancellation and host messages get through.
    if (state.iteration % 8 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  const finalEval = cancelled ? null : evaluate(config.finalEvalEpisodes);
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
