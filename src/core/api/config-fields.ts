/**
 * One-line meanings of the config fields of every algorithm, for the config form's labels and tooltips (the same text
 * as the doc comments of src/core/training/config.ts; the Record type makes a new field without a meaning a type
 * error). A field whose meaning differs by algorithm has its own line in CONFIG_FIELD_DOCS_BY_ALGORITHM.
 */
import type { Algorithm, AnyConfigField } from '../training/config';

export const CONFIG_FIELD_DOCS: Readonly<Record<AnyConfigField, string>> = {
  algorithm: 'The algorithm: PPO (clipped or penalized surrogate), A2C (advantage actor-critic), TRPO (KL trust region, natural gradient), REINFORCE (Monte-Carlo policy gradient) or GRPO (group baseline, no critic).',
  envId: 'Gymnasium environment id, e.g. `CartPole-v1`.',
  seed: 'Seed for network init, action sampling, minibatch shuffling and the environments (env i gets seed + i).',
  totalTimesteps: 'Training budget in environment steps, summed over all parallel environments.',
  nEnvs: 'Number of parallel environments in the vector env.',
  nSteps: 'Steps collected per environment per rollout (`rolloutMode: \'steps\'`); the buffer holds nSteps × nEnvs.',
  batchSize: 'Minibatch size; must divide nSteps × nEnvs (a minibatch never straddles two shuffles).',
  nEpochs: 'Passes over the rollout buffer per update.',
  learningRate: 'Adam step size at the start of training.',
  learningRateSchedule: 'How the learning rate moves over training (SB3 `lin_X` = linear to 0).',
  learningRateEnd: 'Learning rate at the end of training for linear/exponential schedules.',
  gamma: 'Discount factor γ.',
  gaeLambda: 'GAE λ: 0 = one-step TD advantages, 1 = Monte Carlo advantages.',
  advantageEstimator: 'Advantage estimator: GAE(γ, λ) or n-step returns (`nStepHorizon` rewards then a bootstrap).',
  nStepHorizon: 'n for the n-step estimator: rewards summed before bootstrapping from V.',
  objective: 'Policy objective: `clip` (clipped surrogate), `kl-adaptive` (paper\'s PPO-penalty with adaptive β), `kl-fixed` (constant β), `clip+kl` (clipped surrogate plus a constant β·KL), `none` (unclipped surrogate).',
  clipRange: 'Clip range ε of the surrogate at the start of training.',
  clipRangeSchedule: 'How ε moves over training.',
  clipRangeEnd: 'ε at the end of training for linear/exponential schedules.',
  clipRangeVf: 'Value clipping around the old value (SB3 `clip_range_vf`); null = no value clipping.',
  klTarget: 'd_targ of the adaptive KL penalty: β halves below d_targ/1.5 and doubles above 1.5·d_targ.',
  beta: 'Initial KL penalty coefficient β (the paper starts at 1).',
  klEstimator: 'KL of the penalty objectives (kl-adaptive, kl-fixed, clip+kl): `exact` — the KL between the old and new action distributions, as the paper writes it; `k3` — the sample estimate (r − 1) − log r on the action taken (runs stored before this setting used it).',
  rewardSource: 'What PPO maximizes: `env` — the environment\'s reward; `preferences` — a reward learned from a simulated rater\'s preferences between pairs of rollout segments (RLHF in miniature). Episode returns stay the environment\'s.',
  preferenceLabelBudget: 'Learned reward: most pairs of segments the whole run may ask the rater to compare.',
  preferenceLabelsPerUpdate: 'Learned reward: pairs drawn from each rollout and rated, until the budget is spent.',
  preferenceSegmentLength: 'Learned reward: steps per segment (shorter where its episode ends).',
  preferenceRaterTemperature: 'Learned reward: how noisy the rater is — it prefers the segment with the higher true return with probability sigmoid(difference / temperature); 0 = always the better one.',
  preferenceErrorRate: 'Learned reward: probability that the rater\'s answer is flipped (a mistake).',
  preferenceRewardLayers: 'Learned reward: hidden sizes of the reward network r̂(s, a).',
  preferenceLearningRate: 'Learned reward: Adam step size of the reward network.',
  preferenceEpochs: 'Learned reward: passes over all collected comparisons per update.',
  entCoef: 'Entropy bonus coefficient at the start of training.',
  entCoefSchedule: 'How the entropy coefficient moves over training.',
  entCoefEnd: 'Entropy coefficient at the end of training for linear/exponential schedules.',
  vfCoef: 'Value loss coefficient c1.',
  maxGradNorm: 'Global gradient-norm clip; null = no clipping.',
  adamEps: 'Adam\'s ε, added to √v̂ in the step\'s denominator: 1e-5 as in SB3 and CleanRL PPO, not torch\'s default 1e-8 (SB3 `policy_kwargs.optimizer_kwargs.eps`).',
  targetKl: 'Stop the update\'s epochs once a minibatch\'s approx KL exceeds 1.5 × targetKl (SB3); null = off.',
  normalizeAdvantage: 'Advantage normalization: per minibatch (SB3/CleanRL), once per rollout batch, or off.',
  normalizeObs: 'Normalize observations with running statistics (VecNormalize `norm_obs`).',
  normalizeReward: 'Scale rewards by the std of a running discounted return (VecNormalize `norm_reward`).',
  normClipObs: 'Clip normalized observations to ±this (VecNormalize `clip_obs`).',
  normClipReward: 'Clip normalized rewards to ±this (VecNormalize `clip_reward`).',
  sharedLayers: 'Hidden sizes of a trunk shared by policy and value heads; [] = separate networks.',
  piLayers: 'Hidden sizes of the policy network (after the shared trunk).',
  vfLayers: 'Hidden sizes of the value network (after the shared trunk).',
  activation: 'Hidden-layer activation.',
  orthoInit: 'Orthogonal init with gains √2 (hidden), 0.01 (policy head), 1 (value head) and zero biases.',
  logStdInit: 'Initial log standard deviation of Gaussian and gSDE policies.',
  useSde: 'Generalized state-dependent exploration (continuous actions only).',
  sdeSampleFreq: 'Resample the gSDE noise matrix every this many steps; -1 = only at the start of each rollout.',
  temperature: 'Softmax temperature of discrete policies (logits / temperature) for sampling and the loss.',
  evalFreq: 'Evaluate every this many environment steps (empty = about 20 evaluations over the budget, each kept short; 0 = only at the end).',
  evalEpisodes: 'Episodes per periodic evaluation.',
  finalEvalEpisodes: 'Episodes of the final evaluation reported in the run result.',
  evalDeterministic: 'Evaluate the greedy policy (argmax / Gaussian mean) rather than sampling.',
  rolloutMode: '`steps`: fixed nSteps per env; `episodes`: collect until every env finishes an episode, train on it as one batch.',
  backend: 'tfjs backend; `auto` calibrates the available backends on this model and picks the fastest.',
  checkpointFreq: 'Emit a checkpoint every this many environment steps, so an interrupted run can resume near where it stopped (empty = every 5% of totalTimesteps; 0 = only at the end).',
  checkpointMinutes: 'Also emit a checkpoint once this many wall-clock minutes have passed since the last one (0 = never by time).',
  statsWindowSize: 'Episodes averaged in `rollout/ep_return_mean` (SB3 `stats_window_size`).',
  useRmsProp: 'RMSprop (the original A2C\'s optimizer, SB3\'s default) rather than Adam (SB3 `use_rms_prop`).',
  rmsPropAlpha: 'RMSprop\'s smoothing constant α (SB3 passes alpha=0.99).',
  rmsPropEps: 'RMSprop\'s ε, added to √v (SB3 `rms_prop_eps`).',
  cgMaxSteps: 'Conjugate-gradient iterations solving F·x = g for the search direction (`cg_max_steps`).',
  cgDamping: 'Damping added to the Fisher-vector product, (F + damping·I)·v (`cg_damping`).',
  lineSearchShrinkingFactor: 'Step-size factor per backtracking step of the line search, θ = θ_old + shrink^i · step (`line_search_shrinking_factor`).',
  lineSearchMaxIter: 'Most steps tried by the line search before the update is given up (`line_search_max_iter`).',
  nCriticUpdates: 'Passes of minibatch Adam steps on the value loss per update, after the policy step (`n_critic_updates`).',
  subSamplingFactor: 'Use every k-th transition for the policy step (`sub_sampling_factor`).',
  episodesPerBatch: 'Whole episodes collected per gradient step, summed over the parallel environments.',
  rewardToGo: 'Weight log π(a_t|s_t) by the return from t on ("causality") rather than by the whole episode\'s return.',
  useBaseline: 'Subtract a learned state value V(s_t) from the return (REINFORCE with baseline); V is fit to the returns.',
  normalizeReturns: 'Standardize the batch\'s returns, (G − mean) / std, before the baseline and the policy gradient.',
  groupSize: 'Episodes per group. A group\'s episodes all start from one state (the same reset seed) and differ only by the policy\'s sampling.',
  groupsPerUpdate: 'Groups per update, each from its own start state: an update trains on groupSize × groupsPerUpdate episodes.',
  groupAdvantage: 'Advantage of a step: `outcome` — its episode\'s return against the group\'s, (R − mean)/(std + ε); `reward-to-go` — its return from t against the group\'s returns from the same time step t.',
  nMinibatches: 'Minibatches per epoch: the batch\'s steps, shuffled, split into this many nearly equal parts.',
  refSyncInterval: 'Replace the reference policy of the KL penalty by the current one every this many updates; 0 = it stays the initial policy.',
};

/** What each algorithm is and whose implementation Proxima follows (after the doc comments of the schemas' `algorithm`). */
export const ALGORITHM_DOCS: Readonly<Record<Algorithm, string>> = {
  ppo: 'PPO (Schulman et al. 2017): clipped or KL-penalized surrogate, several epochs of minibatches per rollout, as Stable-Baselines3 and CleanRL implement it.',
  a2c: 'A2C (Mnih et al. 2016, synchronous): one gradient step on −A·log π per short rollout, as Stable-Baselines3 implements it.',
  trpo: 'TRPO (Schulman et al. 2015): a natural-gradient step held to a KL trust region by conjugate gradient and a line search, as sb3-contrib implements it.',
  reinforce: 'REINFORCE (Williams 1992): the Monte-Carlo policy gradient on whole episodes, optionally with a learned state-value baseline.',
  grpo: 'GRPO (Shao et al. 2024, DeepSeekMath): no critic — groups of episodes from one start state, each judged against its group\'s mean return; PPO\'s clipped ratio plus a KL penalty to a reference policy.',
};

/** Where a field means something else for one algorithm than CONFIG_FIELD_DOCS says. */
export const CONFIG_FIELD_DOCS_BY_ALGORITHM: Readonly<Partial<Record<Algorithm, Partial<Record<AnyConfigField, string>>>>> = {
  a2c: {
    learningRate: 'RMSprop (or Adam) step size at the start of training; one step per rollout.',
    nSteps: 'Steps collected per environment per rollout; the whole rollout (nSteps × nEnvs) is one batch.',
    gaeLambda: 'GAE λ: SB3\'s A2C default 1 is the n-step return bootstrapped at the rollout\'s end.',
    normalizeAdvantage: 'Normalize the advantages over the rollout (SB3 `normalize_advantage`; off in the original A2C).',
  },
  trpo: {
    nSteps: 'Steps collected per environment per rollout; the policy step uses the whole rollout (nSteps × nEnvs), the critic minibatches of it.',
    learningRate: 'Adam step size of the critic at the start of training; the policy step is set by the KL bound.',
    batchSize: 'Minibatch size of the critic\'s passes; the policy step uses the whole rollout.',
    targetKl: 'The trust region: the mean KL(π_new‖π_old) a policy step may reach (sb3-contrib `target_kl`).',
    normalizeAdvantage: 'Normalize the advantages over the rollout (sb3-contrib `normalize_advantage`, on by default).',
  },
  reinforce: {
    vfCoef: 'Weight of the baseline\'s loss mean((G − V)²) in the one loss (used with useBaseline).',
  },
  grpo: {
    gamma: 'Discount factor γ of the returns the group compares (1: an episode\'s outcome is its return).',
    nEpochs: 'Passes over the batch of groups per update (DeepSeekMath\'s μ).',
    clipRange: 'Clip range ε of the ratio π/π_old (DeepSeekMath\'s ε).',
    beta: 'Weight β of the KL penalty to the reference policy, estimated per step as π_ref/π − log(π_ref/π) − 1 (DeepSeekMath: 0.04).',
    sharedLayers: 'Hidden sizes of a trunk before the policy network (GRPO has no value network).',
    normalizeReward: 'Scale rewards by the std of a running discounted return: not with GRPO (a group\'s returns must compare).',
  },
};

/**
 * The stable id of the meaning of `field` for `algorithm`, the key of its catalog message: the field's name, or
 * `field.algorithm` where that algorithm means something else by it (`gamma.grpo`).
 */
export function fieldDocId(field: AnyConfigField, algorithm: Algorithm): string {
  return CONFIG_FIELD_DOCS_BY_ALGORITHM[algorithm]?.[field] === undefined ? field : `${field}.${algorithm}`;
}

/** The meaning of `field` for `algorithm`. */
export function fieldDoc(field: AnyConfigField, algorithm: Algorithm): string {
  return CONFIG_FIELD_DOCS_BY_ALGORITHM[algorithm]?.[field] ?? CONFIG_FIELD_DOCS[field];
}
