/**
 * The CLI's backend: the same ApiService the app and web mode use, over the store at `--db` (an SQLite file) or
 * `--store` (a PostgreSQL URL), with trainer processes under Node. Calls go through `call`, which throws a readable error for an API failure.
 */
import type { ApiMethod, ApiParams, ApiResponses, RunDetail } from '../../core/api/contract';
import { ApiService } from '../api/service';
import { defaultDbPath, openStore } from '../store/open-store';
import { isPostgresUrl, maskUrl } from '../store/store-url';
import { nodeTrainerLauncher } from '../trainers/node-launcher';

export class CliError extends Error {
  /** The process exit code this failure means (1: the work failed; 130/143: stopped by SIGINT/SIGTERM). */
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const SIGNAL_EXIT_CODES: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

export interface CliSession {
  service: ApiService;
  /** Starts these runs and resolves with their summaries once each has ended. */
  runToEnd(runIds: number[]): Promise<RunDetail[]>;
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponses[M]>;
  close(): Promise<void>;
}

/**
 * Opens the store with a paused queue that owns what this CLI launches or resumes: it starts only those runs
 * (`runOnly`), and reclaims only runs whose owner's lease has expired — the app may be training from the same
 * database, and its live runs are never touched.
 */
export async function openSession(opts: { db?: string; store?: string; concurrency?: number }): Promise<CliSession> {
  const store = await openStore(storeLocation(opts));
  const service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: opts.concurrency });
  service.queue.pause();
  // A read-only database can still be listed and shown; only a command that writes fails (naming the file).
  if (!store.readOnly) await service.queue.start();

  // SIGINT/SIGTERM: stop the trainers, write what they sent, mark their runs interrupted (resumable), then end;
  // a second signal ends at once (the lease then frees the runs for another host after it expires).
  let closing: Promise<void> | null = null;
  let stoppedBy: 'SIGINT' | 'SIGTERM' | null = null;
  let onStopped: (signal: 'SIGINT' | 'SIGTERM') => void = () => undefined;
  const stopped = new Promise<'SIGINT' | 'SIGTERM'>((resolve) => (onStopped = resolve));
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (stoppedBy) {
      process.stderr.write(`proxima: ${signal} again: exiting now\n`);
      process.exit(SIGNAL_EXIT_CODES[signal]);
    }
    stoppedBy = signal;
    close().catch((error: unknown) => process.stderr.write(`proxima: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`));
    process.stderr.write(`proxima: ${signal}: stopping the trainers and marking their runs interrupted (${signal === 'SIGINT' ? 'Ctrl+C' : 'SIGTERM'} again to exit at once)\n`);
    onStopped(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  function close(): Promise<void> {
    closing ??= service.close().finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
    return closing;
  }

  const session: CliSession = {
    service,
    call: async (method, params) => {
      const result = await service.handle(method, params);
      if (!result.ok) throw new CliError(result.error.message);
      return result.value as never;
    },
    runToEnd: async (runIds) => {
      await service.queue.runOnly(runIds);
      const interrupted = stopped.then(async (signal) => {
        // Say what each run is once its trainer stopped: one that ended meanwhile is not interrupted.
        await service.queue.close();
        const statuses = await Promise.all(runIds.map(async (runId) => ({ runId, status: (await store.getRun(runId))?.status ?? 'deleted' })));
        await close();
        const interruptedIds = statuses.filter((r) => r.status === 'interrupted').map((r) => r.runId);
        const others = statuses.filter((r) => r.status !== 'interrupted').map((r) => `run ${r.runId} is ${r.status}`);
        const which = interruptedIds.length === 0 ? null : interruptedIds.length === 1 ? `run ${interruptedIds[0]} is` : `runs ${interruptedIds.join(', ')} are`;
        const parts = [...(which ? [`${which} interrupted (resume with \`proxima resume RUN\`)`] : []), ...others];
        throw new CliError(`stopped by ${signal}: ${parts.join('; ')}`, SIGNAL_EXIT_CODES[signal]);
      });
      // Raced below; this keeps a signal that arrives after the runs ended from being an unhandled rejection.
      interrupted.catch(() => undefined);
      for (;;) {
        const runs = await Promise.race([Promise.all(runIds.map((runId) => session.call('runs.get', { runId }))), interrupted]);
        const busy = runs.filter((r) => service.queue.isActive(r.id));
        // A halted queue (e.g. the disk is full) launches nothing more: say why instead of waiting for ever.
        const halted = service.queue.state().halted;
        if (halted && busy.length === 0) throw new CliError(halted);
        if (busy.length === 0 && runs.every((r) => r.status !== 'queued' && r.status !== 'running')) return runs;
        await Promise.race([new Promise((r) => setTimeout(r, 250)), interrupted]);
      }
    },
    close,
  };
  return session;
}

/**
 * Where `--db PATH` or `--store URL` put the store (default the SQLite file `defaultDbPath()`). Both at once, or a
 * `--store` that is no postgres:// / postgresql:// URL, is a bad flag (exit 2); the URL is echoed masked.
 */
export function storeLocation(opts: { db?: string; store?: string }): string {
  if (opts.store !== undefined) {
    if (opts.db !== undefined) throw new CliError('--db and --store name two stores: give one', 2);
    if (!isPostgresUrl(opts.store)) throw new CliError(`--store ${maskUrl(opts.store)}: expected a postgresql://user@host:port/database URL (use --db for an SQLite file)`, 2);
    return opts.store;
  }
  return opts.db ?? defaultDbPath();
}

/** Parses `key=value` flags: numbers, booleans, null and JSON arrays/objects are parsed; anything else is a string. */
export function parseSetFlags(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--set ${pair}: expected key=value`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    let value: unknown = raw;
    if (raw === 'true' || raw === 'false' || raw === 'null' || /^[[{]/.test(raw) || (raw !== '' && Number.isFinite(Number(raw)))) {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new CliError(`--set ${pair}: ${raw} is not valid JSON`);
      }
    }
    out[key] = value;
  }
  return out;
}
