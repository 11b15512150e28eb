/**
 * The cluster's CLI: `proxima worker` (train trials pulled from the queue), `proxima sweep SPEC --store URL` (enqueue
 * a sweep's trials into the cluster; `--wait` follows it to the end with a progress bar) and `proxima cancel`.
 */
import cliProgress from 'cli-progress';
import type { SweepRequest } from '../../core/api/contract';
import { resolveTrials, trialRuns } from '../api/sweeps';
import { ClusterWorker } from '../cluster/worker';
import { cancelTrials, enqueueSweep, startBoss } from '../cluster/trial-queue';
import { PostgresStore } from '../store/postgres-store';
import type { RunStatus, SweepRow } from '../store/types';
import { nodeTrainerLauncher } from '../trainers/node-launcher';
import { CliError } from './session';

const print = (line = ''): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How often `--wait` reads the sweep's progress from the store (ms). */
const FOLLOW_INTERVAL_MS = 1000;

/**
 * `proxima worker --store URL`: trains the cluster's trials until SIGTERM/SIGINT, which drains it (its trials go
 * back to the queue and resume elsewhere from their latest checkpoints). PROXIMA_TRAINER_ENTRY names another trainer
 * entry speaking the trainer protocol (the tests' scripted one).
 */
export async function workerCommand(opts: { store?: string; concurrency?: number; name?: string }): Promise<number> {
  if (!opts.store) throw new CliError('proxima worker needs --store postgresql://… (the cluster\'s PostgreSQL store)', 2);
  const entry = process.env['PROXIMA_TRAINER_ENTRY'] || undefined;
  const worker = await ClusterWorker.start({
    url: opts.store,
    name: opts.name,
    concurrency: opts.concurrency,
    launcher: nodeTrainerLauncher(entry ? { entry } : {}),
    log: (line) => process.stderr.write(`proxima worker: ${line}\n`),
  });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stderr.write(`proxima worker: ${signal}: draining (trials go back to the queue; ${signal} again exits at once)\n`);
  process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  await worker.stop();
  process.stderr.write(`proxima worker: ${worker.name} stopped\n`);
  return 0;
}

/** The end of a sweep: no trial queued, running or interrupted. */
function finished(sweep: SweepRow): boolean {
  return sweep.counts.queued + sweep.counts.running + sweep.counts.interrupted === 0;
}

function describeCounts(counts: Record<RunStatus, number>): string {
  return (Object.entries(counts) as [RunStatus, number][])
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
}

/**
 * Enqueues a sweep into the cluster: the sweep, its run rows and their pg-boss jobs in one transaction. With `wait`,
 * follows it (a progress bar of the sweep's steps on a terminal, a line per change otherwise) until every trial
 * ended; exit code 1 when one did not complete.
 */
export async function clusterSweep(request: SweepRequest, opts: { store: string; wait?: boolean; json?: boolean; priority?: number; retries?: number }): Promise<number> {
  const { trials, notes } = resolveTrials(request);
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
  const store = await PostgresStore.open(opts.store);
  try {
    const boss = await startBoss(opts.store, { supervise: false });
    let sweepId: number;
    let runIds: number[];
    try {
      ({ sweepId, runIds } = await enqueue(store, boss, request, trials, opts));
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
    if (!opts.json) print(`sweep "${request.name}" (id ${sweepId}): ${runIds.length} trials queued into ${store.location}${opts.wait ? '' : '; `proxima worker --store …` trains them'}`);
    if (!opts.wait) {
      if (opts.json) print(JSON.stringify({ sweepId, runIds }));
      return 0;
    }
    const sweep = await follow(store, sweepId, !opts.json);
    const { runs } = await store.listRuns({ filter: { sweepId, includeHidden: true }, sort: { by: 'id', dir: 'asc' } });
    if (opts.json) print(JSON.stringify({ sweepId, runs: runs.map((r) => ({ id: r.id, status: r.status, error: r.error, finalEval: r.finalEval })) }));
    else {
      print(`sweep ${sweepId}: ${describeCounts(sweep.counts)}`);
      for (const r of runs.filter((x) => x.status !== 'completed')) print(`  run ${r.id}: ${r.status}${r.error ? ` (${r.error})` : ''}`);
    }
    return sweep.counts.completed === runIds.length ? 0 : 1;
  } finally {
    await store.close();
  }
}

async function enqueue(
  store: PostgresStore,
  boss: Awaited<ReturnType<typeof startBoss>>,
  request: SweepRequest,
  trials: ReturnType<typeof resolveTrials>['trials'],
  opts: { priority?: number; retries?: number },
): Promise<{ sweepId: number; runIds: number[] }> {
  // Run rows are built by the same function sweeps.launch uses; the sweep id is filled in inside the transaction.
  return enqueueSweep(store, boss, { name: request.name, envId: request.env, spec: request as Record<string, unknown> }, trialRuns(request, trials, 0, null), {
    priority: opts.priority,
    retryLimit: opts.retries,
  });
}

/** Polls the sweep until it ended, drawing its progress; returns its final row. */
async function follow(store: PostgresStore, sweepId: number, show: boolean): Promise<SweepRow> {
  const tty = show && process.stderr.isTTY;
  const bar = tty
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: ' sweep {sweep} |{bar}| {percentage}% | {value}/{total} steps | {counts} | ETA {eta_formatted}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let last = '';
  let started = false;
  for (;;) {
    const sweep = await store.getSweep(sweepId);
    if (!sweep) throw new CliError(`sweep ${sweepId} was deleted while it ran`);
    const counts = describeCounts(sweep.counts);
    if (bar) {
      if (!started) bar.start(sweep.steps.total, 0, { sweep: sweepId, counts });
      started = true;
      bar.update(sweep.steps.done, { counts });
    } else if (show && counts !== last) process.stderr.write(`sweep ${sweepId}: ${counts}\n`);
    last = counts;
    if (finished(sweep)) {
      bar?.update(sweep.steps.total, { counts });
      bar?.stop();
      return sweep;
    }
    await sleep(FOLLOW_INTERVAL_MS);
  }
}

/** `proxima cancel RUN… --store URL`: queued trials are cancelled at once, running ones within seconds. */
export async function cancelCommand(opts: { store?: string; runs: number[]; json?: boolean }): Promise<number> {
  if (!opts.store) throw new CliError('proxima cancel needs --store postgresql://… (cancels trials of a cluster)', 2);
  const store = await PostgresStore.open(opts.store);
  try {
    const boss = await startBoss(opts.store, { supervise: false });
    try {
      const { queued, running } = await cancelTrials(store, boss, opts.runs);
      const result = { queued, running };
      print(opts.json ? JSON.stringify(result) : `cancelled ${result.queued} queued trial(s); asked the workers of ${result.running} running trial(s) to stop`);
      return 0;
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
  } finally {
    await store.close();
  }
}
