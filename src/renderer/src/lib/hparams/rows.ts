/**
 * The Hyperparameters view's rows, pure: one row per group or per run of an `hparams.get` result, filtered by text
 * and by a range of the chosen value, sorted by any column, and the selection shared by the table and both charts.
 * The selection is a set of run ids: a group row stands for its runs, and is selected when all of them are.
 */
import type { HparamsResult } from '../../../../core/api/contract';
import { formatValue } from '../format';
import { compareValues, type SortSpec } from '../runs/table';

export type HparamsMode = 'groups' | 'runs';
/** Which number of a row the charts draw and the range filter tests: a group's IQM exists only for groups. */
export type HparamStat = 'final' | 'best' | 'iqm';

export type ParamValue = number | string | boolean | null;

/** One row of the table (and one line of the parallel coordinates, one point of the scatter). */
export interface HparamRow {
  /** `group:<key>` or `run:<id>`. */
  id: string;
  /** The group key, or `run <id>`. */
  label: string;
  /** The key of the group it is (or belongs to). */
  group: string;
  runIds: number[];
  /** Values of the result's axes. */
  params: Record<string, ParamValue>;
  /** A run's seed; null for groups. */
  seed: number | null;
  final: number | null;
  best: number | null;
  /** Groups only (null for runs). */
  iqm: number | null;
}

/**
 * The rows of `mode`, in the result's order (groups by their first run, runs as asked for); a run's row is labelled
 * `runLabel(id)` (`run 12`; the interface language's words in the app).
 */
export function rowsOf(result: HparamsResult | null, mode: HparamsMode, runLabel: (runId: number) => string = (id) => `run ${id}`): HparamRow[] {
  if (!result) return [];
  if (mode === 'groups') {
    return result.groups.map((g) => ({
      id: `group:${g.key}`, label: g.key, group: g.key, runIds: g.runIds, params: g.params, seed: null, final: g.final, best: g.best, iqm: g.iqm,
    }));
  }
  return result.runs.map((r) => ({
    id: `run:${r.runId}`, label: runLabel(r.runId), group: r.group, runIds: [r.runId], params: r.params, seed: r.seed, final: r.final, best: r.best, iqm: null,
  }));
}

/** The value `stat` of a row; a run's IQM is its final score (the IQM of one score is that score). */
export function statOf(row: HparamRow, stat: HparamStat): number | null {
  if (stat === 'iqm') return row.seed === null ? row.iqm : row.final;
  return row[stat];
}

export interface HparamFilter {
  /** Whitespace-separated terms; a row matches when each term is in its label or in one of its `cellTexts` (any case). */
  text: string;
  /** Bounds on `statOf(row, stat)` (inclusive); a row without the value fails any bound. */
  min: number | null;
  max: number | null;
  stat: HparamStat;
}

/**
 * The `field=value` texts a text filter searches: each value as the table shows it and as written (`1.000e-4`,
 * `0.0001`); a run's row also as `run=<id>`, so `run 6` and `run=6` find it whatever language its label is in
 * (`运行 6`).
 */
export function cellTexts(row: HparamRow): string[] {
  const texts = Object.entries(row.params).flatMap(([field, value]) => [`${field}=${formatValue(value)}`, `${field}=${String(value)}`]);
  if (row.seed !== null) texts.push(`seed=${row.seed}`);
  if (row.id.startsWith('run:')) texts.push(`run=${row.runIds[0]}`);
  return [row.label, ...texts].map((t) => t.toLowerCase());
}

export function filterRows(rows: readonly HparamRow[], filter: HparamFilter): HparamRow[] {
  const terms = filter.text.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
  return rows.filter((row) => {
    if (terms.length > 0) {
      const texts = cellTexts(row);
      if (!terms.every((term) => texts.some((text) => text.includes(term)))) return false;
    }
    if (filter.min === null && filter.max === null) return true;
    const value = statOf(row, filter.stat);
    if (value === null) return false;
    return (filter.min === null || value >= filter.min) && (filter.max === null || value <= filter.max);
  });
}

/**
 * Sort keys: `order` (the result's order), `label`, `seed`, `final`, `best`, `iqm`, or `param:<field>`. Missing
 * values last in either direction (as the Runs table); ties keep the result's order.
 */
export function sortRows(rows: readonly HparamRow[], sort: SortSpec): HparamRow[] {
  if (sort.by === 'order') return sort.dir === 'asc' ? [...rows] : [...rows].reverse();
  const sign = sort.dir === 'asc' ? 1 : -1;
  const valueOf = (row: HparamRow): unknown => {
    if (sort.by.startsWith('param:')) return row.params[sort.by.slice('param:'.length)];
    if (sort.by === 'iqm') return statOf(row, 'iqm');
    return row[sort.by as 'label' | 'seed' | 'final' | 'best'];
  };
  const indexed = rows.map((row, index) => ({ row, index, value: valueOf(row) }));
  const missing = (v: unknown): boolean => v === null || v === undefined;
  indexed.sort((a, b) => {
    if (missing(a.value) || missing(b.value)) return compareValues(a.value, b.value) || a.index - b.index;
    return sign * compareValues(a.value, b.value) || a.index - b.index;
  });
  return indexed.map((i) => i.row);
}

/** Whether every run of the row is selected. */
export function isSelected(row: HparamRow, selection: ReadonlySet<number>): boolean {
  return row.runIds.length > 0 && row.runIds.every((id) => selection.has(id));
}

/** The selection with the row's runs removed when the row is selected, else added. */
export function toggleRow(selection: ReadonlySet<number>, row: HparamRow): ReadonlySet<number> {
  const next = new Set(selection);
  if (isSelected(row, selection)) for (const id of row.runIds) next.delete(id);
  else for (const id of row.runIds) next.add(id);
  return next;
}
