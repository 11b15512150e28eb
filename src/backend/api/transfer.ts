/** Handlers for exports (a run's CSV, JSON bundles) and bundle import; the formats are in src/backend/analysis. */
import { exportBundle, importBundle, runCsv } from '../analysis';
import { ApiFailure, requireRun, type Handlers, type ServiceParts } from './handlers';

type TransferHandlers = Pick<Handlers, 'export.runCsv' | 'export.bundle' | 'import.bundle'>;

export function transferHandlers({ store, queue }: ServiceParts): TransferHandlers {
  return {
    'export.runCsv': async ({ runId }) => {
      const row = await requireRun(store, runId);
      return { filename: `proxima-run-${runId}-${row.envId}-seed${row.seed}.csv`, csv: await runCsv(store, runId) };
    },
    'export.bundle': async ({ runIds, sweepId }) => {
      const bundle = await exportBundle(store, sweepId !== undefined ? { sweepId } : { runIds: runIds ?? [] });
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
      const result = await importBundle(store, value);
      await queue.pump();
      return { runIds: Object.values(result.runIds) };
    },
  };
}
