/** The metric record of a learned reward's update (keys and meanings in core/metrics/keys.ts). */
import { METRIC } from '../../core/metrics/keys';
import type { PreferenceStats } from './preference-reward';

/** NaN figures (no label yet, every held-out pair tied) are left out rather than logged as gaps. */
export function preferenceMetrics(stats: PreferenceStats): Record<string, number> {
  const metrics: Record<string, number> = {
    [METRIC.preferenceLabelsUsed]: stats.labelsUsed,
    [METRIC.preferenceRewardScale]: stats.rewardScale,
  };
  if (!Number.isNaN(stats.loss)) metrics[METRIC.preferenceLoss] = stats.loss;
  if (!Number.isNaN(stats.heldOutAccuracy)) metrics[METRIC.preferenceHeldOutAccuracy] = stats.heldOutAccuracy;
  if (!Number.isNaN(stats.returnCorrelation)) metrics[METRIC.preferenceReturnCorrelation] = stats.returnCorrelation;
  return metrics;
}
