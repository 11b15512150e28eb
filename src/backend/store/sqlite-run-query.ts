/** Run filters and sorts (src/core/runs/run-query.ts) as SQL over `runs r LEFT JOIN sweeps s ON s.id = r.sweep_id`. */
import { PARAM_OPS, type MetricAggregate, type MetricCondition, type ParamCondition, type RunFilter, type RunSort } from '../../core/runs/run-query';

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
  finalEval: "json_extract(r.final_eval, '$.mean')",
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
export function whereOf(filter: RunFilter, args: unknown[]): string {
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
    where.push(`(${fields.map((f) => `${f} LIKE ? ESCAPE '\\'`).join(' OR ')} OR CAST(r.id AS TEXT) = ?)`);
    args.push(...fields.map(() => containsPattern(term)), term);
  }
  for (const condition of filter.params ?? []) where.push(paramClause(condition, args));
  for (const condition of filter.metrics ?? []) where.push(metricClause(condition, args));
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
}

/** The ORDER BY clause of a run sort (ties by id in the same direction, nulls last); pushes its arguments. */
export function orderOf(sort: RunSort | undefined, args: unknown[]): string {
  const by = sort?.by ?? 'createdAt';
  const dir = (sort?.dir ?? 'desc') === 'asc' ? 'ASC' : 'DESC';
  let expr: string;
  if (by.startsWith('param:')) {
    expr = '(SELECT COALESCE(p.num_value, p.text_value) FROM run_params p WHERE p.run_id = r.id AND p.key = ?)';
    args.push(by.slice('param:'.length));
  } else {
    if (!Object.hasOwn(SORT_COLUMNS, by)) throw new Error(`cannot sort runs by '${by}'`);
    expr = SORT_COLUMNS[by];
  }
  return `ORDER BY ${expr} ${dir} NULLS LAST, r.id ${dir}`;
}
