/** Handlers for runs, the queue and checkpoints. */
import { METRIC } from '../../core/metrics/keys';
import { isDistributionKey } from '../../core/metrics/ratio-stats';
import { parseRunFilter, type FilterVocabulary } from '../../core/runs/parse-filter';
import { configFieldNames } from '../../core/training/config';
import type { RunSortKey } from '../../core/runs/run-query';
import { resolveSortKey } from '../../core/runs/sort-keys';
import { describeOwner, type RunRow } from '../store/types';
import type { Coded } from '../../core/validation/coded-messages';
import { cancelRuns } from './cancel';
import { ApiFailure, requireRun, type Handlers, type ServiceParts } from './handlers';
import { LATEST_KEYS, rollUp, toRunSummary } from './runs-view';

type RunHandlers = Pick<
  Handlers,
  | 'runs.list'
  | 'runs.get'
  | 'runs.update'
  | 'runs.delete'
  | 'runs.cancel'
  | 'runs.resume'
  | 'runs.restart'
  | 'queue.get'
  | 'queue.pause'
  | 'queue.resume'
  | 'workers.list'
  | 'checkpoints.list'
>;

export function runHandlers({ store, queue, logTail, clusterCancel }: ServiceParts): RunHandlers {
  const sweepNames = async (): Promise<Map<number, string>> =>
    new Map((await store.listSweeps()).map((s) => [s.id, s.name]));

  const summarize = async (rows: RunRow[], rollup = { kind: 'last' as const, n: 5 }) => {
    const ids = rows.map((r) => r.id);
    const [names, params, evals, latest] = await Promise.all([
      sweepNames(),
      store.getRunParams(ids),
      ids.length ? store.readMetrics({ runIds: ids, keys: [METRIC.evalMeanReturn] }) : [],
      store.readLatestMetrics(ids, LATEST_KEYS),
    ]);
    const evalByRun = new Map(evals.map((s) => [s.runId, s.values]));
    const latestByRun = new Map<number, typeof latest>();
    for (const point of latest) latestByRun.set(point.runId, [...(latestByRun.get(point.runId) ?? []), point]);
    return rows.map((row) => {
      const p = params.get(row.id);
      const explicit = Object.fromEntries((p?.explicit ?? []).map((k) => [k, p?.values[k] ?? null]));
      const series = evalByRun.get(row.id);
      return toRunSummary(row, {
        sweepName: row.sweepId === null ? null : (names.get(row.sweepId) ?? null),
        params: explicit,
        evalRollup: series && series.length ? rollUp(series, rollup) : (row.finalEval?.mean ?? null),
        live: queue.liveProgress(row.id),
        latest: latestByRun.get(row.id) ?? [],
      });
    });
  };

  /**
   * The stored metric keys the ordinary lists offer (filter suggestions, Run detail's charts, hence Compare's):
   * the seq-indexed distribution keys are left out, the Learn view reads them (`series.distribution`).
   */
  const listedMetricKeys = async (runIds?: number[]): Promise<string[]> => (await store.listMetricKeys(runIds)).filter((key) => !isDistributionKey(key));

  /** What a filter may name: every config field, and every metric key Proxima logs or the store holds. */
  const vocabulary = async (): Promise<FilterVocabulary> => ({
    fields: configFieldNames,
    metrics: [...new Set([...Object.values(METRIC), ...(await listedMetricKeys())])],
  });

  return {
    'runs.list': async (p) => {
      const parsed = parseRunFilter(p.filter, p.filter.trim() === '' ? undefined : await vocabulary());
      if (parsed.errors.length) {
        throw new ApiFailure('bad-request', `filter: ${parsed.errors.join('; ')}`, parsed.errors.map((message) => ({ path: 'filter', message })));
      }
      // The contract's schema only lets a known key through.
      const by = resolveSortKey(p.sort.by) as RunSortKey;
      const wanted = p.runIds ? new Set(p.runIds) : null;
      const page = await store.listRuns({
        filter: { ...parsed.filter, includeHidden: p.includeHidden, ...(p.sweepId ? { sweepId: p.sweepId } : {}) },
        sort: { by, dir: p.sort.dir },
        ...(wanted ? {} : { limit: p.limit }),
      });
      const rows = wanted ? page.runs.filter((r) => wanted.has(r.id)).slice(0, p.limit) : page.runs;
      return summarize(rows, p.rollup as { kind: 'last'; n: number });
    },
    'runs.get': async ({ runId }) => {
      const row = await requireRun(store, runId);
      const [summary] = await summarize([row]);
      const [checkpoints, metricKeys] = await Promise.all([store.listCheckpoints(runId), listedMetricKeys([runId])]);
      return {
        ...(summary as NonNullable<typeof summary>),
        config: row.config,
        checkpoints: checkpoints.map((c) => ({ step: c.step, createdAt: new Date(c.createdAt).toISOString() })),
        metricKeys,
        logTail: [...logTail(runId), ...(row.error ? [`error: ${row.error}`] : [])],
      };
    },
    'runs.update': async ({ runId, tags, notes, hidden }) => {
      const row = await store.updateRun(runId, {
        ...(tags !== undefined ? { tags: [...new Set(tags)] } : {}),
        ...(notes !== undefined ? { notes } : {}),
        ...(hidden !== undefined ? { hidden } : {}),
      });
      const [summary] = await summarize([row]);
      return summary as NonNullable<typeof summary>;
    },
    'runs.delete': async ({ runIds }) => {
      for (const runId of runIds) if (queue.isActive(runId)) await queue.cancel(runId);
      const deleted = await store.deleteRuns(runIds);
      await queue.pump();
      return { deleted };
    },
    'runs.cancel': async ({ runId }) => {
      const row = await requireRun(store, runId);
      if ((await cancelRuns({ queue, clusterCancel }, [runId])).length === 0) {
        throw new ApiFailure('conflict', { code: 'cannotCancel', params: { runId: String(runId), status: row.status } });
      }
      return { ok: true };
    },
    'runs.resume': async ({ runId }) => {
      // A run whose host stopped (its lease expired) resumes at once, without waiting for the next reclaim pass.
      await queue.reclaim();
      const row = await requireRun(store, runId);
      if (row.status === 'running' || row.status === 'queued') {
        const owner = row.ownerId === null ? null : await store.getOwner(row.ownerId);
        const who: Coded | string = owner ? (owner.id === queue.owner.id ? { code: 'thisHost', params: {} } : describeOwner(owner)) : { code: 'anotherHost', params: {} };
        throw new ApiFailure('conflict', { code: 'cannotResumeOwned', params: { runId: String(runId), status: row.status, owner: who } });
      }
      if (!['interrupted', 'failed', 'cancelled'].includes(row.status)) {
        throw new ApiFailure('conflict', { code: 'cannotResume', params: { runId: String(runId), status: row.status } });
      }
      // It continues from its latest checkpoint, or (stopped before its first one) starts again from the beginning.
      await store.updateRun(runId, { status: 'queued', error: null, finishedAt: null, ownerId: queue.owner.id });
      await queue.pump();
      return { runId };
    },
    'runs.restart': async ({ runId }) => {
      const row = await requireRun(store, runId);
      const params = (await store.getRunParams([runId])).get(runId);
      const [copy] = await store.createRuns([
        {
          sweepId: row.sweepId,
          envId: row.envId,
          seed: row.seed,
          objective: row.objective,
          config: row.config,
          totalTimesteps: row.totalTimesteps,
          params: Object.fromEntries((params?.explicit ?? []).map((k) => [k, params?.values[k] ?? null])),
          tags: row.tags,
          notes: row.notes ? `${row.notes}\n(restart of run ${runId})` : `restart of run ${runId}`,
          ownerId: queue.owner.id,
        },
      ]);
      await queue.pump();
      return { runId: (copy as RunRow).id };
    },
    'queue.get': async () => queue.state(),
    'queue.pause': async () => queue.pause(),
    'queue.resume': async () => queue.resume(),
    'workers.list': async () => {
      const workers = await store.listWorkers();
      // Liveness is the owner lease, as for the queue (leases run on the store's clock; this host's should agree).
      const leases = await Promise.all(workers.map((w) => store.getOwner(w.ownerId)));
      const now = Date.now();
      return workers.map((w, i) => ({
        name: w.name,
        host: w.host,
        pid: w.pid,
        cores: w.cores,
        concurrency: w.concurrency,
        trials: w.trials,
        startedAt: new Date(w.startedAt).toISOString(),
        heartbeatAt: new Date(w.heartbeatAt).toISOString(),
        stoppedAt: w.stoppedAt === null ? null : new Date(w.stoppedAt).toISOString(),
        state: w.stoppedAt !== null ? ('stopped' as const) : (leases[i]?.leaseUntil ?? 0) >= now ? ('alive' as const) : ('stale' as const),
      }));
    },
    'checkpoints.list': async ({ runId }) => {
      await requireRun(store, runId);
      return (await store.listCheckpoints(runId)).map((c) => ({ step: c.step, createdAt: new Date(c.createdAt).toISOString() }));
    },
  };
}

