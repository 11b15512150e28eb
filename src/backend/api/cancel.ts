/** Cancelling runs, for runs.cancel and sweeps.cancel alike: this host's own, and on a cluster store the cluster's. */
import type { ServiceParts } from './handlers';

/**
 * Cancels `runIds`: a cluster trial (on a PostgreSQL store: a run with a queue job) through the trial queue, queued
 * at once and running by a NOTIFY to its worker (which stops it within seconds); a run of this host's queue as that
 * queue cancels it (a running one is awaited until its trainer stopped). Returns the ids it cancelled, in order.
 */
export async function cancelRuns({ queue, clusterCancel }: Pick<ServiceParts, 'queue' | 'clusterCancel'>, runIds: readonly number[]): Promise<number[]> {
  const cancelled = new Set(await clusterCancel(runIds.filter((id) => !queue.isActive(id))));
  for (const id of runIds) if (!cancelled.has(id) && (await queue.cancel(id))) cancelled.add(id);
  return runIds.filter((id) => cancelled.has(id));
}
