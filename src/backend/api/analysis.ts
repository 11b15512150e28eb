/**
 * Handlers for the comparison views: raw series, series grouped by hyperparameters and aggregated over seeds, the
 * final-performance summary with rliable's statistics, and hyperparameters against results. The computing is in
 * src/backend/analysis.
 */
import { compareSeries, distributionAt, hparamsTable, readSeries, summarize } from '../analysis';
import type { RunRow } from '../store/types';
import { ApiFailure, requireRun, type Handlers, type ServiceParts } from './handlers';

type AnalysisHandlers = Pick<Handlers, 'series.get' | 'series.distribution' | 'series.aggregate' | 'summary.get' | 'hparams.get'>;

export function analysisHandlers({ store }: ServiceParts): AnalysisHandlers {
  const existingRuns = async (runIds: number[]): Promise<RunRow[]> => {
    const rows = (await Promise.all(runIds.map((id) => store.getRun(id)))).filter((r): r is RunRow => r !== null);
    if (rows.length === 0) throw new ApiFailure('not-found', { code: 'noRunsFound', params: {} });
    return rows;
  };

  return {
    'series.get': async ({ runIds, keys, maxPoints, x }) => {
      const series = await readSeries(store, { runIds, keys, maxPoints, x });
      return series.map((s) => ({ runId: s.runId, key: s.key, x: Array.from(s.x), y: Array.from(s.y) }));
    },
    'series.distribution': async ({ runId, keys, step }) => {
      await requireRun(store, runId);
      return distributionAt(await store.readMetrics({ runIds: [runId], keys, withSeq: true }), runId, keys, step);
    },
    'series.aggregate': async ({ runIds, ...query }) => {
      const rows = await existingRuns(runIds);
      return compareSeries(store, { ...query, runIds: rows.map((r) => r.id) });
    },
    'summary.get': async ({ runIds, groupBy, metric, compare }) => summarize(store, { runs: await existingRuns(runIds), groupBy, metric, compare }),
    'hparams.get': async ({ runIds, groupBy, metric, goal }) => hparamsTable(store, { runs: await existingRuns(runIds), groupBy, metric, goal }),
  };
}
