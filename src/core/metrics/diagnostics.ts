/**
 * Each algorithm's diagnostic metrics: the curves that tell whether its update behaves, after the two return
 * curves. Compare offers them as one-click metric sets. Sources: SB3's PPO and A2C logger keys
 * (stable_baselines3/ppo/ppo.py, a2c/a2c.py `train`), sb3-contrib's TRPO keys (sb3_contrib/trpo/trpo.py `train`),
 * for REINFORCE what its variance story needs (the batch's return variance, the baseline's error), and for GRPO
 * whether its groups carry a signal (their spread, the groups with none) and how far it has moved from its reference.
 */
import type { Algorithm } from '../training/config';
import { METRIC, type MetricKey } from './keys';

const RETURNS: readonly MetricKey[] = [METRIC.evalMeanReturn, METRIC.epReturn];

export const DIAGNOSTICS: Readonly<Record<Algorithm, readonly MetricKey[]>> = Object.freeze({
  ppo: [...RETURNS, METRIC.approxKl, METRIC.clipFraction, METRIC.entropy, METRIC.explainedVariance, METRIC.valueLoss, METRIC.beta],
  a2c: [...RETURNS, METRIC.policyLoss, METRIC.valueLoss, METRIC.entropy, METRIC.explainedVariance, METRIC.gradNorm],
  trpo: [
    ...RETURNS,
    METRIC.klDivergence,
    METRIC.lineSearchSteps,
    METRIC.lineSearchSuccess,
    METRIC.surrogateImprovement,
    METRIC.cgResidual,
    METRIC.explainedVariance,
  ],
  reinforce: [...RETURNS, METRIC.returnVariance, METRIC.baselineError, METRIC.policyLoss, METRIC.entropy, METRIC.episodesPerUpdate],
  grpo: [...RETURNS, METRIC.groupReturnStd, METRIC.zeroSpreadFraction, METRIC.referenceKl, METRIC.clipFraction, METRIC.approxKl, METRIC.entropy],
});

/**
 * Metrics drawn as a dashed reference line in another metric's chart: TRPO's KL after the step against the bound it
 * was held to (`train/kl_target`, logged with every update).
 */
export const REFERENCE_LINES: Readonly<Partial<Record<MetricKey, MetricKey>>> = Object.freeze({
  [METRIC.klDivergence]: METRIC.klTarget,
});
