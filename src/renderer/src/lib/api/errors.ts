/** Readable messages out of whatever a failed call threw. */
import { ApiCallError, type ApiError } from '../../../../core/api/contract';

export function errorText(error: unknown): string {
  if (error instanceof ApiCallError) return error.error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The per-field issues of a schema error (empty for other errors). */
export function errorIssues(error: unknown): NonNullable<ApiError['issues']> {
  return error instanceof ApiCallError ? (error.error.issues ?? []) : [];
}
