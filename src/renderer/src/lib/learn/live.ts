/** Live figures: a figure showing a run that is still training reloads when the run logs new metrics. */
import type { MetricDistribution } from '../../../../core/api/contract';
import { api } from '../api/client';
import { throttle } from '../throttle';

/** How often, at most, a Learn figure reloads a training run's data. */
export const LEARN_RELOAD_MS = 2_000;

/** Calls `reload` (throttled) whenever one of `runIds` logs metrics or changes status; returns the unsubscribe. */
export function reloadOnMetrics(runIds: readonly number[], reload: () => void): () => void {
  const soon = throttle(reload, LEARN_RELOAD_MS);
  const off = api.subscribe((event) => {
    if ((event.type === 'run.metrics' || event.type === 'run.status') && runIds.includes(event.runId)) soon();
  });
  return () => {
    off();
    soon.cancel();
  };
}

/**
 * Loads one update's distribution points of `keys` for run `runId` (`step` null = its latest update, followed live
 * while the run trains). A remembered update the run no longer has calls `forgetStep` instead (the figure then falls
 * back to the latest). Returns the cleanup for an `$effect`.
 */
export function loadDistribution(
  runId: number,
  keys: readonly string[],
  step: number | null,
  on: { data: (d: MetricDistribution) => void; error: (e: unknown) => void; forgetStep: () => void },
): (() => void) | undefined {
  const load = (): void => {
    api.call('series.distribution', { runId, keys: [...keys], ...(step === null ? {} : { step }) }).then((d) => {
      if (step !== null && !d.steps.includes(step)) on.forgetStep();
      else on.data(d);
    }, on.error);
  };
  load();
  // Following the latest update of a training run; a chosen update stays as it is.
  return step === null ? reloadOnMetrics([runId], load) : undefined;
}
