/**
 * PPO (Schulman et al. 2017) as Stable-Baselines3 and CleanRL implement it. Reads top to bottom:
 * config → networks → rollout storage → rollout → advantages → epochs of minibatches → metrics.
 */
import { makeVectorEnv } from '../../core/envs/vector-env';
import { computeGae, computeNStepReturns, explainedVariance, normalizeAdvantages } from '../../core/math/returns';
import { METRIC } from '../../core/metrics/keys';
import { parsePpoConfig, type PpoConfig } from '../../core/ppo/config';
import { scheduleValue } from '../../core/ppo/schedules';
import { VecNormalize } from '../../core/ppo/vec-normalize';
import { adamStep, createAdamState } from '../nn/adam';
import { buildLayout, initParams, type ModelSpec } from '../nn/actor-critic';
import { createPrng, prngFromState } from '../nn/prng';
import { initBackend, type BackendSelection } from '../tf-backend';
import { backendProbe, probeRows } from './backend-probe';
import {
  adamFromBytes,
  adamToBytes,
  bytesToFloats,
  CHECKPOINT_FORMAT,
  floatBytes,
  modelToMeta,
  weightSpecs,
  type Checkpoint,
} from './checkpoint';
import { makeDistribution } from './distributions';
import { evaluatePolicy, type EvalResult } from './evaluate';
import type { LossCoefficients } from './losses';
import { batchKl, gather, minibatchArrays, minibatchGradient, permutation } from './update';
import { collectRollout, RolloutBuffer } from './rollout';

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

/** The network shape for an env's spaces and the config. */
export function modelSpecFor(config: PpoConfig, env: ReturnType<typeof makeVectorEnv>): ModelSpec {
  const space = env.singleActionSpace;
  const action: ModelSpec['action'] = space.type === 'Discrete'
    ? { kind: 'discrete', n: space.n }
    : { kind: 'box', dim: space.size, low: space.low, high: space.high };
  if (config.useSde && action.kind === 'discrete') throw new Error('useSde: gSDE needs a continuous (Box) action space');
  return {
    obsDim: env.obsDim,
    action,
    sharedLayers: config.sharedLayers,
    piLayers: config.piLayers,
    vfLayers: config.vfLayers,
    activation: config.activation,
    useSde: config.useSde,
  };
}

export async function train(
  configInput: PpoConfig,
  hooks: TrainHooks = {},
  opts: { signal?: AbortSignal; resume?: Checkpoint } = {},
): Promise<TrainResult> {
  const wallStart = performance.now();

  // ---- Config ----
  const config = parsePpoConfig(configInput);
  const episodesMode = config.rolloutMode === 'episodes';

  // ---- Environments: training vector env and a separate evaluation env ----
  const env = makeVectorEnv(config.envId, config.nEnvs);
  const evalEnv = makeVectorEnv(config.envId, 1);

  // ---- Networks: one flat parameter buffer, orthogonal init (gains √2 / 0.01 / 1) ----
  const prng = createPrng(config.seed);
  const layout = buildLayout(modelSpecFor(config, env));
  let params = initParams(layout, config.orthoInit, config.logStdInit, prng);
  const distribution = makeDistribution(layout, config.useSde, config.temperature);
  const actionDim = distribution.actionDim;
  const grad = new Float32Array(layout.size);

  // ---- Optimizer: Adam, ε = config.adamEps (1e-5, SB3/CleanRL), global grad-norm clipping in the same step ----
  let adam = createAdamState(layout.size);

  // ---- Observation / reward normalization (SB3 VecNormalize) ----
  let normalize = config.normalizeObs || config.normalizeReward
    ? new VecNormalize({
        nEnvs: config.nEnvs, obsDim: env.obsDim, normObs: config.normalizeObs, normReward: config.normalizeReward,
        clipObs: config.normClipObs, clipReward: config.normClipReward, gamma: config.gamma,
      })
    : null;

  // ---- Backend: forced or chosen by calibration, in both cases proven on this model's minibatch gradient ----
  const { backend, calibration, checks } = await initBackend(config.backend, backendProbe(layout, distribution, params, probeRows(config.batchSize)));
  hooks.onBackend?.({ backend, calibration, checks });

  // ---- Training state (restored from a checkpoint when resuming) ----
  let stepsDone = 0;
  let iteration = 0;
  let nUpdates = 0;
  let beta = config.beta;
  let rng = prng;
  if (opts.resume) {
    const meta = opts.resume.meta;
    if (meta.format !== CHECKPOINT_FORMAT) throw new Error(`resume: unknown checkpoint format ${String(meta.format)}`);
    params = bytesToFloats(opts.resume.weights);
    if (params.length !== layout.size) throw new Error(`resume: checkpoint has ${params.length} parameters, this config needs ${layout.size}`);
    if (opts.resume.optimizer) adam = adamFromBytes(opts.resume.optimizer, meta.adamStep);
    if (meta.normalization) normalize = VecNormalize.fromJSON(meta.normalization);
    stepsDone = meta.stepsDone;
    iteration = meta.iteration;
    nUpdates = meta.nUpdates;
    beta = meta.beta;
    rng = prngFromState(meta.prngState as number[]);
  }

  // ---- Rollout storage ----
  const capacity = episodesMode ? 1024 : config.nSteps;
  const buffer = new RolloutBuffer(config.nEnvs, env.obsDim, distribution.actionDim, capacity);
  const mb = minibatchArrays(episodesMode ? 0 : config.batchSize, env.obsDim, actionDim);

  // Envs are seeded once (env i gets seed + i; the eval env its own stream); a resumed run restores their exact state.
  const firstObs = env.reset({ seed: config.seed });
  evalEnv.reset({ seed: config.seed + 1_000_003 });
  const state = {
    observations: normalize && !opts.resume ? normalize.normalizeObsBatch(firstObs, true) : Float32Array.from(firstObs),
    episodeStarts: new Float32Array(config.nEnvs).fill(1),
  };
  let recentReturns: number[] = [];
  let recentLengths: number[] = [];
  if (opts.resume) {
    const meta = opts.resume.meta;
    env.restore(meta.envState);
    evalEnv.restore(meta.evalEnvState);
    state.observations = Float32Array.from(meta.rolloutObservations);
    state.episodeStarts = Float32Array.from(meta.rolloutEpisodeStarts);
    recentReturns = [...meta.recentReturns];
    recentLengths = [...meta.recentLengths];
  }

  const evaluations: TrainResult['evaluations'] = [];
  let rolloutSeconds = 0;
  let updateSeconds = 0;
  const runStepsAtStart = stepsDone;
  let nextEvalAt = config.evalFreq > 0 ? (Math.floor(stepsDone / config.evalFreq) + 1) * config.evalFreq : Infinity;
  let nextCheckpointAt = config.checkpointFreq > 0 ? (Math.floor(stepsDone / config.checkpointFreq) + 1) * config.checkpointFreq : Infinity;

  const evaluate = (episodes: number): EvalResult =>
    evaluatePolicy(evalEnv, layout, params, distribution, normalize, episodes, config.evalDeterministic, rng);

  const checkpoint = (): Checkpoint => ({
    step: stepsDone,
    weights: floatBytes(params),
    optimizer: adamToBytes(adam),
    meta: {
      format: CHECKPOINT_FORMAT,
      config,
      model: modelToMeta(layout.spec),
      weightSpecs: weightSpecs(layout),
      stepsDone,
      iteration,
      nUpdates,
      adamStep: adam.t,
      beta,
      normalization: normalize ? normalize.toJSON() : null,
      prngState: rng.state().map((x) => (Number.isNaN(x) ? null : x)),
      backend,
      calibration: calibration ?? null,
      envState: env.snapshot(),
      evalEnvState: evalEnv.snapshot(),
      rolloutObservations: Array.from(state.observations),
      rolloutEpisodeStarts: Array.from(state.episodeStarts),
      recentReturns: [...recentReturns],
      recentLengths: [...recentLengths],
    },
  });

  let cancelled = false;
  while (stepsDone < config.totalTimesteps) {
    if (opts.signal?.aborted) {
      cancelled = true;
      break;
    }

    // ---- Rollout ----
    const rolloutStart = performance.now();
    const collected = collectRollout(
      {
        env, layout, params, distribution, normalize, prng: rng, gamma: config.gamma, sdeSampleFreq: config.sdeSampleFreq,
        onEpisode: (episode) => {
          recentReturns.push(episode.return);
          recentLengths.push(episode.length);
          if (recentReturns.length > config.statsWindowSize) {
            recentReturns.shift();
            recentLengths.shift();
          }
          hooks.onEpisode?.(stepsDone + buffer.nSteps * config.nEnvs, episode);
        },
      },
      state,
      buffer,
      episodesMode ? { kind: 'episodes', maxSteps: 100_000 } : { kind: 'steps', nSteps: config.nSteps },
    );
    stepsDone += collected;
    iteration += 1;
    rolloutSeconds += (performance.now() - rolloutStart) / 1000;
    const updateStart = performance.now();

    // ---- Schedules: SB3 updates progress_remaining after the rollout, before training ----
    const progressRemaining = 1 - stepsDone / config.totalTimesteps;
    const learningRate = scheduleValue(config.learningRateSchedule, config.learningRate, config.learningRateEnd, progressRemaining);
    const clipRange = scheduleValue(config.clipRangeSchedule, config.clipRange, config.clipRangeEnd, progressRemaining);
    const entCoef = scheduleValue(config.entCoefSchedule, config.entCoef, config.entCoefEnd, progressRemaining);

    // ---- Advantages: GAE(γ, λ) or n-step returns; returns = advantages + values ----
    const shape = { nSteps: buffer.nSteps, nEnvs: config.nEnvs };
    const size = buffer.size;
    const advantages = buffer.advantages.subarray(0, size);
    const returns = buffer.returns.subarray(0, size);
    if (config.advantageEstimator === 'gae') {
      computeGae(shape, buffer.rewards, buffer.values, buffer.episodeStarts, buffer.lastValues, buffer.lastEpisodeStarts,
        config.gamma, config.gaeLambda, advantages, returns);
    } else {
      computeNStepReturns(shape, buffer.rewards, buffer.values, buffer.episodeStarts, buffer.lastValues, buffer.lastEpisodeStarts,
        config.gamma, config.nStepHorizon, advantages, returns);
    }
    if (config.normalizeAdvantage === 'per-batch') normalizeAdvantages(advantages, advantages);

    // ---- Epochs of shuffled minibatches ----
    const batchSize = episodesMode ? size : config.batchSize;
    const batch = episodesMode ? minibatchArrays(size, env.obsDim, actionDim) : mb;
    const coefs: LossCoefficients = { objective: config.objective, clipRange, clipRangeVf: config.clipRangeVf, entCoef, vfCoef: config.vfCoef, beta };
    const sums = { policyLoss: 0, valueLoss: 0, entropy: 0, clipFraction: 0, ratioMean: 0 };
    let ratioMax = 0;
    let minibatches = 0;
    let gradNormSum = 0;
    let lastLoss = NaN;
    let lastEpochKl: number[] = [];
    let lastEpochKlK1: number[] = [];
    let epochsDone = 0;
    let stop = false;
    for (let epoch = 0; epoch < config.nEpochs && !stop; epoch++) {
      lastEpochKl = [];
      lastEpochKlK1 = [];
      const order = permutation(size, rng);
      for (let start = 0; start + batchSize <= size; start += batchSize) {
        gather(buffer, order.subarray(start, start + batchSize), batch);
        // Advantage normalization at the minibatch level (SB3/CleanRL default; the 37 details #7).
        if (config.normalizeAdvantage === 'per-minibatch') normalizeAdvantages(batch.advantages.subarray(0, batchSize), batch.advantages);
        const loss = minibatchGradient(layout, distribution, params, batch, batchSize, coefs, grad);
        lastEpochKl.push(loss.approxKl);
        lastEpochKlK1.push(loss.approxKlK1);
        // Target-KL early stopping, SB3: checked before the step; the offending minibatch is not applied.
        if (config.targetKl !== null && loss.approxKl > 1.5 * config.targetKl) {
          stop = true;
          break;
        }
        sums.policyLoss += loss.policyLoss;
        sums.valueLoss += loss.valueLoss;
        sums.entropy += loss.entropy;
        sums.clipFraction += loss.clipFraction;
        sums.ratioMean += loss.ratioMean;
        ratioMax = Math.max(ratioMax, loss.ratioMax);
        lastLoss = loss.loss;
        // Global gradient-norm clipping and the Adam step, fused over the flat buffer.
        gradNormSum += adamStep(params, grad, adam, learningRate, config.maxGradNorm, config.adamEps);
        minibatches += 1;
      }
      if (!stop) {
        epochsDone += 1;
        nUpdates += 1;
      }
    }

    // ---- Adaptive KL penalty (paper §4): after the update's epochs, adjust β for the next update ----
    const betaUsed = beta;
    let klAfter = NaN;
    if (config.objective === 'kl-adaptive') {
      klAfter = batchKl(layout, distribution, params, buffer);
      if (klAfter < config.klTarget / 1.5) beta /= 2;
      else if (klAfter > config.klTarget * 1.5) beta *= 2;
    }
    updateSeconds += (performance.now() - updateStart) / 1000;

    // ---- Metrics ----
    const elapsed = (performance.now() - wallStart) / 1000;
    const fps = (stepsDone - runStepsAtStart) / elapsed;
    const mean = (name: keyof typeof sums): number => (minibatches > 0 ? sums[name] / minibatches : NaN);
    const avg = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    const metrics: Record<string, number> = {
      [METRIC.policyLoss]: mean('policyLoss'),
      [METRIC.valueLoss]: mean('valueLoss'),
      [METRIC.entropy]: mean('entropy'),
      [METRIC.entropyLoss]: -mean('entropy'),
      [METRIC.loss]: lastLoss,
      [METRIC.approxKl]: avg(lastEpochKl),
      [METRIC.approxKlK1]: avg(lastEpochKlK1),
      [METRIC.clipFraction]: mean('clipFraction'),
      [METRIC.ratioMean]: mean('ratioMean'),
      [METRIC.ratioMax]: ratioMax,
      [METRIC.explainedVariance]: explainedVariance(buffer.values.subarray(0, size), returns),
      [METRIC.beta]: betaUsed,
      [METRIC.learningRate]: learningRate,
      [METRIC.clipRange]: clipRange,
      [METRIC.gradNorm]: minibatches > 0 ? gradNormSum / minibatches : NaN,
      [METRIC.entCoef]: entCoef,
      [METRIC.nUpdates]: nUpdates,
      [METRIC.epochsDone]: epochsDone,
      [METRIC.fps]: fps,
      [METRIC.rolloutSeconds]: (updateStart - rolloutStart) / 1000,
      [METRIC.updateSeconds]: (performance.now() - updateStart) / 1000,
      [METRIC.totalTimesteps]: stepsDone,
    };
    if (!Number.isNaN(klAfter)) metrics[METRIC.klAfterUpdate] = klAfter;
    if (layout.logStd) {
      let s = 0;
      for (let i = 0; i < layout.logStd.size; i++) s += Math.exp(params[layout.logStd.offset + i]);
      metrics[METRIC.std] = s / layout.logStd.size;
    }
    if (recentReturns.length > 0) {
      metrics[METRIC.epReturnMean] = avg(recentReturns);
      metrics[METRIC.epLengthMean] = avg(recentLengths);
    }
    hooks.onUpdate?.(stepsDone, metrics);
    hooks.onProgress?.({ stepsDone, totalSteps: config.totalTimesteps, fps });

    // ---- Periodic evaluation and checkpoints ----
    if (stepsDone >= nextEvalAt && stepsDone < config.totalTimesteps) {
      const result = evaluate(config.evalEpisodes);
      evaluations.push({ step: stepsDone, mean: result.mean, std: result.std });
      hooks.onEval?.(stepsDone, result);
      while (nextEvalAt <= stepsDone) nextEvalAt += config.evalFreq;
    }
    if (stepsDone >= nextCheckpointAt && stepsDone < config.totalTimesteps) {
      hooks.onCheckpoint?.(checkpoint());
      while (nextCheckpointAt <= stepsDone) nextCheckpointAt += config.checkpointFreq;
    }
    // Yield to the event loop so cancellation and host messages get through.
    if (iteration % 8 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  let finalEval: TrainResult['finalEval'] = null;
  if (!cancelled) {
    const result = evaluate(config.finalEvalEpisodes);
    finalEval = { mean: result.mean, std: result.std, episodes: result.episodes };
    evaluations.push({ step: stepsDone, mean: result.mean, std: result.std });
    hooks.onEval?.(stepsDone, result);
  }
  hooks.onCheckpoint?.(checkpoint());
  return {
    finalEval,
    stepsDone,
    wallSeconds: (performance.now() - wallStart) / 1000,
    backend,
    calibration,
    cancelled,
    rolloutSeconds,
    updateSeconds,
    evaluations,
  };
}
