/**
 * CSV in the shape of Stable-Baselines3's progress.csv: one row per update, a column per logged key, keys under
 * SB3's names where SB3 logs the same quantity (src/core/metrics/keys.ts), empty cells where a key has no value.
 */
import { sb3ProgressNames, SB3_PROGRESS_NAMES } from '../../core/metrics/keys';
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

/** The update-level points (keys that never use seq > 0) of each run, from points read with their seqs. */
function runTables(runIds: readonly number[], points: readonly MetricPoints[]): RunTable[] {
  const tables = new Map<number, RunTable>(runIds.map((id) => [id, new Map()]));
  for (const p of points) {
    if (p.seqs?.some((seq) => seq > 0)) continue;
    const column = new Map<number, number>();
    p.steps.forEach((step, i) => column.set(step, p.values[i] as number));
    tables.get(p.runId)?.set(p.key, column);
  }
  return runIds.map((id) => tables.get(id)!);
}

/** Column order: total timesteps first, then the remaining columns sorted by name. */
function tableColumns(tables: RunTable[], names: Readonly<Record<string, string>>): { columns: string[]; keyOf: Map<string, string> } {
  const keyOf = new Map<string, string>();
  for (const table of tables) for (const key of table.keys()) keyOf.set(progressColumnName(key, names), key);
  const rest = [...keyOf.keys()].filter((c) => c !== STEP_COLUMN).sort();
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
 * SB3 progress.csv names where one exists (else the Proxima key), sorted. Per-episode keys are left out.
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
