/**
 * What the API service and its handler modules share: the handler map's type, the parts each handler module is
 * built from, and the error handlers throw for expected failures. A leaf module, so handler modules and the
 * service never import each other.
 */
import type { z } from 'zod';
import { englishText, type Coded } from '../../core/validation/coded-messages';
import type { ApiError, ApiMethod, ApiResponses, requestSchemas } from '../../core/api/contract';
import type { RunQueue } from '../runner/run-queue';
import type { ReplaySessions } from '../replay/sessions';
import type { ExperimentStore, RunRow } from '../store/types';

/**
 * An error with a contract error code, thrown by handlers for expected failures: its message coded (its English text
 * the message), or English only (a list of issues, each coded, as `path: problem; …`).
 */
export class ApiFailure extends Error {
  readonly coded?: Coded;
  constructor(
    readonly code: ApiError['code'],
    message: string | Coded,
    readonly issues?: ApiError['issues'],
  ) {
    super(typeof message === 'string' ? message : englishText(message));
    if (typeof message !== 'string') this.coded = message;
  }
}

export type Handlers = {
  [M in ApiMethod]: (params: z.output<(typeof requestSchemas)[M]>) => Promise<ApiResponses[M]>;
};

/** What the handler modules share. */
export interface ServiceParts {
  store: ExperimentStore;
  queue: RunQueue;
  replays: ReplaySessions;
  concurrency: number;
  /** Log lines of a run kept in memory (the Run detail's log tail). */
  logTail(runId: number): string[];
  /**
   * Cancels cluster trials among `runIds` (cluster/app-link.ts) and returns the ids it handled; [] on a store that is
   * not a cluster's.
   */
  clusterCancel(runIds: readonly number[]): Promise<number[]>;
}

/** The run, or an ApiFailure `not-found`. */
export async function requireRun(store: ExperimentStore, runId: number): Promise<RunRow> {
  const row = await store.getRun(runId);
  if (!row) throw new ApiFailure('not-found', { code: 'runNotFound', params: { runId: String(runId) } });
  return row;
}
