/** Live figures: a figure showing a run that is still training reloads when the run logs new metrics. */
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
