/**
 * CSV in the shape of Stable-Baselines3's progress.csv: one row per update, a column per logged key, keys under
 * SB3's names where SB3 logs the same quantity (src/core/metrics/keys.ts), empty cells where a key has no value.
 */
import { SB3_PROGRESS_NAMES } from '../../core/metrics/keys';

const STEP_COLUMN = 'time/total_timesteps';

/** SB3's progress.csv name of a Proxima metric key, or the key itself. */
export function progressColumnName(key: string): string {
  const names = SB3_PROGRESS_NAMES as Readonly<Record<string, string>>;
  return Object.hasOwn(names, key) ? names[key] : key;
}

/** RFC 4180 quoting where needed. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Numbers as pandas reads them back: shortest round-trip decimal, `nan`, `inf`, `-inf`. */
export function csvNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** One run's update-level points: key → step → value. */
export type RunTable = Map<string, Map<number, number>>;

/** Column order: total timesteps first, then the remaining columns sorted by name. */
export function tableColumns(tables: RunTable[]): { columns: string[]; keyOf: Map<string, string> } {
  const keyOf = new Map<string, string>();
  for (const table of tables) for (const key of table.keys()) keyOf.set(progressColumnName(key), key);
  const rest = [...keyOf.keys()].filter((c) => c !== STEP_COLUMN).sort();
  return { columns: [STEP_COLUMN, ...rest], keyOf };
}

/** The rows of one run under `columns` (cells already formatted), steps ascending. */
export function tableRows(table: RunTable, columns: string[], keyOf: Map<string, string>): string[][] {
  const steps = new Set<number>();
  for (const points of table.values()) for (const step of points.keys()) steps.add(step);
  return [...steps]
    .sort((a, b) => a - b)
    .map((step) =>
      columns.map((column) => {
        const key = keyOf.get(column);
        const value = key === undefined ? undefined : table.get(key)?.get(step);
        if (value !== undefined) return csvNumber(value);
        return column === STEP_COLUMN ? csvNumber(step) : '';
      }),
    );
}

export function joinCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}
