/**
 * The implementation of the API contract (src/core/api/contract.ts), shared by Electron IPC and web mode.
 * `handle` validates the method name and its parameters with the contract's schemas and never throws: every
 * failure becomes an `ApiResult` error the client can show next to what caused it.
 */
import {
  isApiMethod,
  issuesOf,
  requestSchemas,
  type AboutInfo,
  type ApiError,
  type ApiEvent,
  type ApiMethod,
  type ApiResponses,
  type ApiResult,
} from '../../core/api/contract';
import type { z } from 'zod';
import { PROXIMA_VERSION } from '../../core/version';
import { startTrainer, stopTrainer, type TrainerLauncher } from '../trainers/launcher';

export interface BackendContext {
  host: 'electron' | 'web';
  dbPath: string;
  launcher: TrainerLauncher;
}

/** An error with a contract error code, thrown by handlers for expected failures. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
    readonly issues?: ApiError['issues'],
  ) {
    super(message);
  }
}

type Handlers = { [M in ApiMethod]?: (params: z.output<(typeof requestSchemas)[M]>) => Promise<ApiResponses[M]> };

export class ApiService {
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private about: Promise<AboutInfo> | null = null;
  private readonly handlers: Handlers;

  constructor(private readonly ctx: BackendContext) {
    this.handlers = {
      'app.about': () => this.aboutInfo(),
    };
  }

  /** Validates and runs one request. Never throws. */
  async handle(method: unknown, params: unknown): Promise<ApiResult<unknown>> {
    if (typeof method !== 'string' || !isApiMethod(method)) {
      return { ok: false, error: { code: 'bad-request', message: `unknown API method ${JSON.stringify(method)}` } };
    }
    const parsed = requestSchemas[method].safeParse(params ?? {});
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      const detail = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      return { ok: false, error: { code: 'bad-request', message: `invalid parameters for ${method}: ${detail}`, issues } };
    }
    try {
      const handler = this.handlers[method] as ((p: unknown) => Promise<unknown>) | undefined;
      if (!handler) return { ok: false, error: { code: 'internal', message: `${method} is not available in this build` } };
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof ApiFailure) {
        return { ok: false, error: { code: error.code, message: error.message, issues: error.issues } };
      }
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'internal', message } };
    }
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  /** Starts a real trainer process once, asks it which tfjs backend is active, and caches the answer. */
  private aboutInfo(): Promise<AboutInfo> {
    this.about ??= (async () => {
      const { trainer, ready } = await startTrainer(this.ctx.launcher, 'auto');
      await stopTrainer(trainer);
      return {
        version: PROXIMA_VERSION,
        trainerBackend: ready.backend,
        calibration: ready.calibration ?? null,
        trainerNodeVersion: ready.nodeVersion,
        dbPath: this.ctx.dbPath,
        host: this.ctx.host,
      };
    })();
    this.about.catch(() => {
      this.about = null;
    });
    return this.about;
  }
}
