/**
 * Metric keys: namespaced constants with one-line meanings (tooltips), and the Stable-Baselines3 progress.csv
 * names where one exists. Meanings follow Stable-Baselines3's PPO logger keys (stable_baselines3/ppo/ppo.py, `train`)
 * and CleanRL's ppo.py (cleanrl/ppo.py, the `writer.add_scalar` calls).
 */

export const METRIC = Object.freeze({
  policyLoss: 'train/policy_loss',
  valueLoss: 'train/value_loss',
  entropy: 'train/entropy',
  entropyLoss: 'train/entropy_loss',
  loss: 'train/loss',
  approxKl: 'train/approx_kl',
  approxKlK1: 'train/approx_kl_k1',
  clipFraction: 'train/clip_fraction',
  ratioMean: 'train/ratio_mean',
  ratioMax: 'train/ratio_max',
  explainedVariance: 'train/explained_variance',
  beta: 'train/beta',
  klAfterUpdate: 'train/kl_after_update',
  learningRate: 'train/learning_rate',
  clipRange: 'train/clip_range',
  gradNorm: 'train/grad_norm',
  entCoef: 'train/ent_coef',
  std: 'train/std',
  nUpdates: 'train/n_updates',
  epochsDone: 'train/epochs_done',
  fps: 'time/fps',
  rolloutSeconds: 'time/rollout_seconds',
  updateSeconds: 'time/update_seconds',
  totalTimesteps: 'time/total_timesteps',
  epReturn: 'rollout/ep_return',
  epLength: 'rollout/ep_length',
  epReturnMean: 'rollout/ep_return_mean',
  epLengthMean: 'rollout/ep_length_mean',
  evalMeanReturn: 'eval/mean_return',
  evalStdReturn: 'eval/std_return',
  // TRPO (sb3-contrib `TRPO.train` logger keys, plus the line search's and CG's own figures)
  policyObjective: 'train/policy_objective',
  klDivergence: 'train/kl_divergence_loss',
  klTarget: 'train/kl_target',
  lineSearchSuccess: 'train/is_line_search_success',
  lineSearchSteps: 'train/line_search_steps',
  stepFraction: 'train/step_fraction',
  surrogateImprovement: 'train/surrogate_improvement',
  cgResidual: 'train/cg_residual',
  // REINFORCE
  returnMean: 'train/return_mean',
  returnVariance: 'train/return_variance',
  baselineError: 'train/baseline_error',
  episodesPerUpdate: 'rollout/episodes_per_update',
  discardedSteps: 'rollout/discarded_steps',
  // GRPO (TRL GRPOTrainer logs the same quantities as reward, reward_std, frac_reward_zero_std and kl)
  groupReturnMean: 'train/group_return_mean',
  groupReturnStd: 'train/group_return_std',
  zeroSpreadFraction: 'train/zero_spread_fraction',
  referenceKl: 'train/ref_kl',
  // PPO on a reward learned from preferences (Christiano et al. 2017)
  preferenceLabelsUsed: 'preferences/labels_used',
  preferenceLoss: 'preferences/reward_model_loss',
  preferenceHeldOutAccuracy: 'preferences/held_out_accuracy',
  preferenceReturnCorrelation: 'preferences/return_correlation',
  preferenceRewardScale: 'preferences/reward_scale',
} as const);

export type MetricKey = (typeof METRIC)[keyof typeof METRIC];

/** One-line meaning of each key, suitable as a tooltip. */
export const METRIC_MEANINGS: Readonly<Record<MetricKey, string>> = Object.freeze({
  'train/policy_loss': 'Policy loss, mean over the update’s minibatches: PPO’s and GRPO’s negated (clipped) surrogate, GRPO’s without its β·KL term; −mean(A·log π) for A2C and REINFORCE.',
  'train/value_loss': 'Value loss: MSE between predicted values and returns (no ½ factor), mean over minibatches.',
  'train/entropy': 'Mean entropy of the policy over the update’s minibatches.',
  'train/entropy_loss': 'Negative mean entropy (SB3’s entropy_loss).',
  'train/loss': 'Total loss of the last minibatch: policy + entCoef·entropy loss + vfCoef·value loss (+ β·KL; GRPO: policy + β·KL to the reference + entCoef·entropy loss).',
  'train/approx_kl': 'Approximate KL(old‖new), k3 estimator mean((r−1) − log r), mean over the last epoch’s minibatches.',
  'train/approx_kl_k1': 'Approximate KL, k1 estimator mean(−log r), mean over the last epoch’s minibatches.',
  'train/clip_fraction': 'Fraction of samples with |r − 1| > ε, mean over all minibatches of the update.',
  'train/ratio_mean': 'Mean importance ratio π/π_old over the update’s minibatches.',
  'train/ratio_max': 'Largest importance ratio seen during the update.',
  'train/explained_variance': 'Fraction of return variance explained by the rollout-time values: 1 − Var[R − V]/Var[R]. Near 0 while returns vary: the critic gives every state about one value (often saturated by large unnormalized returns); near 0 or below also when returns hardly vary (a policy that never fails).',
  'train/beta': 'KL penalty coefficient β used by this update (logged only for objectives with a KL term: kl-adaptive, kl-fixed, clip+kl).',
  'train/kl_after_update': 'KL(old‖new) over the whole rollout after the update (exact, or the k3 estimate with klEstimator k3); drives the adaptive β.',
  'train/learning_rate': 'Adam step size used by this update.',
  'train/clip_range': 'Clip range ε used by this update.',
  'train/grad_norm': 'Global gradient norm before clipping, mean over the update’s minibatches.',
  'train/ent_coef': 'Entropy coefficient used by this update.',
  'train/std': 'Mean action standard deviation (continuous policies).',
  // SB3 increments `_n_updates` after each epoch's minibatch loop and only then acts on target-KL's break, so the
  // epoch that stopped early counts: stable_baselines3/ppo/ppo.py, PPO.train, `self._n_updates += 1` (line 280 at
  // https://github.com/DLR-RM/stable-baselines3/blob/e05d2dbe6eda0acd0ef2e316e3e4065677add3eb/stable_baselines3/ppo/ppo.py#L280).
  'train/n_updates': 'Epochs since the start, counted as SB3 counts n_updates: one per epoch begun, the one target-KL stopped early included.',
  'train/epochs_done': 'Epochs this update ran to the end (fewer than nEpochs after target-KL early stopping).',
  'time/fps': 'Environment steps per wall-clock second since the start, rollout and update included.',
  'time/rollout_seconds': 'Wall seconds spent collecting this rollout.',
  'time/update_seconds': 'Wall seconds spent in this update.',
  'time/total_timesteps': 'Environment steps done so far, summed over envs.',
  'rollout/ep_return': 'Undiscounted return of one finished training episode (raw reward).',
  'rollout/ep_length': 'Length in steps of one finished training episode.',
  'rollout/ep_return_mean': 'Mean return of the last statsWindowSize finished training episodes.',
  'rollout/ep_length_mean': 'Mean length of the last statsWindowSize finished training episodes.',
  'eval/mean_return': 'Mean return of the evaluation episodes (separate env, deterministic unless configured).',
  'eval/std_return': 'Population std of the evaluation episode returns.',
  'train/policy_objective': 'TRPO: the surrogate mean(A·r) after the update (before it when the line search failed), as sb3-contrib logs it.',
  'train/kl_divergence_loss': 'TRPO: mean KL(π_new‖π_old) over the rollout after the accepted step (0 when the line search failed).',
  'train/kl_target': 'TRPO: the KL bound targetKl the step was held to.',
  'train/is_line_search_success': 'TRPO: 1 when the line search found a step that improved the surrogate within the KL bound, else 0 (mean over runs of the curve: the accepted-step fraction).',
  'train/line_search_steps': 'TRPO: candidate steps the line search evaluated (1 = the full step was accepted).',
  'train/step_fraction': 'TRPO: the fraction of the full natural-gradient step taken, shrink^(steps − 1), 0 when none was accepted.',
  'train/surrogate_improvement': 'TRPO: gain of the surrogate objective mean(A·r) by the accepted step (0 when none was).',
  'train/cg_residual': 'TRPO: ‖g − (F + damping·I)·x‖ / ‖g‖ after conjugate gradient: how exactly the search direction solves the natural-gradient system.',
  'train/return_mean': 'REINFORCE: mean of the returns G_t that weight log π over the batch (before normalization).',
  'train/return_variance': 'REINFORCE: variance of the policy-gradient weights over the batch (G_t, or G_t − V(s_t) with a baseline): what the baseline reduces.',
  'train/baseline_error': 'REINFORCE: mean squared error of the baseline V(s_t) against the returns G_t it is fit to, before the update (not logged without a baseline).',
  'rollout/episodes_per_update': 'REINFORCE, GRPO: whole episodes in the batch of this update.',
  'rollout/discarded_steps': 'REINFORCE, GRPO: env steps counted in the budget but not trained on (REINFORCE: episodes cut by the batch boundary; GRPO: envs waiting for the batch’s last episode).',
  'train/group_return_mean': 'GRPO: mean return of the batch’s episodes (from the start, discounted by γ; γ = 1: the episode return).',
  'train/group_return_std': 'GRPO: sample std of the returns within a group, mean over the batch’s groups: the spread the advantages are divided by.',
  'train/zero_spread_fraction': 'GRPO: fraction of the batch’s groups whose episodes all scored the same return — zero advantages, no learning signal.',
  'train/ref_kl': 'GRPO: KL(π‖π_ref) to the reference policy, k3 estimate π_ref/π − log(π_ref/π) − 1 averaged over the batch’s steps, before the update.',
  'preferences/labels_used': 'Learned reward: pairs of segments the rater has compared so far (the label budget spent).',
  'preferences/reward_model_loss': 'Learned reward: the reward model’s Bradley–Terry cross-entropy on its preference set, mean over the last pass of this update.',
  'preferences/held_out_accuracy': 'Learned reward: fraction of fresh pairs of segments (never trained on, unequal true returns) the reward model ranks as the true returns do.',
  'preferences/return_correlation': 'Learned reward: correlation between learned and true returns of the held-out segments (1 = the learned reward orders them exactly as the environment would).',
  'preferences/reward_scale': 'Learned reward: running std of r̂ the rollout’s rewards are divided by.',
});

/** Proxima key → SB3 progress.csv name, where SB3's PPO logs the same quantity (see `sb3ProgressNames` for the others). */
export const SB3_PROGRESS_NAMES: Readonly<Partial<Record<MetricKey, string>>> = Object.freeze({
  'train/policy_loss': 'train/policy_gradient_loss',
  'train/value_loss': 'train/value_loss',
  'train/entropy_loss': 'train/entropy_loss',
  'train/loss': 'train/loss',
  'train/approx_kl': 'train/approx_kl',
  'train/clip_fraction': 'train/clip_fraction',
  'train/explained_variance': 'train/explained_variance',
  'train/learning_rate': 'train/learning_rate',
  'train/clip_range': 'train/clip_range',
  'train/std': 'train/std',
  'train/n_updates': 'train/n_updates',
  'time/fps': 'time/fps',
  'time/total_timesteps': 'time/total_timesteps',
  'rollout/ep_return_mean': 'rollout/ep_rew_mean',
  'rollout/ep_length_mean': 'rollout/ep_len_mean',
  'eval/mean_return': 'eval/mean_reward',
  'train/policy_objective': 'train/policy_objective',
  'train/kl_divergence_loss': 'train/kl_divergence_loss',
  'train/is_line_search_success': 'train/is_line_search_success',
});

/**
 * The progress.csv names of one algorithm's keys: PPO's (SB3_PROGRESS_NAMES) except where SB3's own implementation
 * of the algorithm logs the quantity under another name — A2C's `train/policy_loss` (stable_baselines3/a2c/a2c.py);
 * sb3-contrib TRPO, REINFORCE and GRPO (no SB3 implementation) log no policy gradient loss under PPO's name.
 */
export function sb3ProgressNames(algorithm: 'ppo' | 'a2c' | 'trpo' | 'reinforce' | 'grpo'): Readonly<Partial<Record<MetricKey, string>>> {
  if (algorithm === 'ppo') return SB3_PROGRESS_NAMES;
  const { 'train/policy_loss': _ppoName, ...rest } = SB3_PROGRESS_NAMES;
  return rest;
}

/**
 * Keys whose non-finite value means training diverged, so the host stops the run and fails it: the losses. (A NaN
 * in another metric, e.g. an explained variance of a constant return, is a fact about the data, not a divergence.)
 */
export const DIVERGENCE_METRICS: ReadonlySet<string> = new Set<MetricKey>([METRIC.policyLoss, METRIC.valueLoss, METRIC.entropyLoss, METRIC.loss, METRIC.policyObjective]);
