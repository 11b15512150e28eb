/**
 * The API contract between the renderer and the backend: one definition, two transports (Electron IPC through the
 * preload bridge, and HTTP + WebSocket in web mode). The renderer cannot tell the transports apart.
 *
 * - `requestSchemas` maps each method to the zod schema of its parameters; the backend validates every inbound
 *   request with it, so a malformed message gets a schema error back and nothing else happens.
 * - `ApiResponses` maps each method to its result type.
 * - `ApiEvent` is the stream the backend pushes (run progress, new metric points, status changes).
 */
import { z } from 'zod';

/** What the About panel shows; every value comes from the running system, not from constants in the renderer. */
export interface AboutInfo {
  /** Proxima's version (package.json). */
  version: string;
  /** The tfjs backend a freshly started trainer process reported after `setBackend` (the truth, not the request). */
  trainerBackend: string;
  /** Calibration figures of the backend choice, when `auto` measured them (ms per update, by backend). */
  calibration: Record<string, number> | null;
  /** The Node version inside the trainer process. */
  trainerNodeVersion: string;
  /** Absolute path of the SQLite database in use. */
  dbPath: string;
  /** `electron` or `web`. */
  host: 'electron' | 'web';
}

const empty = z.object({}).strict();

export const requestSchemas = {
  'app.about': empty,
} as const;

export type ApiMethod = keyof typeof requestSchemas;
export type ApiParams<M extends ApiMethod> = z.input<(typeof requestSchemas)[M]>;

export interface ApiResponses {
  'app.about': AboutInfo;
}

/** An error as the client receives it: a stable code, a readable message, and per-field issues for forms. */
export interface ApiError {
  code: 'bad-request' | 'not-found' | 'conflict' | 'internal' | 'unauthorized';
  message: string;
  /** Field path (dot-joined) → message, for schema errors. */
  issues?: { path: string; message: string }[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The envelope of every request on either transport. */
export const requestEnvelopeSchema = z.object({
  method: z.string().min(1),
  params: z.unknown().optional(),
});

/** Events pushed from the backend. */
export type ApiEvent =
  | { type: 'run.status'; runId: number; status: string; error?: string | null }
  | {
      type: 'run.progress';
      runId: number;
      stepsDone: number;
      totalSteps: number;
      fps: number;
      etaSeconds: number | null;
      lastReturn: number | null;
    }
  | { type: 'run.metrics'; runId: number; step: number; keys: string[] }
  | { type: 'queue.state'; paused: boolean; running: number; queued: number };

/** What the renderer holds: call a method, or listen to events. Implemented once per transport. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponses[M]>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

/** Thrown by clients when the backend answers with an error. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

export function isApiMethod(method: string): method is ApiMethod {
  return Object.hasOwn(requestSchemas, method);
}

/** Turns zod issues into the contract's `issues` list (dot-joined paths). */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
