/**
 * How runs are asked for: the filter, sort and paging of a run list, shared by the store (src/backend/store), the
 * API and the renderer's filter box (see `parseRunFilter`).
 */

import { RUN_STATUSES, type RunStatus } from '../api/contract';

/** A run's lifecycle (defined once, in the API contract). `interrupted`: the host stopped while the run was running. */
export { RUN_STATUSES, type RunStatus };

export function isRunStatus(value: string): value is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(value);
}

/** A hyperparameter value as stored for filtering and grouping (nested config objects are flattened with dots). */
export type ParamValue = number | string | boolean | null;

export const PARAM_OPS = ['=', '!=', '>', '<', '>=', '<='] as const;
export type ParamOp = (typeof PARAM_OPS)[number];

/**
 * A comparison on one hyperparameter. Numbers (and booleans, as 0/1) compare numerically, strings compare as
 * text. `!=` also matches runs that do not have the parameter at all.
 */
export interface ParamCondition {
  key: string;
  op: ParamOp;
  value: number | string | boolean;
}

/** How a metric term rolls a run's points up: the last (finite) value, the highest, the lowest, or the mean. */
export const METRIC_AGGREGATES = ['last', 'max', 'min', 'mean'] as const;
export type MetricAggregate = (typeof METRIC_AGGREGATES)[number];

/**
 * A comparison on one metric of a run, rolled up over its stored points (NaN points left out). A run without a
 * finite point of the metric never matches (not even `!=`).
 */
export interface MetricCondition {
  key: string;
  of: MetricAggregate;
  op: ParamOp;
  value: number;
}

export interface RunFilter {
  /** Any of these statuses. */
  status?: RunStatus[];
  /** Any of these environment ids. */
  envId?: string[];
  sweepId?: number;
  /** Every term must occur (case-insensitive) in the env id, objective, status, tags, notes or sweep name. */
  text?: string[];
  /** Every condition must hold. */
  params?: ParamCondition[];
  /** Every condition must hold. */
  metrics?: MetricCondition[];
  /** Include runs the user hid; default false. */
  includeHidden?: boolean;
  /** Only runs of this owner (a run queue; see the store's ownership methods). */
  ownerId?: string;
}

/** Sortable columns; `param:<key>` sorts by a hyperparameter (runs without it last). */
export type RunSortKey =
  | 'id'
  | 'createdAt'
  | 'startedAt'
  | 'finishedAt'
  | 'envId'
  | 'seed'
  | 'status'
  | 'objective'
  | 'stepsDone'
  | 'finalEval'
  | 'sweepId'
  | `param:${string}`;

export interface RunSort {
  by: RunSortKey;
  dir: 'asc' | 'desc';
}

export interface RunQuery {
  filter?: RunFilter;
  /** Default: newest first (`createdAt` desc, then id desc). */
  sort?: RunSort;
  /** Page size; default: all. */
  limit?: number;
  offset?: number;
}
