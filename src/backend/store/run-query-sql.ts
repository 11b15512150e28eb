/**
 * Run filters and sorts (src/core/runs/run-query.ts) as SQL over `runs r LEFT JOIN sweeps s ON s.id = r.sweep_id`,
 * for both stores: the tables have the same names and columns in SQLite and PostgreSQL, and the few expressions
 * that differ come from a `SqlDialect`. Values are `?` placeholders pushed onto `args` in order of appearance
 * (PostgreSQL's `$n` are numbered from them when the statement runs, see `numberedPlaceholders`).
 */
import { PARAM_OPS, type MetricAggregate, type MetricCondition, type ParamCondition, type RunFilter, type RunSort } from '../../core/runs/run-query';

/** The SQL that differs between the stores. */
export interface SqlDialect {
  /** Case-insensitive `LIKE` for ASCII (SQLite's LIKE is; PostgreSQL's ILIKE). */
  like: 'LIKE' | 'ILIKE';
  /** The final evaluation's mean, from the `final_eval` JSON text. */
  finalEvalMean: string;
  /**
   * ORDER BY terms of a param sort in direction `dir` (nulls last), reading the key from `?` placeholders: one
   * `?` per entry of the returned `keyArgs` count. SQLite orders `COALESCE(num, text)` (numbers before text);
   * PostgreSQL cannot mix the types in one expression and orders by (type rank, number, text), the same order.
   */
  paramSort(dir: 'ASC' | 'DESC'): { sql: string; keyArgs: number };
}

const PARAM_VALUE = (column: string): string => `(SELECT ${column} FROM run_params p WHERE p.run_id = r.id AND p.key = ?)`;

export const SQLITE_DIALECT: SqlDialect = {
  like: 'LIKE',
  finalEvalMean: "json_extract(r.final_eval, '$.mean')",
  paramSort: (dir) => ({ sql: `${PARAM_VALUE('COALESCE(p.num_value, p.text_value)')} ${dir} NULLS LAST`, keyArgs: 1 }),
};

export const POSTGRES_DIALECT: SqlDialect = {
  like: 'ILIKE',
  finalEvalMean: "(r.final_eval::json ->> 'mean')::double precision",
  paramSort: (dir) => ({
    sql: [
      `${PARAM_VALUE('CASE WHEN p.num_value IS NOT NULL THEN 1 WHEN p.text_value IS NOT NULL THEN 2 END')} ${dir} NULLS LAST`,
      `${PARAM_VALUE('p.num_value')} ${dir} NULLS LAST`,
      `${PARAM_VALUE('p.text_value')} ${dir} NULLS LAST`,
    ].join(', '),
    keyArgs: 3,
  }),
};

/**
 * `?` placeholders as PostgreSQL's `$1, $2, …`, in order. The SQL built here and by the stores has no `?` inside
 * string literals or identifiers, and uses no jsonb `?` operators.
 */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const SORT_COLUMNS: Record<string, string> = {
  id: 'r.id',
  createdAt: 'r.created_at',
  startedAt: 'r.started_at',
  finishedAt: 'r.finished_at',
  envId: 'r.env_id',
  seed: 'r.seed',
  status: 'r.status',
  objective: 'r.objective',
  stepsDone: 'r.steps_done',
  sweepId: 'r.sweep_id',
};

/** `LIKE` pattern matching `term` anywhere, with `\` escaping. */
function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function paramClause(c: ParamCondition, args: unknown[]): string {
  const numeric = typeof c.value !== 'string';
  const column = numeric ? 'p.num_value' : 'p.text_value';
  const value = typeof c.value === 'boolean' ? (c.value ? 1 : 0) : c.value;
  const exists = (op: string): string => `EXISTS (SELECT 1 FROM run_params p WHERE p.run_id = r.id AND p.key = ? AND ${column} ${op} ?)`;
  args.push(c.key, value);
  return c.op === '!=' ? `NOT ${exists('=')}` : exists(c.op);
}

/** SQL of each roll-up of a run's points of one key (`m`, NULL = NaN points left out); `last` reads one index row. */
const METRIC_ROLLUPS: Record<MetricAggregate, string> = {
  last: 'SELECT m.value FROM metrics m WHERE m.run_id = r.id AND m.key_id = (SELECT id FROM metric_keys WHERE key = ?) AND m.value IS NOT NULL ORDER BY m.step DESC, m.seq DESC LIMIT 1',
  max: 'SELECT MAX(m.value) FROM metrics m WHERE m.run_id = r.id AND m.key_id = (SELECT id FROM metric_keys WHERE key = ?)',
  min: 'SELECT MIN(m.value) FROM metrics m WHERE m.run_id = r.id AND m.key_id = (SELECT id FROM metric_keys WHERE key = ?)',
  mean: 'SELECT AVG(m.value) FROM metrics m WHERE m.run_id = r.id AND m.key_id = (SELECT id FROM metric_keys WHERE key = ?)',
};

/** A run without a finite point of the key has a NULL roll-up, which no comparison (not even `<>`) matches. */
function metricClause(c: MetricCondition, args: unknown[]): string {
  if (!PARAM_OPS.includes(c.op) || !Object.hasOwn(METRIC_ROLLUPS, c.of)) throw new Error(`cannot filter runs by ${c.of}(${c.key}) ${c.op}`);
  args.push(c.key, c.value);
  return `(${METRIC_ROLLUPS[c.of]}) ${c.op === '!=' ? '<>' : c.op} ?`;
}

/** The WHERE clause of a run filter over `runs r LEFT JOIN sweeps s`; pushes its arguments onto `args`. */
export function whereOf(filter: RunFilter, args: unknown[], dialect: SqlDialect): string {
  const where: string[] = [];
  if (!filter.includeHidden) where.push('r.hidden = 0');
  if (filter.ownerId !== undefined) {
    where.push('r.owner_id = ?');
    args.push(filter.ownerId);
  }
  if (filter.status?.length) {
    where.push(`r.status IN (${filter.status.map(() => '?').join(', ')})`);
    args.push(...filter.status);
  }
  if (filter.envId?.length) {
    where.push(`r.env_id IN (${filter.envId.map(() => '?').join(', ')})`);
    args.push(...filter.envId);
  }
  if (filter.sweepId !== undefined) {
    where.push('r.sweep_id = ?');
    args.push(filter.sweepId);
  }
  for (const term of filter.text ?? []) {
    const fields = ['r.env_id', 'r.objective', 'r.status', 'r.tags', 'r.notes', 's.name'];
    where.push(`(${fields.map((f) => `${f} ${dialect.like} ? ESCAPE '\\'`).join(' OR ')} OR CAST(r.id AS TEXT) = ?)`);
    args.push(...fields.map(() => containsPattern(term)), term);
  }
  for (const condition of filter.params ?? []) where.push(paramClause(condition, args));
  for (const condition of filter.metrics ?? []) where.push(metricClause(condition, args));
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
}

/** The ORDER BY clause of a run sort (ties by id in the same direction, nulls last); pushes its arguments. */
export function orderOf(sort: RunSort | undefined, args: unknown[], dialect: SqlDialect): string {
  const by = sort?.by ?? 'createdAt';
  const dir = (sort?.dir ?? 'desc') === 'asc' ? 'ASC' : 'DESC';
  if (by.startsWith('param:')) {
    const { sql, keyArgs } = dialect.paramSort(dir);
    for (let i = 0; i < keyArgs; i++) args.push(by.slice('param:'.length));
    return `ORDER BY ${sql}, r.id ${dir}`;
  }
  if (by === 'finalEval') return `ORDER BY ${dialect.finalEvalMean} ${dir} NULLS LAST, r.id ${dir}`;
  if (!Object.hasOwn(SORT_COLUMNS, by)) throw new Error(`cannot sort runs by '${by}'`);
  return `ORDER BY ${SORT_COLUMNS[by]} ${dir} NULLS LAST, r.id ${dir}`;
}

/**
 * The two statements of a `listRuns` page: the count of matching runs and the page itself, with their arguments
 * (the page's are the count's followed by the sort's, so numbered placeholders agree).
 */
export function runPageSql(
  query: { filter?: RunFilter; sort?: RunSort; limit?: number; offset?: number },
  dialect: SqlDialect,
): { count: string; page: string; countArgs: unknown[]; pageArgs: unknown[] } {
  const args: unknown[] = [];
  const where = whereOf(query.filter ?? {}, args, dialect);
  const countArgs = [...args];
  const order = orderOf(query.sort, args, dialect);
  const from = 'FROM runs r LEFT JOIN sweeps s ON s.id = r.sweep_id';
  const page = query.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(query.limit))} OFFSET ${Math.max(0, Math.floor(query.offset ?? 0))}` : '';
  return { count: `SELECT COUNT(*) AS n ${from} ${where}`, page: `SELECT r.* ${from} ${where} ${order} ${page}`, countArgs, pageArgs: args };
}
