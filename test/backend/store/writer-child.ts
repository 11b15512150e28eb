/**
 * A writer process for the concurrency and crash tests. argv: dbPath, label, runs, batches, pointsPerBatch.
 * Creates `runs` runs, then appends `batches` batches per run, each `pointsPerBatch` points of key `k` at steps
 * batch·pointsPerBatch + i, and reports `{ type: 'committed', runId, batch }` after each commit.
 * Any error is reported as `{ type: 'error', message }` and exits with code 1.
 */
import { openStore } from '../../../src/backend/store/open-store';

const [dbPath, label, runsArg, batchesArg, pointsArg] = process.argv.slice(2);
const send = (message: unknown): Promise<void> => new Promise((resolve) => process.send!(message, () => resolve()));

try {
  const store = await openStore(dbPath);
  const runs = await store.createRuns(
    Array.from({ length: Number(runsArg) }, (_, i) => ({
      envId: 'CartPole-v1',
      seed: i,
      objective: 'clip',
      totalTimesteps: 1,
      config: { writer: label },
    })),
  );
  await send({ type: 'runs', runIds: runs.map((r) => r.id) });
  const points = Number(pointsArg);
  for (let batch = 0; batch < Number(batchesArg); batch++) {
    for (const run of runs) {
      await store.appendMetrics(
        Array.from({ length: points }, (_, i) => ({ runId: run.id, step: batch * points + i, values: { k: batch, other: i } })),
      );
      await send({ type: 'committed', runId: run.id, batch });
    }
  }
  await store.updateRun(runs[0].id, { status: 'completed', notes: `done by ${label}` });
  await store.close();
  await send({ type: 'done' });
  process.exit(0);
} catch (err) {
  await send({ type: 'error', message: (err as Error).stack ?? String(err) });
  process.exit(1);
}
