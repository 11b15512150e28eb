/**
 * The training configuration: one schema per algorithm (PPO, A2C, TRPO, REINFORCE, GRPO), joined as a discriminated union
 * on `algorithm` over the fields they share; one defaults object per algorithm (the reference implementation's
 * constructor defaults); one function for derived sizes. The resolved config is what a run stores. A stored config
 * without `algorithm` (every run before the ancestors were added) reads as PPO.
 *
 * Defaults: PPO — Stable-Baselines3 `PPO.__init__` (stable_baselines3/ppo/ppo.py); A2C — SB3 `A2C.__init__`
 * (stable_baselines3/a2c/a2c.py); TRPO — sb3-contrib `TRPO.__init__` (sb3_contrib/trpo/trpo.py); REINFORCE — no
 * reference library ships one, so Proxima documents its own (Williams 1992; Spinning Up's VPG for the baseline);
 * GRPO — DeepSeekMath's (Shao et al. 2024, §4.1) clip range and β, with Proxima's own choices for control where the
 * paper's are a language model's (groups of episodes, Adam step size, epochs).
 */
import { z } from 'zod';
import { englishText, type Coded, type MessageCode } from '../validation/coded-messages';
import { codedOf, domainErrors, numberBounds, writtenMessage } from '../validation/issue-messages';

export const ALGORITHMS = ['ppo', 'a2c', 'trpo', 'reinforce', 'grpo'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Display names of the algorithms. */
export const ALGORITHM_LABELS: Readonly<Record<Algorithm, string>> = Object.freeze({
  ppo: 'PPO',
  a2c: 'A2C',
  trpo: 'TRPO',
  reinforce: 'REINFORCE',
  grpo: 'GRPO',
});

const schedule = z.enum(['constant', 'linear', 'exponential']);
const positiveInt = z.number().int().positive();

/**
 * Upper bounds on values that cannot be meant on the machines Proxima runs on (a typo such as an extra zero, or a
 * hostile imported file): each is far beyond any published setting for these tasks, and each keeps a run's memory
 * and time finite.
 */
export const CONFIG_LIMITS = Object.freeze({
  totalTimesteps: 1_000_000_000,
  nEnvs: 1_024,
  /** nSteps × nEnvs: transitions held in one rollout buffer. */
  rolloutTransitions: 10_000_000,
  layerWidth: 4_096,
  layerCount: 16,
  evalEpisodes: 10_000,
  /** REINFORCE episodes per batch. */
  episodesPerBatch: 10_000,
  /** TRPO conjugate-gradient iterations, line-search steps and critic passes per update. */
  trpoIterations: 1_000,
  /** GRPO minibatches per epoch. */
  minibatches: 10_000,
});

/** A limit's message, coded (`limitUnits`: "at most 4,096 units per layer"); the limit as the message writes it. */
const limitMessage = (code: MessageCode, limit: number): string => writtenMessage({ code, params: { limit: limit.toLocaleString('en-US') } });
const atMost = (limit: number, code: MessageCode) => positiveInt.max(limit, { error: limitMessage(code, limit) });
const layers = z
  .array(atMost(CONFIG_LIMITS.layerWidth, 'limitUnits'))
  .max(CONFIG_LIMITS.layerCount, { error: limitMessage('limitLayers', CONFIG_LIMITS.layerCount) });

/** Fields every algorithm has: the task, the budget, the networks, normalization, evaluation and plumbing. */
const commonFields = {
  /** Gymnasium environment id, e.g. `CartPole-v1`. */
  envId: z.string().min(1),
  /** Seed for network init, action sampling, minibatch shuffling and the environments (env i gets seed + i). */
  seed: z.number().int().nonnegative(),
  /** Training budget in environment steps, summed over all parallel environments. */
  totalTimesteps: atMost(CONFIG_LIMITS.totalTimesteps, 'limitSteps'),
  /** Number of parallel environments in the vector env. */
  nEnvs: atMost(CONFIG_LIMITS.nEnvs, 'limitEnvs'),
  /** Optimizer step size at the start of training (TRPO: the critic's; its policy step comes from the KL bound). */
  learningRate: z.number().positive(),
  /** How the learning rate moves over training (SB3 `lin_X` = linear to 0). */
  learningRateSchedule: schedule,
  /** Learning rate at the end of training for linear/exponential schedules. */
  learningRateEnd: z.number().nonnegative(),
  /** Discount factor γ. */
  gamma: z.number().min(0).max(1),
  /**
   * Adam's ε, added to √v̂ in the step's denominator: 1e-5 as in SB3 and CleanRL (the 37 details #3), not torch's
   * default 1e-8 (SB3 `policy_kwargs.optimizer_kwargs.eps`).
   */
  adamEps: z.number().positive(),
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
  /**
   * Evaluate every this many environment steps (0 = only at the end). `null` (the default): about 20 evaluations over
   * the budget (every 5% of totalTimesteps, rounded down to whole rollouts, at least one rollout), each cut short once
   * AUTO_EVAL_SECONDS have passed after its first finished episode, so a curve of evaluations costs little time.
   */
  evalFreq: z.number().int().nonnegative().nullable(),
  /** Episodes per periodic evaluation. */
  evalEpisodes: atMost(CONFIG_LIMITS.evalEpisodes, 'limitEvalEpisodes'),
  /** Episodes of the final evaluation reported in the run result. */
  finalEvalEpisodes: atMost(CONFIG_LIMITS.evalEpisodes, 'limitEvalEpisodes'),
  /** Evaluate the greedy policy (argmax / Gaussian mean) rather than sampling. */
  evalDeterministic: z.boolean(),
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
};

/** One loss on policy, value and entropy with one optimizer (PPO, A2C, REINFORCE; TRPO splits them). */
const actorCriticLossFields = {
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
};

/** Fixed-length rollouts of nSteps per env with GAE advantages (PPO, A2C, TRPO). */
const nStepRolloutFields = {
  /** Steps collected per environment per rollout; the buffer holds nSteps × nEnvs. */
  nSteps: positiveInt,
  /** GAE λ: 0 = one-step TD advantages, 1 = Monte Carlo advantages (bootstrapped at the rollout's end). */
  gaeLambda: z.number().min(0).max(1),
};

export const ppoConfigSchema = z
  .object({
    /** The algorithm: PPO (Schulman et al. 2017), as SB3 and CleanRL implement it. */
    algorithm: z.literal('ppo'),
    ...commonFields,
    ...actorCriticLossFields,
    ...nStepRolloutFields,
    /**
     * Minibatch size; must divide nSteps × nEnvs (a minibatch never straddles two shuffles). In `episodes` rollout mode
     * each collected batch is one minibatch and this field is not used.
     */
    batchSize: positiveInt,
    /** Passes over the rollout buffer per update. */
    nEpochs: positiveInt,
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
    /**
     * How the KL terms of `kl-adaptive`, `kl-fixed` and `clip+kl` (the penalty and the adaptive β's d) are computed:
     * `exact` — KL[π_old(·|s) ‖ π(·|s)] of the whole action distribution, as the paper writes it (categorical: the sum
     * over actions; Gaussian and gSDE: the closed form); `k3` — the sample estimate (r − 1) − log r on the action
     * taken (Schulman 2020), what Proxima used before this field existed: a stored config without it reads as `k3`.
     */
    klEstimator: z.enum(['exact', 'k3']),
    /** Stop the update's epochs once a minibatch's approx KL exceeds 1.5 × targetKl (SB3); null = off. */
    targetKl: z.number().positive().nullable(),
    /** Advantage normalization: per minibatch (SB3/CleanRL), once per rollout batch, or off. */
    normalizeAdvantage: z.enum(['per-minibatch', 'per-batch', 'off']),
    /** `steps`: fixed nSteps per env; `episodes`: collect until every env finishes an episode, train on it as one batch. */
    rolloutMode: z.enum(['steps', 'episodes']),
    /**
     * What PPO maximizes: `env` — the environment's reward; `preferences` — a reward r̂(s, a) learned from a synthetic
     * rater's preferences between pairs of segments of the rollouts (Christiano et al. 2017), scaled by its running std.
     * Episode returns and evaluations stay the environment's. A stored config without the field reads as `env`.
     */
    rewardSource: z.enum(['env', 'preferences']),
    /** Preferences: most labels (rated pairs of segments) the whole run may ask the rater for. */
    preferenceLabelBudget: positiveInt,
    /** Preferences: pairs drawn from each rollout and rated, until the budget is spent. */
    preferenceLabelsPerUpdate: positiveInt,
    /** Preferences: steps per segment (a segment stops early where its episode ends). */
    preferenceSegmentLength: positiveInt,
    /**
     * Preferences: the rater's Bradley–Terry temperature on true segment returns — it prefers segment 1 with
     * probability sigmoid((R¹ − R²) / temperature); 0 = always the segment with the higher true return.
     */
    preferenceRaterTemperature: z.number().nonnegative(),
    /** Preferences: probability that the rater's label is flipped (its mistakes; Christiano et al. use 10%). */
    preferenceErrorRate: z.number().min(0).max(1),
    /** Preferences: hidden sizes of the reward model r̂(s, a) (tanh MLP). */
    preferenceRewardLayers: layers,
    /** Preferences: Adam step size of the reward model. */
    preferenceLearningRate: z.number().positive(),
    /** Preferences: passes over the whole preference set per update (minibatches of 64 pairs). */
    preferenceEpochs: positiveInt,
  })
  .strict();

export const a2cConfigSchema = z
  .object({
    /** The algorithm: A2C (Mnih et al. 2016, synchronous), as Stable-Baselines3 implements it. */
    algorithm: z.literal('a2c'),
    ...commonFields,
    ...actorCriticLossFields,
    ...nStepRolloutFields,
    /** Normalize the advantages over the rollout (SB3 `normalize_advantage`, off by default: not in the original A2C). */
    normalizeAdvantage: z.enum(['per-batch', 'off']),
    /** RMSprop (the original A2C's optimizer, SB3's default) rather than Adam (SB3 `use_rms_prop`). */
    useRmsProp: z.boolean(),
    /** RMSprop's smoothing constant α (SB3 passes alpha=0.99). */
    rmsPropAlpha: z.number().min(0).lt(1),
    /** RMSprop's ε, added to √v (SB3 `rms_prop_eps`). */
    rmsPropEps: z.number().positive(),
  })
  .strict();

export const trpoConfigSchema = z
  .object({
    /** The algorithm: TRPO (Schulman et al. 2015), as sb3-contrib implements it. */
    algorithm: z.literal('trpo'),
    ...commonFields,
    ...nStepRolloutFields,
    /** Minibatch size of the critic's passes; the policy step uses the whole rollout. */
    batchSize: positiveInt,
    /** The trust region: the mean KL(π_new‖π_old) a policy step may reach (sb3-contrib `target_kl`). */
    targetKl: z.number().positive(),
    /** Normalize the advantages over the rollout (sb3-contrib `normalize_advantage`, on by default). */
    normalizeAdvantage: z.enum(['per-batch', 'off']),
    /** Conjugate-gradient iterations solving F·x = g for the search direction (`cg_max_steps`). */
    cgMaxSteps: atMost(CONFIG_LIMITS.trpoIterations, 'limitCgSteps'),
    /** Damping added to the Fisher-vector product, (F + damping·I)·v (`cg_damping`). */
    cgDamping: z.number().nonnegative(),
    /** Step-size factor per backtracking step of the line search, θ = θ_old + shrink^i · step (`line_search_shrinking_factor`). */
    lineSearchShrinkingFactor: z.number().gt(0).lt(1),
    /** Most steps tried by the line search before the update is given up (`line_search_max_iter`). */
    lineSearchMaxIter: atMost(CONFIG_LIMITS.trpoIterations, 'limitLineSearchSteps'),
    /** Passes of minibatch Adam steps on the value loss per update, after the policy step (`n_critic_updates`). */
    nCriticUpdates: atMost(CONFIG_LIMITS.trpoIterations, 'limitCriticPasses'),
    /** Use every k-th transition for the policy step (`sub_sampling_factor`; Schulman's thesis pp. 40–42). */
    subSamplingFactor: positiveInt,
  })
  .strict();

export const reinforceConfigSchema = z
  .object({
    /** The algorithm: REINFORCE (Williams 1992), the Monte-Carlo policy gradient, optionally with a learned baseline. */
    algorithm: z.literal('reinforce'),
    ...commonFields,
    ...actorCriticLossFields,
    /** Whole episodes collected per gradient step, summed over the parallel environments. */
    episodesPerBatch: atMost(CONFIG_LIMITS.episodesPerBatch, 'limitEpisodesPerBatch'),
    /** Weight log π(a_t|s_t) by the return from t on ("causality") rather than by the whole episode's return. */
    rewardToGo: z.boolean(),
    /** Subtract a learned state value V(s_t) from the return (REINFORCE with baseline); V is fit to the returns. */
    useBaseline: z.boolean(),
    /** Standardize the batch's returns, (G − mean) / std, before the baseline and the policy gradient. */
    normalizeReturns: z.boolean(),
  })
  .strict();

/** The common fields but the value network's: GRPO has none (the group's mean return is its baseline). */
const { vfLayers: _valueLayers, ...policyOnlyFields } = commonFields;

export const grpoConfigSchema = z
  .object({
    /**
     * The algorithm: GRPO (Shao et al. 2024, DeepSeekMath §4.1) for control: no critic; groups of episodes from one
     * start state, each step's advantage its episode's return against the group's; PPO's clipped ratio plus β·KL to
     * a reference policy.
     */
    algorithm: z.literal('grpo'),
    ...policyOnlyFields,
    /** Entropy bonus coefficient at the start of training (DeepSeekMath has none: 0). */
    entCoef: actorCriticLossFields.entCoef,
    /** How the entropy coefficient moves over training. */
    entCoefSchedule: actorCriticLossFields.entCoefSchedule,
    /** Entropy coefficient at the end of training for linear/exponential schedules. */
    entCoefEnd: actorCriticLossFields.entCoefEnd,
    /** Global gradient-norm clip; null = no clipping. */
    maxGradNorm: actorCriticLossFields.maxGradNorm,
    /**
     * G: episodes per group. A group's episodes all start from one state (the same reset seed, so the same state bit
     * for bit) and differ only by the policy's sampling; DeepSeekMath samples 64 outputs per question.
     */
    groupSize: positiveInt
      .min(2, { error: writtenMessage({ code: 'groupTooSmall', params: {} }) })
      .max(CONFIG_LIMITS.episodesPerBatch, { error: limitMessage('limitEpisodesPerGroup', CONFIG_LIMITS.episodesPerBatch) }),
    /** Groups per update, each from its own start state: the update trains on groupSize × groupsPerUpdate episodes. */
    groupsPerUpdate: atMost(CONFIG_LIMITS.episodesPerBatch, 'limitGroups'),
    /**
     * The advantage of step t of episode i: `outcome` (DeepSeekMath's outcome supervision) — every step gets
     * (Rᵢ − mean R)/(std R + ε) over the group's returns from the start; `reward-to-go` (its process-supervision
     * form for per-step rewards) — (Gᵢ,ₜ − mean_j Gⱼ,ₜ)/(std_j Gⱼ,ₜ + ε), the returns from t normalized over the group
     * at the same time step t (0 for an episode that has already ended).
     */
    groupAdvantage: z.enum(['outcome', 'reward-to-go']),
    /** Passes over the batch per update (DeepSeekMath's μ, GRPO iterations per batch). */
    nEpochs: positiveInt,
    /** Minibatches per epoch: the batch's steps, shuffled, split into this many nearly equal parts (its size varies). */
    nMinibatches: atMost(CONFIG_LIMITS.minibatches, 'limitMinibatches'),
    /** Clip range ε of the ratio π/π_old (DeepSeekMath's ε). */
    clipRange: z.number().positive(),
    /** β: weight of the KL penalty to the reference policy, the k3 estimate π_ref/π − log(π_ref/π) − 1 (DeepSeekMath: 0.04). */
    beta: z.number().nonnegative(),
    /** Replace the reference policy by the current one every this many updates; 0 = the reference stays the initial policy. */
    refSyncInterval: z.number().int().nonnegative(),
  })
  .strict();

export type PpoConfig = z.infer<typeof ppoConfigSchema>;
export type A2cConfig = z.infer<typeof a2cConfigSchema>;
export type TrpoConfig = z.infer<typeof trpoConfigSchema>;
export type ReinforceConfig = z.infer<typeof reinforceConfigSchema>;
export type GrpoConfig = z.infer<typeof grpoConfigSchema>;
/** A complete, validated configuration of any algorithm. */
export type TrainConfig = PpoConfig | A2cConfig | TrpoConfig | ReinforceConfig | GrpoConfig;
/** The config of one algorithm. */
export type ConfigOf<A extends Algorithm> = Extract<TrainConfig, { algorithm: A }>;
/** Every field any algorithm has. */
export type AnyConfigField = keyof PpoConfig | keyof A2cConfig | keyof TrpoConfig | keyof ReinforceConfig | keyof GrpoConfig;

const SCHEMAS = {
  ppo: ppoConfigSchema,
  a2c: a2cConfigSchema,
  trpo: trpoConfigSchema,
  reinforce: reinforceConfigSchema,
  grpo: grpoConfigSchema,
} as const;

/** The fields of each algorithm's config, in schema order. */
export const ALGORITHM_FIELDS: Readonly<Record<Algorithm, readonly string[]>> = Object.freeze(
  Object.fromEntries(ALGORITHMS.map((a) => [a, Object.freeze(Object.keys(SCHEMAS[a].shape))])) as Record<Algorithm, readonly string[]>,
);

/** Every field name of any algorithm, `algorithm` first, then in first-seen schema order (for validating sweep keys). */
export const configFieldNames: readonly AnyConfigField[] = Object.freeze([...new Set(ALGORITHMS.flatMap((a) => ALGORITHM_FIELDS[a]))] as AnyConfigField[]);

/** The algorithms that have `field`. */
export function algorithmsWithField(field: string): Algorithm[] {
  return ALGORITHMS.filter((a) => ALGORITHM_FIELDS[a].includes(field));
}

export function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && (ALGORITHMS as readonly string[]).includes(value);
}

/** Settings that are valid but probably not what was meant, coded (empty when none). */
export function configWarningsCoded(c: TrainConfig): Coded[] {
  const warnings: Coded[] = [];
  if (c.algorithm !== 'reinforce' && c.algorithm !== 'grpo' && !(c.algorithm === 'ppo' && c.rolloutMode === 'episodes')) {
    const rollout = c.nSteps * c.nEnvs;
    if (c.totalTimesteps < rollout) warnings.push({ code: 'shortBudget', params: { totalTimesteps: String(c.totalTimesteps), rollout: String(rollout) } });
  }
  return warnings;
}

/** `configWarningsCoded` as readable English sentences. */
export const configWarnings = (c: TrainConfig): string[] => configWarningsCoded(c).map(englishText);

/** The ways a field set for one algorithm is wrong for another, with what to use instead (codes of their hints). */
const MISPLACED_HINTS: Partial<Record<Algorithm, Record<string, MessageCode>>> = {
  trpo: {
    nEpochs: 'hintTrpoEpochs',
    entCoef: 'hintTrpoEntropy',
    entCoefSchedule: 'hintTrpoEntropy',
    entCoefEnd: 'hintTrpoEntropy',
    vfCoef: 'hintTrpoVfCoef',
    maxGradNorm: 'hintTrpoGradNorm',
    objective: 'hintTrpoObjective',
    clipRange: 'hintTrpoClipRange',
  },
  a2c: {
    nEpochs: 'hintA2cEpochs',
    batchSize: 'hintA2cBatchSize',
    objective: 'hintA2cObjective',
    clipRange: 'hintA2cClipRange',
    targetKl: 'hintA2cTargetKl',
  },
  reinforce: {
    nSteps: 'hintReinforceSteps',
    batchSize: 'hintReinforceBatchSize',
    nEpochs: 'hintReinforceEpochs',
    gaeLambda: 'hintReinforceGae',
  },
  ppo: {
    episodesPerBatch: 'hintPpoEpisodes',
    useRmsProp: 'hintPpoRmsProp',
    groupSize: 'hintPpoGroupSize',
    refSyncInterval: 'hintPpoRefSync',
  },
  grpo: {
    nSteps: 'hintGrpoSteps',
    episodesPerBatch: 'hintGrpoEpisodes',
    batchSize: 'hintGrpoBatchSize',
    gaeLambda: 'hintGrpoGae',
    vfCoef: 'hintGrpoNoValue',
    vfLayers: 'hintGrpoNoValue',
    useBaseline: 'hintGrpoBaseline',
    normalizeAdvantage: 'hintGrpoNormalize',
    normalizeReturns: 'hintGrpoNormalize',
    objective: 'hintGrpoObjective',
    targetKl: 'hintGrpoTargetKl',
    klTarget: 'hintGrpoKlTarget',
    klEstimator: 'hintGrpoKlEstimator',
  },
};

/** A problem with one field of a config. */
export interface ConfigIssue {
  /** Field path, e.g. ['batchSize'] or ['piLayers', 1]; [] for the config as a whole. */
  path: (string | number)[];
  message: string;
  /** The message as a code and its parameters, where it has one (src/core/validation/coded-messages.ts). */
  coded?: Coded;
}

export type ConfigParseResult = { ok: true; config: TrainConfig } | { ok: false; issues: ConfigIssue[] };

/** Cross-field rules of one algorithm's config (numbers as the English always wrote them: `String`, `toLocaleString`). */
function crossFieldIssues(c: TrainConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (field: string, code: MessageCode, params: Coded['params'] = {}): void => {
    const coded: Coded = { code, params };
    issues.push({ path: [field], message: englishText(coded), coded });
  };
  const grouped = (n: number): string => n.toLocaleString('en-US');
  const schedules: [string, number, number, string][] = [[c.learningRateSchedule, c.learningRate, c.learningRateEnd, 'learningRateEnd']];
  if (c.algorithm !== 'trpo') schedules.push([c.entCoefSchedule, c.entCoef, c.entCoefEnd, 'entCoefEnd']);
  if (c.algorithm === 'ppo') schedules.push([c.clipRangeSchedule, c.clipRange, c.clipRangeEnd, 'clipRangeEnd']);
  for (const [kind, start, end, name] of schedules) {
    if (kind === 'exponential' && !(start > 0 && end > 0)) add(name, 'exponentialSchedule', { start: String(start), end: String(end) });
  }
  if (c.sharedLayers.length === 0 && c.piLayers.length === 0 && c.useSde) add('useSde', 'sdeNeedsLayer');
  if (c.algorithm === 'grpo') {
    const episodes = c.groupSize * c.groupsPerUpdate;
    if (episodes > CONFIG_LIMITS.episodesPerBatch) add('groupsPerUpdate', 'groupEpisodesLimit', { episodes: grouped(episodes), limit: grouped(CONFIG_LIMITS.episodesPerBatch) });
    if (c.nEnvs > episodes) add('nEnvs', 'idleEnvs', { nEnvs: String(c.nEnvs), episodes: String(episodes) });
    // The running scale differs between a group's episodes, so their returns would no longer compare.
    if (c.normalizeReward) add('normalizeReward', 'grpoNormalizeReward');
    return issues;
  }
  if (c.algorithm === 'reinforce') return issues;
  const buffer = c.nSteps * c.nEnvs;
  if (buffer > CONFIG_LIMITS.rolloutTransitions) add('nSteps', 'rolloutLimit', { transitions: grouped(buffer), limit: grouped(CONFIG_LIMITS.rolloutTransitions) });
  if (c.algorithm === 'ppo' && c.rewardSource === 'preferences') {
    if (c.rolloutMode !== 'steps') add('rewardSource', 'preferencesNeedSteps');
    if (c.normalizeReward) add('normalizeReward', 'preferencesNormalizeReward');
    if (c.preferenceSegmentLength > c.nSteps) add('preferenceSegmentLength', 'segmentTooLong', { length: String(c.preferenceSegmentLength), nSteps: String(c.nSteps) });
    if (c.preferenceLabelsPerUpdate > c.preferenceLabelBudget) add('preferenceLabelsPerUpdate', 'labelsOverBudget', { perUpdate: String(c.preferenceLabelsPerUpdate), budget: String(c.preferenceLabelBudget) });
  }
  if (c.algorithm === 'ppo') {
    if (c.rolloutMode === 'steps' && buffer % c.batchSize !== 0) add('batchSize', 'batchSizeDivides', { batchSize: String(c.batchSize), buffer: String(buffer) });
    if (c.normalizeAdvantage !== 'off' && c.rolloutMode === 'steps' && (c.batchSize < 2 || buffer < 2)) add('batchSize', 'advantageNormBatch');
  } else if (c.normalizeAdvantage !== 'off' && buffer < 2) {
    // sb3-contrib asserts n_steps · n_envs > 1 for the same reason: the std of one advantage is NaN.
    add('nSteps', 'advantageNormRollout');
  }
  if (c.algorithm === 'trpo' && Math.ceil(buffer / c.subSamplingFactor) < 2) add('subSamplingFactor', 'subSamplingTooFew', { buffer: String(buffer) });
  return issues;
}

/**
 * Validates `input` as the config of `input.algorithm` (default `ppo`), with that algorithm's defaults filled in.
 * A field of another algorithm is reported naming both algorithms and, where one exists, what to use instead.
 */
export function safeParseTrainConfig(input: unknown): ConfigParseResult {
  const issue = (path: ConfigIssue['path'], coded: Coded): ConfigIssue => ({ path, message: englishText(coded), coded });
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: false, issues: [issue([], { code: 'notConfigObject', params: {} })] };
  const record = input as Record<string, unknown>;
  const algorithm = record.algorithm ?? 'ppo';
  if (!isAlgorithm(algorithm)) {
    return { ok: false, issues: [issue(['algorithm'], { code: 'unknownAlgorithm', params: { algorithms: ALGORITHMS.join(', '), value: String(JSON.stringify(algorithm)) } })] };
  }
  const fields = ALGORITHM_FIELDS[algorithm];
  const issues: ConfigIssue[] = [];
  const unknown: string[] = [];
  for (const key of Object.keys(record)) {
    if (fields.includes(key)) continue;
    const owners = algorithmsWithField(key);
    if (owners.length === 0) {
      unknown.push(key);
      continue;
    }
    const hint = MISPLACED_HINTS[algorithm]?.[key];
    const ownerNames = owners.map((a) => ALGORITHM_LABELS[a]).join('/');
    const params = { owners: ownerNames, algorithm: ALGORITHM_LABELS[algorithm] };
    issues.push(issue([key], hint ? { code: 'belongsToHint', params: { ...params, hint: { code: hint, params: {} } } } : { code: 'belongsTo', params }));
  }
  if (unknown.length) issues.push(issue([], { code: 'unknownConfigFields', params: { keys: unknown.join(', ') } }));
  if (issues.length) return { ok: false, issues };
  const shape = SCHEMAS[algorithm].shape as Record<string, z.ZodType>;
  // In domain words with the field's whole range: "gamma must be between 0 and 1 (got 1.5)".
  const boundsOf = (path: readonly PropertyKey[]) => (path.length === 1 && shape[String(path[0])] ? numberBounds(shape[String(path[0])] as z.ZodType) : null);
  // `reportInput`: the issues keep the value given, which their codes carry.
  const parsed = SCHEMAS[algorithm].safeParse({ ...CONFIG_DEFAULTS[algorithm], ...ABSENT_MEANS[algorithm], ...record, algorithm }, { error: domainErrors(boundsOf), reportInput: true });
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((zodIssue): ConfigIssue => {
        if (zodIssue.code === 'unrecognized_keys') return issue([], { code: 'unknownConfigFields', params: { keys: zodIssue.keys.join(', ') } });
        const coded = codedOf(zodIssue, boundsOf);
        return { path: zodIssue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: zodIssue.message, ...(coded ? { coded } : {}) };
      }),
    };
  }
  const config = parsed.data as TrainConfig;
  const cross = crossFieldIssues(config);
  return cross.length ? { ok: false, issues: cross } : { ok: true, config };
}

/** One line per issue: `field: problem`. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Fills defaults and validates; throws an Error whose message names each offending field. */
export function parseTrainConfig(input: unknown): TrainConfig {
  const result = safeParseTrainConfig(input);
  if (!result.ok) throw new Error(`invalid config: ${formatConfigIssues(result.issues)}`);
  return result.config;
}

/** `parseTrainConfig` for a config that must be PPO's (a missing `algorithm` is PPO). */
export function parsePpoConfig(input: unknown): PpoConfig {
  const config = parseTrainConfig(input);
  if (config.algorithm !== 'ppo') throw new Error(`invalid config: expected a PPO config, got algorithm ${config.algorithm}`);
  return config;
}

/**
 * Fields added after runs were stored with configs that lack them: what a config without the field means — the
 * behaviour those runs had — where that differs from the default of a new config. `parseTrainConfig` reads a missing
 * field this way (a stored run resumes, replays and compares as it ran); a new config states the new default
 * (`newConfigFields`, which presets and sweeps start from).
 */
const ABSENT_MEANS: { readonly [A in Algorithm]: Readonly<Partial<ConfigOf<A>>> } = Object.freeze({
  ppo: { klEstimator: 'k3', rewardSource: 'env' },
  a2c: {},
  trpo: {},
  reinforce: {},
  grpo: {},
});

/** The fields of ABSENT_MEANS with the defaults of a new config: what a new config of `algorithm` must state. */
export function newConfigFields(algorithm: Algorithm): Record<string, unknown> {
  const defaults = CONFIG_DEFAULTS[algorithm] as Readonly<Record<string, unknown>>;
  return Object.fromEntries(Object.keys(ABSENT_MEANS[algorithm]).map((field) => [field, defaults[field]]));
}

/** The common defaults shared by every algorithm: SB3's policy and VecNormalize defaults plus RL Zoo's evaluation. */
const COMMON_DEFAULTS = {
  envId: 'CartPole-v1',
  seed: 0,
  totalTimesteps: 100_000,
  nEnvs: 1,
  learningRateSchedule: 'constant',
  learningRateEnd: 0,
  gamma: 0.99,
  adamEps: 1e-5,
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
  evalFreq: null,
  evalEpisodes: 5,
  finalEvalEpisodes: 20,
  evalDeterministic: true,
  backend: 'auto',
  checkpointFreq: null,
  checkpointMinutes: 5,
  statsWindowSize: 100,
} as const;

/** Stable-Baselines3 PPO constructor defaults (+ RL Zoo evaluation defaults), in Proxima's names. */
export const PPO_DEFAULTS: Readonly<PpoConfig> = Object.freeze({
  algorithm: 'ppo',
  ...COMMON_DEFAULTS,
  sharedLayers: [],
  piLayers: [64, 64],
  vfLayers: [64, 64],
  learningRate: 3e-4,
  nSteps: 2048,
  batchSize: 64,
  nEpochs: 10,
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
  // The paper's KL for new runs; a stored config without the field reads as 'k3' (ABSENT_MEANS).
  klEstimator: 'exact',
  entCoef: 0,
  entCoefSchedule: 'constant',
  entCoefEnd: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: null,
  normalizeAdvantage: 'per-minibatch',
  rolloutMode: 'steps',
  rewardSource: 'env',
  preferenceLabelBudget: 2000,
  preferenceLabelsPerUpdate: 100,
  preferenceSegmentLength: 25,
  preferenceRaterTemperature: 0,
  preferenceErrorRate: 0,
  preferenceRewardLayers: [32, 32],
  preferenceLearningRate: 1e-3,
  preferenceEpochs: 3,
} satisfies PpoConfig);

/** Stable-Baselines3 A2C constructor defaults: lr 7e-4, n_steps 5, λ 1, RMSprop(α 0.99, ε 1e-5), no advantage normalization. */
export const A2C_DEFAULTS: Readonly<A2cConfig> = Object.freeze({
  algorithm: 'a2c',
  ...COMMON_DEFAULTS,
  sharedLayers: [],
  piLayers: [64, 64],
  vfLayers: [64, 64],
  learningRate: 7e-4,
  nSteps: 5,
  gaeLambda: 1,
  entCoef: 0,
  entCoefSchedule: 'constant',
  entCoefEnd: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  normalizeAdvantage: 'off',
  useRmsProp: true,
  rmsPropAlpha: 0.99,
  rmsPropEps: 1e-5,
} satisfies A2cConfig);

/** sb3-contrib TRPO constructor defaults: critic lr 1e-3, n_steps 2048, batch 128, CG 15 steps damping 0.1, KL 0.01. */
export const TRPO_DEFAULTS: Readonly<TrpoConfig> = Object.freeze({
  algorithm: 'trpo',
  ...COMMON_DEFAULTS,
  sharedLayers: [],
  piLayers: [64, 64],
  vfLayers: [64, 64],
  learningRate: 1e-3,
  nSteps: 2048,
  gaeLambda: 0.95,
  batchSize: 128,
  targetKl: 0.01,
  normalizeAdvantage: 'per-batch',
  cgMaxSteps: 15,
  cgDamping: 0.1,
  lineSearchShrinkingFactor: 0.8,
  lineSearchMaxIter: 10,
  nCriticUpdates: 10,
  subSamplingFactor: 1,
} satisfies TrpoConfig);

/**
 * REINFORCE defaults (no reference library has one): reward-to-go, a learned baseline, Adam at 1e-3, whole episodes
 * in batches of 8 on one env, the same 64-64 tanh networks as the others.
 */
export const REINFORCE_DEFAULTS: Readonly<ReinforceConfig> = Object.freeze({
  algorithm: 'reinforce',
  ...COMMON_DEFAULTS,
  sharedLayers: [],
  piLayers: [64, 64],
  vfLayers: [64, 64],
  learningRate: 1e-3,
  entCoef: 0,
  entCoefSchedule: 'constant',
  entCoefEnd: 0,
  vfCoef: 0.5,
  maxGradNorm: null,
  episodesPerBatch: 8,
  rewardToGo: true,
  useBaseline: true,
  normalizeReturns: false,
} satisfies ReinforceConfig);

/** The common defaults but the value network's (GRPO). */
const { vfLayers: _valueLayerDefaults, ...POLICY_ONLY_DEFAULTS } = COMMON_DEFAULTS;

/**
 * GRPO defaults (no reference library has GRPO for control): DeepSeekMath's clip range 0.2 and β 0.04 with the
 * initial policy as the reference, undiscounted returns (γ 1: the outcome is the episode's return), groups of 8
 * episodes × 4 starts per update, 4 epochs of 4 minibatches, Adam 3e-4, the same 64-64 tanh policy as the others.
 */
export const GRPO_DEFAULTS: Readonly<GrpoConfig> = Object.freeze({
  algorithm: 'grpo',
  ...POLICY_ONLY_DEFAULTS,
  sharedLayers: [],
  piLayers: [64, 64],
  gamma: 1,
  learningRate: 3e-4,
  entCoef: 0,
  entCoefSchedule: 'constant',
  entCoefEnd: 0,
  maxGradNorm: 0.5,
  groupSize: 8,
  groupsPerUpdate: 4,
  groupAdvantage: 'outcome',
  nEpochs: 4,
  nMinibatches: 4,
  clipRange: 0.2,
  beta: 0.04,
  refSyncInterval: 0,
} satisfies GrpoConfig);

/** Each algorithm's defaults. */
export const CONFIG_DEFAULTS: { readonly [A in Algorithm]: Readonly<ConfigOf<A>> } = Object.freeze({
  ppo: PPO_DEFAULTS,
  a2c: A2C_DEFAULTS,
  trpo: TRPO_DEFAULTS,
  reinforce: REINFORCE_DEFAULTS,
  grpo: GRPO_DEFAULTS,
});

/** Sizes derived from the config, computed in one place. */
export interface DerivedSizes {
  /** Transitions per rollout (fixed-length rollouts; 0 when whole episodes are collected). */
  bufferSize: number;
  /** Minibatches per epoch (PPO, GRPO) or per critic pass (TRPO); 1 otherwise. */
  nMinibatches: number;
  /** Rollout/update iterations needed for the budget (fixed-length rollouts; 0 when whole episodes are collected). */
  nIterations: number;
  /** Environment steps between checkpoints (checkpointFreq, or 5% of the budget when it is null; 0 = only at the end). */
  checkpointEvery: number;
  /** Environment steps between periodic evaluations (evalFreq, or about 5% of the budget when it is null; 0 = only at the end). */
  evalEvery: number;
  /**
   * Wall seconds after which a periodic evaluation stops once one episode has finished (AUTO_EVAL_SECONDS with the
   * automatic frequency); null: it always plays evalEpisodes episodes (an explicit evalFreq, as before it existed).
   */
  evalSecondsLimit: number | null;
}

/** Share of the budget between automatic checkpoints (`checkpointFreq: null`): 20 over a run. */
const AUTO_CHECKPOINT_SHARE = 0.05;
/** Share of the budget between automatic evaluations (`evalFreq: null`): 19 during a run and the final one. */
const AUTO_EVAL_SHARE = 0.05;
/**
 * Wall seconds a periodic evaluation of the automatic frequency may take once its first episode has finished. The
 * default networks play the 5 episodes of any built-in env well within it; it bounds what 20 evaluations cost a run
 * with a large network. The final evaluation (the run's reported result) is never cut.
 */
export const AUTO_EVAL_SECONDS = 0.5;

export function derivedSizes(config: TrainConfig): DerivedSizes {
  const checkpointEvery = config.checkpointFreq ?? Math.ceil(config.totalTimesteps * AUTO_CHECKPOINT_SHARE);
  const evaluation = { evalEvery: config.evalFreq ?? autoEvalEvery(config), evalSecondsLimit: config.evalFreq === null ? AUTO_EVAL_SECONDS : null };
  if (config.algorithm === 'reinforce') return { bufferSize: 0, nMinibatches: 1, nIterations: 0, checkpointEvery, ...evaluation };
  if (config.algorithm === 'grpo') return { bufferSize: 0, nMinibatches: config.nMinibatches, nIterations: 0, checkpointEvery, ...evaluation };
  const bufferSize = config.nSteps * config.nEnvs;
  const batchSize = config.algorithm === 'a2c' ? bufferSize : config.batchSize;
  return {
    bufferSize,
    nMinibatches: Math.max(1, Math.floor(bufferSize / batchSize)),
    nIterations: Math.ceil(config.totalTimesteps / bufferSize),
    checkpointEvery,
    ...evaluation,
  };
}

/**
 * The automatic evaluation period: 5% of the budget rounded down to whole rollouts (so at least 19 evaluations fall
 * inside the budget when it holds 20 rollouts), at least one rollout. Whole-episode batches have no fixed length to
 * round to: the first batch past each 5% evaluates.
 */
function autoEvalEvery(config: TrainConfig): number {
  const share = Math.max(1, Math.floor(config.totalTimesteps * AUTO_EVAL_SHARE));
  if (config.algorithm === 'reinforce' || config.algorithm === 'grpo' || (config.algorithm === 'ppo' && config.rolloutMode === 'episodes')) return share;
  const rollout = config.nSteps * config.nEnvs;
  return Math.max(1, Math.floor(share / rollout)) * rollout;
}
