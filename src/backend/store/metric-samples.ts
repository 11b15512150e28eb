/**
 * What both stores check of a batch of metric samples before any of it is written (the batch is all or nothing),
 * and the errors they throw, so the two fail the same way on the same batch.
 */
import { StoreNotFoundError, type MetricSample } from './types';

/** A sample's seq (default 0) and wall time (default null); throws TypeError for a bad step, seq or wall time. */
export function checkSample(sample: MetricSample): { seq: number; wall: number | null } {
  const seq = sample.seq ?? 0;
  const wall = sample.wallTime ?? null;
  if (!Number.isFinite(sample.step) || !Number.isInteger(seq) || seq < 0 || (wall !== null && !Number.isFinite(wall))) {
    throw new TypeError(`appendMetrics: run ${sample.runId}: bad step ${sample.step}, seq ${seq} or wallTime ${wall}; nothing was written`);
  }
  return { seq, wall };
}

/** Throws TypeError unless `value` (the sample's `key`) is a number (NaN included: it is stored as NULL). */
export function checkValue(sample: MetricSample, key: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(`appendMetrics: run ${sample.runId} step ${sample.step}: '${key}' is not a number; nothing was written`);
  }
}

/** The distinct run ids of a batch, in order of first appearance. */
export function sampleRunIds(samples: readonly MetricSample[]): number[] {
  return [...new Set(samples.map((s) => s.runId))];
}

export function missingRunsError(missing: readonly number[]): StoreNotFoundError {
  return new StoreNotFoundError(`appendMetrics: run ${missing.join(', ')} does not exist; nothing was written`);
}
