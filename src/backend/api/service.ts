/**
 * The implementation of the API contract (src/core/api/contract.ts), shared by Electron IPC and web mode.
 * `handle` validates the method name and its parameters with the contract's schemas and never throws: every
 * failure becomes an `ApiResult` error the client can show next to what caused it.
 */
import { cpus } from 'node:os';
import { isApiMethod, issuesOf, requestSchemas, type AboutInfo, type ApiError, type ApiEvent, type ApiResult, type Catalog } from '../../core/api/contract';
import { englishText, type Coded } from '../../core/validation/coded-messages';
import { PROXIMA_VERSION } from '../../core/version';
import { domainErrors } from '../../core/validation/issue-messages';
import { AnalysisError, sweepCsv } from '../analysis';
import { ClusterLink } from '../cluster/app-link';
import { RunQueue } from '../runner/run-queue';
import { PostgresStore } from '../store/postgres-store';
import { ReplayError, ReplaySessions } from '../replay/sessions';
import { StoreNotFoundError, StoreReadOnlyError, type ExperimentStore } from '../store/types';
import { startTrainer, stopTrainer, type TrainerLauncher } from '../trainers/launcher';
import { writePolicyDirectory } from '../export/policy';
import { analysisHandlers } from './analysis';
import { buildCatalog } from './catalog';
import { ApiFailure, type Handlers, type ServiceParts } from './handlers';
import { replayHandlers } from './replays';
import { runHandlers } from './runs';
import { settingsHandlers, type SettingsHost } from './settings';
import { sweepHandlers } from './sweeps';
import { transferHandlers } from './transfer';

/** What a thrown error tells the client: its contract code and message, coded where the interface should word it. */
function apiError(error: unknown): ApiError {
  // An internal failure without a code of its own: its (English) text under a sentence in the interface's language.
  const withCoded = (code: ApiError['code'], message: string, coded: Coded | undefined, issues?: ApiError['issues']): ApiError => {
    const worded = coded ?? (code === 'internal' ? internalCoded(message) : undefined);
    return { code, message, ...(worded ? { coded: worded } : {}), ...(issues ? { issues } : {}) };
  };
  if (error instanceof ApiFailure || error instanceof AnalysisError) return withCoded(error.code, error.message, error instanceof ApiFailure ? error.coded : undefined, error.issues);
  if (error instanceof StoreNotFoundError) return withCoded('not-found', error.message, storeNotFoundCoded(error.message));
  if (error instanceof StoreReadOnlyError) return withCoded('conflict', error.message, { code: 'storeReadOnly', params: { path: error.path } });
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ReplayError) return withCoded(error.code, message, error.coded);
  return withCoded('internal', message, undefined);
}

const internalCoded = (detail: string): Coded => ({ code: 'internalError', params: { detail } });

/**
 * The code of a store's not-found message. The stores (src/backend/store) word them in English only, as
 * `run 3 does not exist` / `sweep 2 does not exist`; read back here so the interface words them too.
 */
function storeNotFoundCoded(message: string): Coded | undefined {
  const match = /^(run|sweep) (\d+) does not exist$/.exec(message);
  if (!match) return undefined;
  return match[1] === 'run' ? { code: 'runNotFound', params: { runId: match[2] as string } } : { code: 'sweepNotFound', params: { sweepId: match[2] as string } };
}

export interface BackendContext {
  host: 'electron' | 'web';
  store: ExperimentStore;
  launcher: TrainerLauncher;
  /** Trials training at once; default: the number of cores. */
  concurrency?: number;
  /** The app's settings file (Electron); absent in web mode, where the store is the `--store` / `--db` option. */
  settings?: SettingsHost;
}

const LOG_LINES = 200;

export class ApiService {
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private about: Promise<Omit<AboutInfo, 'recentRunBackends'>> | null = null;
  private catalog: Catalog | null = null;
  private readonly logs = new Map<number, string[]>();
  private readonly handlers: Handlers;
  readonly queue: RunQueue;
  private readonly replays: ReplaySessions;
  /** On a cluster store: the workers' run events and cancels through the trial queue. */
  private cluster: ClusterLink | null = null;

  constructor(private readonly ctx: BackendContext) {
    const concurrency = ctx.concurrency ?? Math.max(1, cpus().length);
    this.queue = new RunQueue({
      store: ctx.store,
      launcher: ctx.launcher,
      concurrency,
      emit: (event) => this.emit(event),
      log: (runId, line) => this.log(runId, line),
    });
    this.replays = new ReplaySessions(ctx.store, ctx.launcher);
    const parts: ServiceParts = {
      store: ctx.store,
      queue: this.queue,
      replays: this.replays,
      concurrency,
      logTail: (runId) => this.logs.get(runId) ?? [],
      clusterCancel: async (runIds) => (this.cluster ? this.cluster.cancel(runIds) : []),
    };
    this.handlers = {
      'app.about': () => this.aboutInfo(),
      'catalog.get': async () => (this.catalog ??= buildCatalog()),
      ...settingsHandlers(ctx.store, ctx.settings),
      ...sweepHandlers(parts),
      ...runHandlers(parts),
      ...replayHandlers(parts),
      ...transferHandlers(parts),
      ...analysisHandlers(parts),
    };
  }

  /** Where the database is. */
  get location(): string {
    return this.ctx.store.location;
  }

  /** Writes a run's latest policy as a tfjs model directory (CLI `export --format policy`). */
  async exportPolicy(runId: number, dir: string): Promise<void> {
    const checkpoint = await this.ctx.store.getCheckpoint(runId);
    if (!checkpoint) throw new ApiFailure('not-found', { code: 'noCheckpointToExport', params: { runId: String(runId) } });
    writePolicyDirectory(checkpoint, dir);
  }

  exportSweepCsv(sweepId: number): Promise<string> {
    return sweepCsv(this.ctx.store, sweepId);
  }

  /**
   * On a cluster store, listens for the workers' run events (so cluster runs update live, as local ones do).
   * Registers the queue as a live owner (reclaiming runs whose owner's lease expired: a host that stopped), then
   * starts the queued runs it owns.
   */
  async start(): Promise<void> {
    if (this.ctx.store instanceof PostgresStore) {
      this.cluster = await ClusterLink.start(this.ctx.store, (event) => this.emit(event), (line) => process.stderr.write(`proxima: ${line}\n`));
    }
    if (this.ctx.store.readOnly) return; // browse only: nothing can be queued or trained here
    await this.queue.start();
    await this.queue.pump();
  }

  /** Validates and runs one request. Never throws. */
  async handle(method: unknown, params: unknown): Promise<ApiResult<unknown>> {
    if (typeof method !== 'string' || !isApiMethod(method)) {
      const coded: Coded = { code: 'unknownMethod', params: { method: String(JSON.stringify(method)) } };
      return { ok: false, error: { code: 'bad-request', message: englishText(coded), coded } };
    }
    const parsed = requestSchemas[method].safeParse(params ?? {}, { error: domainErrors(), reportInput: true });
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      const detail = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      return { ok: false, error: { code: 'bad-request', message: `invalid parameters for ${method}: ${detail}`, issues } };
    }
    try {
      const handler = this.handlers[method] as (p: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      return { ok: false, error: apiError(error) };
    }
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed socket) must not stop the others or the queue.
      }
    }
  }

  /** Stops trainers (their runs become `interrupted`, resumable), replay sessions, then the store. */
  async close(): Promise<void> {
    await this.queue.close();
    await this.cluster?.close();
    await this.replays.closeAll();
    this.listeners.clear();
    await this.ctx.store.close();
  }

  private log(runId: number, line: string): void {
    let lines = this.logs.get(runId);
    if (!lines) this.logs.set(runId, (lines = []));
    lines.push(`${new Date().toISOString()} ${line}`);
    if (lines.length > LOG_LINES) lines.splice(0, lines.length - LOG_LINES);
  }

  /** About: the trainer facts (asked of a real trainer once), and what the latest runs really trained on. */
  private async aboutInfo(): Promise<AboutInfo> {
    const [trainer, recent] = await Promise.all([this.trainerInfo(), this.ctx.store.listRuns({ filter: { includeHidden: true }, limit: 100 })]);
    const counts = new Map<string, number>();
    for (const run of recent.runs) if (run.backend !== null) counts.set(run.backend, (counts.get(run.backend) ?? 0) + 1);
    const recentRunBackends = [...counts].map(([backend, runs]) => ({ backend, runs })).sort((a, b) => b.runs - a.runs);
    return { ...trainer, recentRunBackends };
  }

  /** Starts a real trainer process once, asks it which tfjs backend is active, and caches the answer. */
  private trainerInfo(): Promise<Omit<AboutInfo, 'recentRunBackends'>> {
    this.about ??= (async () => {
      const { trainer, ready } = await startTrainer(this.ctx.launcher, 'auto');
      await stopTrainer(trainer);
      return {
        version: PROXIMA_VERSION,
        trainerBackend: ready.backend ?? 'none',
        calibration: ready.calibration ?? null,
        backendChecks: ready.checks ?? [],
        trainerNodeVersion: ready.nodeVersion,
        dbPath: this.ctx.store.location,
        host: this.ctx.host,
      };
    })();
    this.about.catch(() => {
      this.about = null;
    });
    return this.about;
  }
}
