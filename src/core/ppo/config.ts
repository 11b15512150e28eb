/**
 * The PPO configuration: one schema, one defaults object (Stable-Baselines3's PPO defaults, the `PPO.__init__`
 * signature in stable_baselines3/ppo/ppo.py), one function for derived sizes. The resolved config is what a run stores.
 */
import { z } from 'zod';

const schedule = z.enum(['constant', 'linear', 'exponential']);
const positiveInt = z.number().int().positive();

/**
 * Upper bounds on values that cannot be meant on the machines Proxima runs on (a typo such as an extra zero, or a
 * hostile imported file): each is far beyond any published PPO setting for these tasks, and each keeps a run's
 * memory and time finite.
 */
export const CONFIG_LIMITS = Object.freeze({
  totalTimesteps: 1_000_000_000,
  nEnvs: 1_024,
  /** nSteps × nEnvs: transitions held in one rollout buffer. */
  rolloutTransitions: 10_000_000,
  layerWidth: 4_096,
  layerCount: 16,
  evalEpisodes: 10_000,
});

const atMost = (limit: number, what: string) => positiveInt.max(limit, { error: `at most ${limit.toLocaleString('en-US')} ${what}` });
const layers = z
  .array(atMost(CONFIG_LIMITS.layerWidth, 'units per layer'))
  .max(CONFIG_LIMITS.layerCount, { error: `at most ${CONFIG_LIMITS.layerCount} layers` });

export const ppoConfigSchema = z
  .object({
    /** Gymnasium environment id, e.g. `CartPole-v1`. */
    envId: z.string().min(1),
    /** Seed for network init, action sampling, minibatch shuffling and the environments (env i gets seed + i). */
    seed: z.number().int().nonnegative(),
    /** Training budget in environment steps, summed over all parallel environments. */
    totalTimesteps: atMost(CONFIG_LIMITS.totalTimesteps, 'steps per run'),
    /** Number of parallel environments in the vector env. */
    nEnvs: atMost(CONFIG_LIMITS.nEnvs, 'parallel environments'),
    /** Steps collected per environment per rollout (`rolloutMode: 'steps'`); the buffer holds nSteps × nEnvs. */
    nSteps: positiveInt,
    /**
     * Minibatch size; must divide nSteps × nEnvs (a minibatch never straddles two shuffles). In `episodes` rollout mode
     * each collected batch is one minibatch and this field is not used.
     */
    batchSize: positiveInt,
    /** Passes over the rollout buffer per update. */
    nEpochs: positiveInt,
    /** Adam step size at the start of training. */
    learningRate: z.number().positive(),
    /** How the learning rate moves over training (SB3 `lin_X` = linear to 0). */
    learningRateSchedule: schedule,
    /** Learning rate at the end of training for linear/exponential schedules. */
    learningRateEnd: z.number().nonnegative(),
    /** Discount factor γ. */
    gamma: z.number().min(0).max(1),
    /** GAE λ: 0 = one-step TD advantages, 1 = Monte Carlo advantages. */
    gaeLambda: z.number().min(0).max(1),
    /** Advantage estimator: GAE(γ, λ) or n-step returns (`nStepHorizon` rewards then a bootstrap). */
    advantageEstimator: z.enum(['gae', 'nstep']),
    /** n for the n-step estimator: rewards summed before bootstrapping from V. */
    nStepHorizon: positiveInt,
    /**
     * Policy objective: `clip` (clipped surrogate), `kl-adaptive` (paper's PPO-penalty with adaptive β),
     * `kl-fixed` (constant β), `clip+kl` (clipped surrogate plus a constant β·KL), `none` (unclipped surrogate).
     */
    objective: z.enum(['clip', 'kl-adaptive', 'kl-fixed', 'clip+kl', 'none']),
    /** Clip range ε of the surrogate at the start of training. */
    clipRange: z.number().positive(),
    /** How ε moves over training. */
    clipRangeSchedule: schedule,
    /** ε at the end of training for linear/exponential schedules. */
    clipRangeEnd: z.number().nonnegative(),
    /** Value clipping around the old value (SB3 `clip_range_vf`); null = no value clipping. */
    clipRangeVf: z.number().positive().nullable(),
    /** d_targ of the adaptive KL penalty: β halves below d_targ/1.5 and doubles above 1.5·d_targ. */
    klTarget: z.number().positive(),
    /** Initial KL penalty coefficient β (the paper starts at 1). */
    beta: z.number().nonnegative(),
    /** Entropy bonus coefficient at the start of training. */
    entCoef: z.number().nonnegative(),
    /** How the entropy coefficient moves over training. */
    entCoefSchedule: schedule,
    /** Entropy coefficient at the end of training for linear/exponential schedules. */
    entCoefEnd: z.number().nonnegative(),
    /** Value loss coefficient c1. */
    vfCoef: z.number().nonnegative(),
    /** Global gradient-norm clip; null = no clipping. */
    maxGradNorm: z.number().positive().nullable(),
    /**
     * Adam's ε, added to √v̂ in the step's denominator: 1e-5 as in SB3 and CleanRL PPO (the 37 details #3), not torch's
     * default 1e-8 (SB3 `policy_kwargs.optimizer_kwargs.eps`).
     */
    adamEps: z.number().positive(),
    /** Stop the update's epochs once a minibatch's approx KL exceeds 1.5 × targetKl (SB3); null = off. */
    targetKl: z.number().positive().nullable(),
    /** Advantage normalization: per minibatch (SB3/CleanRL), once per rollout batch, or off. */
    normalizeAdvantage: z.enum(['per-minibatch', 'per-batch', 'off']),
    /** Normalize observations with running statistics (VecNormalize `norm_obs`). */
    normalizeObs: z.boolean(),
    /** Scale rewards by the std of a running discounted return (VecNormalize `norm_reward`). */
    normalizeReward: z.boolean(),
    /** Clip normalized observations to ±this (VecNormalize `clip_obs`). */
    normClipObs: z.number().positive(),
    /** Clip normalized rewards to ±this (VecNormalize `clip_reward`). */
    normClipReward: z.number().positive(),
    /** Hidden sizes of a trunk shared by policy and value heads; [] = separate networks. */
    sharedLayers: layers,
    /** Hidden sizes of the policy network (after the shared trunk). */
    piLayers: layers,
    /** Hidden sizes of the value network (after the shared trunk). */
    vfLayers: layers,
    /** Hidden-layer activation. */
    activation: z.enum(['tanh', 'relu']),
    /** Orthogonal init with gains √2 (hidden), 0.01 (policy head), 1 (value head) and zero biases. */
    orthoInit: z.boolean(),
    /** Initial log standard deviation of Gaussian and gSDE policies. */
    logStdInit: z.number(),
    /** Generalized state-dependent exploration (continuous actions only). */
    useSde: z.boolean(),
    /** Resample the gSDE noise matrix every this many steps; -1 = only at the start of each rollout. */
    sdeSampleFreq: z.number().int().min(-1),
    /** Softmax temperature of discrete policies (logits / temperature) for sampling and the loss. */
    temperature: z.number().positive(),
    /** Evaluate every this many environment steps (0 = only at the end). */
    evalFreq: z.number().int().nonnegative(),
    /** Episodes per periodic evaluation. */
    evalEpisodes: atMost(CONFIG_LIMITS.evalEpisodes, 'episodes'),
    /** Episodes of the final evaluation reported in the run result. */
    finalEvalEpisodes: atMost(CONFIG_LIMITS.evalEpisodes, 'episodes'),
    /** Evaluate the greedy policy (argmax / Gaussian mean) rather than sampling. */
    evalDeterministic: z.boolean(),
    /** `steps`: fixed nSteps per env; `episodes`: collect until every env finishes an episode, train on it as one batch. */
    rolloutMode: z.enum(['steps', 'episodes']),
    /** tfjs backend; `auto` calibrates the available backends on this model and picks the fastest. */
    backend: z.enum(['auto', 'tfjs-node', 'wasm', 'cpu']),
    /**
     * Emit a checkpoint every this many environment steps, so an interrupted run resumes close to where it stopped.
     * `null` (the default): every 5% of totalTimesteps; 0: only at the end.
     */
    checkpointFreq: z.number().int().nonnegative().nullable(),
    /** Also emit a checkpoint once this many wall-clock minutes have passed since the last one (0 = never by time). */
    checkpointMinutes: z.number().nonnegative(),
    /** Episodes averaged in `rollout/ep_return_mean` (SB3 `stats_window_size`). */
    statsWindowSize: positiveInt,
  })
  .strict()
  .superRefine((c, ctx) => {
    const buffer = c.nSteps * c.nEnvs;
    if (buffer > CONFIG_LIMITS.rolloutTransitions) {
      ctx.addIssue({
        code: 'custom',
        path: ['nSteps'],
        message: `nSteps × nEnvs = ${buffer.toLocaleString('en-US')} transitions per rollout; at most ${CONFIG_LIMITS.rolloutTransitions.toLocaleString('en-US')}`,
      });
    }
    if (c.rolloutMode === 'steps' && buffer % c.batchSize !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['batchSize'],
        message: `batchSize ${c.batchSize} does not divide nSteps × nEnvs = ${buffer}`,
      });
    }
    if (c.normalizeAdvantage !== 'off' && c.rolloutMode === 'steps' && (c.batchSize < 2 || buffer < 2)) {
      ctx.addIssue({ code: 'custom', path: ['batchSize'], message: 'advantage normalization needs batchSize > 1' });
    }
    for (const [kind, start, end, name] of [
      [c.learningRateSchedule, c.learningRate, c.learningRateEnd, 'learningRateEnd'],
      [c.clipRangeSchedule, c.clipRange, c.clipRangeEnd, 'clipRangeEnd'],
      [c.entCoefSchedule, c.entCoef, c.entCoefEnd, 'entCoefEnd'],
    ] as const) {
      if (kind === 'exponential' && !(start > 0 && end > 0)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `an exponential schedule needs start and end > 0 (got ${start} → ${end})` });
      }
    }
    if (c.sharedLayers.length === 0 && c.piLayers.length === 0 && c.useSde) {
      ctx.addIssue({ code: 'custom', path: ['useSde'], message: 'gSDE needs at least one hidden layer for its features' });
    }
  });

export type PpoConfig = z.infer<typeof ppoConfigSchema>;

/**
 * Settings that are valid but probably not what was meant, as readable sentences (empty when none): a budget smaller
 * than one rollout trains on a single, partly unused rollout.
 */
export function configWarnings(c: PpoConfig): string[] {
  const warnings: string[] = [];
  const rollout = c.nSteps * c.nEnvs;
  if (c.rolloutMode === 'steps' && c.totalTimesteps < rollout) {
    warnings.push(`totalTimesteps ${c.totalTimesteps} is less than one rollout (nSteps × nEnvs = ${rollout}): the run does a single update on ${rollout} steps`);
  }
  return warnings;
}

/** Stable-Baselines3 PPO constructor defaults (+ RL Zoo evaluation defaults), in Proxima's names. */
export const PPO_DEFAULTS: Readonly<PpoConfig> = Object.freeze({
  envId: 'CartPole-v1',
  seed: 0,
  totalTimesteps: 100_000,
  nEnvs: 1,
  nSteps: 2048,
  batchSize: 64,
  nEpochs: 10,
  learningRate: 3e-4,
  learningRateSchedule: 'constant',
  learningRateEnd: 0,
  gamma: 0.99,
  gaeLambda: 0.95,
  advantageEstimator: 'gae',
  nStepHorizon: 5,
  objective: 'clip',
  clipRange: 0.2,
  clipRangeSchedule: 'constant',
  clipRangeEnd: 0,
  clipRangeVf: null,
  klTarget: 0.01,
  beta: 1,
  entCoef: 0,
  entCoefSchedule: 'constant',
  entCoefEnd: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  adamEps: 1e-5,
  targetKl: null,
  normalizeAdvantage: 'per-minibatch',
  normalizeObs: false,
  normalizeReward: false,
  normClipObs: 10,
  normClipReward: 10,
  sharedLayers: [],
  piLayers: [64, 64],
  vfLayers: [64, 64],
  activation: 'tanh',
  orthoInit: true,
  logStdInit: 0,
  useSde: false,
  sdeSampleFreq: -1,
  temperature: 1,
  evalFreq: 25_000,
  evalEpisodes: 5,
  finalEvalEpisodes: 20,
  evalDeterministic: true,
  rolloutMode: 'steps',
  backend: 'auto',
  checkpointFreq: null,
  checkpointMinutes: 5,
  statsWindowSize: 100,
} satisfies PpoConfig);

/** Every field name of PpoConfig (for validating sweep keys). */
export const configFieldNames: readonly (keyof PpoConfig)[] = Object.freeze(
  Object.keys(ppoConfigSchema.shape) as (keyof PpoConfig)[],
);

/** Fills defaults and validates; throws an Error whose message names each offending field. */
export function parsePpoConfig(input: unknown): PpoConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new Error('PpoConfig must be an object');
  }
  const parsed = ppoConfigSchema.safeParse({ ...PPO_DEFAULTS, ...(input as Record<string, unknown>) });
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
    const field = issue.path.join('.') || '(config)';
    return `${field}: ${issue.message}`;
  });
  throw new Error(`invalid PpoConfig: ${lines.join('; ')}`);
}

/** Sizes derived from the config, computed in one place. */
export interface DerivedSizes {
  /** Transitions per rollout (steps mode); episodes mode collects a variable number. */
  bufferSize: number;
  /** Minibatches per epoch (steps mode). */
  nMinibatches: number;
  /** Rollout/update iterations needed for the budget (steps mode). */
  nIterations: number;
  /** Environment steps between checkpoints (checkpointFreq, or 5% of the budget when it is null; 0 = only at the end). */
  checkpointEvery: number;
}

/** Share of the budget between automatic checkpoints (`checkpointFreq: null`): 20 over a run. */
const AUTO_CHECKPOINT_SHARE = 0.05;

export function derivedSizes(config: PpoConfig): DerivedSizes {
  const bufferSize = config.nSteps * config.nEnvs;
  return {
    bufferSize,
    nMinibatches: Math.max(1, Math.floor(bufferSize / config.batchSize)),
    nIterations: Math.ceil(config.totalTimesteps / bufferSize),
    checkpointEvery: config.checkpointFreq ?? Math.ceil(config.totalTimesteps * AUTO_CHECKPOINT_SHARE),
  };
}
