/**
 * The metrics of one TRPO iteration: sb3-contrib `TRPO.train`'s `logger.record` calls (policy_objective, value_loss,
 * kl_divergence_loss, explained_variance, is_line_search_success, std, n_updates) plus the line search's and
 * conjugate gradient's own figures and the policy's entropy, keyed by METRIC (core/metrics/keys.ts).
 */
import type { TrpoConfig } from '../../core/training/config';
import { METRIC } from '../../core/metrics/keys';
import type { IterationTiming } from '../learner';
import { commonMetrics, rolloutExplainedVariance } from '../ppo/metrics';
import type { TrainingState } from '../ppo/state';
import type { PolicyStepStats } from './policy-step';

export function trpoMetrics(
  state: TrainingState<TrpoConfig>,
  policy: PolicyStepStats,
  valueLoss: number,
  learningRate: number,
  timing: IterationTiming,
): Record<string, number> {
  return {
    ...commonMetrics(state, learningRate, timing),
    [METRIC.policyObjective]: policy.objective,
    [METRIC.valueLoss]: valueLoss,
    [METRIC.klDivergence]: policy.kl,
    [METRIC.explainedVariance]: rolloutExplainedVariance(state.buffer),
    [METRIC.lineSearchSuccess]: policy.success ? 1 : 0,
    [METRIC.klTarget]: state.config.targetKl,
    [METRIC.lineSearchSteps]: policy.lineSearchSteps,
    [METRIC.stepFraction]: policy.stepFraction,
    [METRIC.surrogateImprovement]: policy.surrogateImprovement,
    [METRIC.cgResidual]: policy.cgResidual,
    [METRIC.entropy]: policy.entropy,
  };
}
