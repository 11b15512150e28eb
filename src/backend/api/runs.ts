/** Handlers for runs, the queue, checkpoints, replays and export/import. */
import { METRIC } from '../../core/metrics/keys';
import { parseRunFilter } from '../../core/runs/parse-filter';
import type { RunSortKey } from '../../core/runs/run-query';
import type { ReplayFrame, SavedReplay } from '../../core/api/contract';
import type { ReplayInfo, RunRow } from '../store/types';
import { ApiFailure, type Handlers, type ServiceParts } from './service';
import { rollUp, toRunSummary } from './runs-view';

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
  | 'checkpoints.list'
  | 'replay.open'
  | 'replay.reset'
  | 'replay.step'
  | 'replay.close'
  | 'replays.save'
  | 'replays.list'
  | 'replays.get'
  | 'export.runCsv'
  | 'export.bundle'
  | 'import.bundle'
>;

const SORT_ALIASES: Record<string, RunSortKey> = { env: 'envId', eval: 'finalEval', steps: 'stepsDone' };

export function runHandlers({ store, queue, replays, logTail }: ServiceParts): RunHandlers {
  const sweepNames = async (): Promise<Map<number, string>> =>
    new Map((await store.listSweeps()).map((s) => [s.id, s.name]));

  const summarize = async (rows: RunRow[], rollup = { kind: 'last' as const, n: 5 }) => {
    const ids = rows.map((r) => r.id);
    const [names, params, evals] = await Promise.all([
      sweepNames(),
      store.getRunParams(ids),
      ids.length ? store.getSeries({ runIds: ids, keys: [METRIC.evalMeanReturn], maxPoints: 100_000 }) : [],
    ]);
    const evalByRun = new Map(evals.map((s) => [s.runId, s.y]));
    return rows.map((row) => {
      const p = params.get(row.id);
      const explicit = Object.fromEntries((p?.explicit ?? []).map((k) => [k, p?.values[k] ?? null]));
      const series = evalByRun.get(row.id);
      return toRunSummary(row, {
        sweepName: row.sweepId === null ? null : (names.get(row.sweepId) ?? null),
        params: explicit,
        evalRollup: series && series.length ? rollUp(series, rollup) : (row.finalEval?.mean ?? null),
        live: queue.liveProgress(row.id),
      });
    });
  };

  const requireRun = async (runId: number): Promise<RunRow> => {
    const row = await store.getRun(runId);
    if (!row) throw new ApiFailure('not-found', `run ${runId} does not exist`);
    return row;
  };

  return {
    'runs.list': async (p) => {
      const parsed = parseRunFilter(p.filter);
      if (parsed.errors.length) {
        throw new ApiFailure('bad-request', `filter: ${parsed.errors.join('; ')}`, parsed.errors.map((message) => ({ path: 'filter', message })));
      }
      const by = (SORT_ALIASES[p.sort.by] ?? p.sort.by) as RunSortKey;
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
      const row = await requireRun(runId);
      const [summary] = await summarize([row]);
      const [checkpoints, metricKeys] = await Promise.all([store.listCheckpoints(runId), store.listMetricKeys([runId])]);
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
      const row = await requireRun(runId);
      if (!(await queue.cancel(runId))) {
        throw new ApiFailure('conflict', `run ${runId} is ${row.status}: only queued, running or interrupted runs can be cancelled`);
      }
      return { ok: true };
    },
    'runs.resume': async ({ runId }) => {
      const row = await requireRun(runId);
      if (!['interrupted', 'failed', 'cancelled'].includes(row.status)) {
        throw new ApiFailure('conflict', `run ${runId} is ${row.status}: only interrupted, failed or cancelled runs can be resumed`);
      }
      if ((await store.listCheckpoints(runId)).length === 0) {
        throw new ApiFailure('conflict', `run ${runId} has no checkpoint to resume from: restart it instead`);
      }
      await store.updateRun(runId, { status: 'queued', error: null, finishedAt: null });
      await queue.pump();
      return { runId };
    },
    'runs.restart': async ({ runId }) => {
      const row = await requireRun(runId);
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
        },
      ]);
      await queue.pump();
      return { runId: (copy as RunRow).id };
    },
    'queue.get': async () => queue.state(),
    'queue.pause': async () => queue.pause(),
    'queue.resume': async () => queue.resume(),
    'checkpoints.list': async ({ runId }) => {
      await requireRun(runId);
      return (await store.listCheckpoints(runId)).map((c) => ({ step: c.step, createdAt: new Date(c.createdAt).toISOString() }));
    },
    'replay.open': ({ runId, step }) => replays.open(runId, step),
    'replay.reset': ({ sessionId, seed }) => replays.reset(sessionId, seed),
    'replay.step': ({ sessionId, deterministic }) => replays.step(sessionId, deterministic),
    'replay.close': async ({ sessionId }) => {
      await replays.close(sessionId);
      return { ok: true };
    },
    'replays.save': async ({ sessionId, name }) => {
      const rec = replays.recording(sessionId);
      if (rec.frames.length < 2) throw new ApiFailure('conflict', 'play at least one step before saving the episode');
      const replay = {
        runId: rec.info.runId,
        name,
        checkpointStep: rec.info.step,
        seed: rec.seed,
        envId: rec.info.envId,
        frames: rec.frames,
        totalReturn: rec.totalReturn,
        length: rec.frames.length - 1,
      };
      const id = await store.saveReplay(replay);
      const saved = await store.getReplay(id);
      if (!saved) throw new ApiFailure('internal', `replay ${id} was not stored`);
      return toSavedReplay(saved);
    },
    'replays.list': async ({ runId }) => (await store.listReplays(runId)).map(toSavedReplay),
    'replays.get': async ({ replayId }) => {
      const r = await store.getReplay(replayId);
      if (!r) throw new ApiFailure('not-found', `replay ${replayId} does not exist`);
      return { ...toSavedReplay(r), frames: r.frames as ReplayFrame[] };
    },
    'export.runCsv': async ({ runId }) => {
      const row = await requireRun(runId);
      return { filename: `proxima-run-${runId}-${row.envId}-seed${row.seed}.csv`, csv: await store.exportRunCsv(runId) };
    },
    'export.bundle': async ({ runIds, sweepId }) => {
      const bundle = await store.exportBundle(sweepId !== undefined ? { sweepId } : { runIds: runIds ?? [] });
      const name = sweepId !== undefined ? `sweep-${sweepId}` : `runs-${(runIds ?? []).length}`;
      return { filename: `proxima-${name}.json`, json: JSON.stringify(bundle) };
    },
    'import.bundle': async ({ bundle }) => {
      let value = bundle;
      if (typeof bundle === 'string') {
        try {
          value = JSON.parse(bundle) as unknown;
        } catch {
          throw new ApiFailure('bad-request', 'the bundle is not valid JSON', [{ path: 'bundle', message: 'not valid JSON' }]);
        }
      }
      const result = await store.importBundle(value);
      await queue.pump();
      return { runIds: Object.values(result.runIds) };
    },
  };
}

function toSavedReplay(r: ReplayInfo): SavedReplay {
  return {
    id: r.id,
    runId: r.runId,
    name: r.name,
    envId: r.envId,
    step: r.checkpointStep ?? 0,
    seed: r.seed,
    totalReturn: r.totalReturn,
    length: r.length,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}
