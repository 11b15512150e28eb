/**
 * CSV in the shape of Stable-Baselines3's progress.csv: one row per update, a column per logged key, keys under
 * SB3's names where SB3 logs the same quantity (src/core/metrics/keys.ts), empty cells where a key has no value.
 * A seq-indexed key of the update (`isDistributionKey`: the ratio histogram, per-epoch statistics) takes one column
 * per seq, `key[seq]`.
 */
import { sb3ProgressNames, SB3_PROGRESS_NAMES } from '../../core/metrics/keys';
import { isDistributionKey } from '../../core/metrics/ratio-stats';
import { isAlgorithm, type Algorithm } from '../../core/training/config';
import { StoreNotFoundError, type ExperimentStore, type MetricPoints, type RunRow } from '../store/types';

const STEP_COLUMN = 'time/total_timesteps';

/** SB3's progress.csv name of a Proxima metric key for `algorithm` (PPO's names by default), or the key itself. */
export function progressColumnName(key: string, names: Readonly<Record<string, string>> = SB3_PROGRESS_NAMES): string {
  return Object.hasOwn(names, key) ? (names[key] as string) : key;
}

/** A stored run's algorithm (runs stored before the ancestors are PPO's). */
function algorithmOf(run: RunRow): Algorithm {
  const algorithm = run.config.algorithm;
  return isAlgorithm(algorithm) ? algorithm : 'ppo';
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
type RunTable = Map<string, Map<number, number>>;

/** The column of point `seq` of a distribution key: `key[seq]`. */
export const seqColumnName = (key: string, seq: number): string => `${key}[${seq}]`;

/**
 * The update-level points of each run, from points read with their seqs: keys that never use seq > 0, and each
 * distribution key's points as columns `key[seq]` (per-episode keys, whose seq tells episodes apart, are left out).
 */
function runTables(runIds: readonly number[], points: readonly MetricPoints[]): RunTable[] {
  const tables = new Map<number, RunTable>(runIds.map((id) => [id, new Map()]));
  for (const p of points) {
    if (isDistributionKey(p.key)) {
      const table = tables.get(p.runId);
      p.steps.forEach((step, i) => {
        const column = seqColumnName(p.key, p.seqs![i] as number);
        if (!table?.has(column)) table?.set(column, new Map());
        table?.get(column)!.set(step, p.values[i] as number);
      });
      continue;
    }
    if (p.seqs?.some((seq) => seq > 0)) continue;
    const column = new Map<number, number>();
    p.steps.forEach((step, i) => column.set(step, p.values[i] as number));
    tables.get(p.runId)?.set(p.key, column);
  }
  return runIds.map((id) => tables.get(id)!);
}

/** Columns by name, a `key[seq]` column after `key` and before `key[seq + 1]` (seq compared as a number). */
function compareColumns(a: string, b: string): number {
  const split = (c: string): [string, number] => {
    const m = /^(.*)\[(\d+)\]$/.exec(c);
    return m ? [m[1] as string, Number(m[2])] : [c, -1];
  };
  const [ka, sa] = split(a);
  const [kb, sb] = split(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return sa - sb;
}

/** Column order: total timesteps first, then the remaining columns sorted by name (`compareColumns`). */
function tableColumns(tables: RunTable[], names: Readonly<Record<string, string>>): { columns: string[]; keyOf: Map<string, string> } {
  const keyOf = new Map<string, string>();
  for (const table of tables) for (const key of table.keys()) keyOf.set(progressColumnName(key, names), key);
  const rest = [...keyOf.keys()].filter((c) => c !== STEP_COLUMN).sort(compareColumns);
  return { columns: [STEP_COLUMN, ...rest], keyOf };
}

/** The rows of one run under `columns` (cells already formatted), steps ascending. */
function tableRows(table: RunTable, columns: string[], keyOf: Map<string, string>): string[][] {
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

function joinCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}

/**
 * One CSV row per update step (ascending), columns `time/total_timesteps` then the update-level keys under their
 * SB3 progress.csv names where one exists (else the Proxima key), sorted, distribution keys as `key[seq]` columns.
 * Per-episode keys are left out.
 * Empty cell = no value at that step; NaN/±Infinity as `nan`/`inf`/`-inf`. Throws StoreNotFoundError for a missing run.
 */
export async function runCsv(store: ExperimentStore, runId: number): Promise<string> {
  const run = await store.getRun(runId);
  if (!run) throw new StoreNotFoundError(`run ${runId} does not exist`);
  const [table] = runTables([runId], await store.readMetrics({ runIds: [runId], withSeq: true }));
  const { columns, keyOf } = tableColumns([table!], sb3ProgressNames(algorithmOf(run)));
  return joinCsv(columns, tableRows(table!, columns, keyOf));
}

/**
 * A sweep's runs in one CSV: `run_id,env_id,seed,algorithm` then the run CSV's columns (union over runs), runs by id;
 * columns under the sweep's algorithm's SB3 names when it has one algorithm, PPO's when it mixes several.
 */
export async function sweepCsv(store: ExperimentStore, sweepId: number): Promise<string> {
  if (!(await store.getSweep(sweepId))) throw new StoreNotFoundError(`sweep ${sweepId} does not exist`);
  const { runs } = await store.listRuns({ filter: { sweepId, includeHidden: true }, sort: { by: 'id', dir: 'asc' } });
  const tables = runTables(runs.map((r) => r.id), await store.readMetrics({ runIds: runs.map((r) => r.id), withSeq: true }));
  const algorithms = [...new Set(runs.map(algorithmOf))];
  const { columns, keyOf } = tableColumns(tables, sb3ProgressNames(algorithms.length === 1 ? (algorithms[0] as Algorithm) : 'ppo'));
  const rows = runs.flatMap((run, i) => tableRows(tables[i]!, columns, keyOf).map((cells) => [String(run.id), run.envId, String(run.seed), algorithmOf(run), ...cells]));
  return joinCsv(['run_id', 'env_id', 'seed', 'algorithm', ...columns], rows);
}
