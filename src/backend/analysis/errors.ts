/** A request the analysis cannot answer, with the contract error code the API reports it under. */
import type { ApiError } from '../../core/api/contract';

export class AnalysisError extends Error {
  constructor(
    readonly code: Extract<ApiError['code'], 'bad-request' | 'not-found' | 'conflict'>,
    message: string,
    readonly issues?: ApiError['issues'],
  ) {
    super(message);
    this.name = 'AnalysisError';
  }
}
