/**
 * The run list's filter box: `objective=clip ent_coef>0 CartPole status=completed eval/mean_return>400
 * best(rollout/ep_return)>450`.
 *
 * Terms are separated by spaces (double quotes group a term: `notes="long run"` or `"two words"`).
 * A term `key OP value` or `fn(key) OP value`, with OP one of = != > < >= <=, is a comparison; anything else is a
 * free-text term.
 * - Special keys: `status` (comma list of statuses), `env` / `envId` (comma list of ids), `sweep` / `sweepId` (a
 *   number).
 * - A key with a `/` is a metric key (`eval/mean_return`): bare, it compares the metric's last value; `last()`,
 *   `best()` (the highest value, as for returns), `max()`, `min()` and `mean()` compare that aggregate over the run's
 *   points. Metric values are numbers.
 * - Other keys are hyperparameters (config fields), spelled in camelCase or SB3 snake_case (`ent_coef` → `entCoef`).
 * Values: numbers become numbers, `true`/`false` booleans, anything else a string.
 *
 * Given a vocabulary (the config fields and the metric keys that exist), a key outside it is reported with the
 * nearest known name ("did you mean …?") instead of silently matching nothing.
 *
 * The grammar is five token shapes, so it is read by one regular expression per term rather than a parser
 * library: a grammar with nesting or boolean operators would deserve one.
 */
import { nearest } from './nearest';
import { snakeToCamel } from './param-keys';
import {
  isRunStatus,
  METRIC_AGGREGATES,
  type MetricAggregate,
  type MetricCondition,
  type ParamCondition,
  type ParamOp,
  type RunFilter,
  type RunStatus,
} from './run-query';

export interface ParsedRunFilter {
  filter: RunFilter;
  /** Terms that could not be used, each with the reason; the rest of the filter still applies. */
  errors: string[];
}

/** The names a filter may use; keys outside them are errors. Without one, any key is taken as written. */
export interface FilterVocabulary {
  /** Config field names (camelCase). */
  fields: readonly string[];
  /** Metric keys (`eval/mean_return`, ...). */
  metrics: readonly string[];
}

/** Keys with their own meaning (not hyperparameters). */
const RUN_FIELDS = ['status', 'env', 'envId', 'sweep', 'sweepId'] as const;

/** `best()` is the highest value: the best of a return. */
const AGGREGATE_ALIASES: Readonly<Record<string, MetricAggregate>> = { best: 'max' };
const FUNCTION_NAMES = ['last', 'best', ...METRIC_AGGREGATES.filter((a) => a !== 'last')];

function tokenize(input: string): string[] {
  const tokens: string[] = [];
  const re = /(?:[^\s"]+|"[^"]*")+/g;
  for (const m of input.matchAll(re)) tokens.push(m[0].replace(/"/g, ''));
  return tokens.filter((t) => t.length > 0);
}

/** `fn(key) OP value` or `key OP value`; a key may hold `/` (metrics), `.` (nested fields) and `-`. */
const COMPARISON = /^(?:([A-Za-z]+)\(([A-Za-z_][\w./-]*)\)|([A-Za-z_][\w./-]*))\s*(>=|<=|!=|=|>|<)(.*)$/;

function parseValue(raw: string): number | string | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(n)) return n;
  return raw;
}

const suggestion = (name: string, known: readonly string[]): string => {
  const match = nearest(name, known);
  return match === null ? '' : ` — did you mean ${match}?`;
};

/** Parses filter-box text into a `RunFilter`; never throws. */
export function parseRunFilter(input: string, vocabulary?: FilterVocabulary): ParsedRunFilter {
  const filter: RunFilter = {};
  const errors: string[] = [];
  const params: ParamCondition[] = [];
  const metrics: MetricCondition[] = [];
  const text: string[] = [];
  for (const token of tokenize(input)) {
    const m = COMPARISON.exec(token);
    if (!m) {
      text.push(token);
      continue;
    }
    const [, fn, fnKey, bareKey, op, rawValue] = m as unknown as [string, string | undefined, string | undefined, string | undefined, ParamOp, string];
    if (rawValue === '') {
      errors.push(`${token}: missing a value after '${op}'`);
      continue;
    }
    const rawKey = (fnKey ?? bareKey) as string;
    if (fn !== undefined || rawKey.includes('/')) {
      const aggregate: MetricAggregate | undefined =
        fn === undefined ? 'last' : Object.hasOwn(AGGREGATE_ALIASES, fn) ? AGGREGATE_ALIASES[fn] : METRIC_AGGREGATES.find((a) => a === fn);
      if (aggregate === undefined) {
        errors.push(`${token}: unknown function '${fn}' — use ${FUNCTION_NAMES.map((f) => `${f}()`).join(', ')}`);
        continue;
      }
      if (!rawKey.includes('/')) {
        errors.push(`${token}: ${fn}() takes a metric key such as eval/mean_return`);
        continue;
      }
      if (vocabulary && !vocabulary.metrics.includes(rawKey)) {
        errors.push(`unknown metric '${rawKey}'${suggestion(rawKey, vocabulary.metrics)}`);
        continue;
      }
      const value = parseValue(rawValue);
      if (typeof value !== 'number') {
        errors.push(`${token}: a metric compares with a number`);
        continue;
      }
      metrics.push({ key: rawKey, of: aggregate, op, value });
      continue;
    }
    const key = snakeToCamel(rawKey);
    if (key === 'status') {
      const statuses = rawValue.split(',');
      const bad = statuses.filter((s) => !isRunStatus(s));
      if (op !== '=' || bad.length > 0) {
        errors.push(`${token}: status takes '=' and one of queued, running, completed, failed, cancelled, interrupted`);
        continue;
      }
      filter.status = statuses as RunStatus[];
    } else if (key === 'env' || key === 'envId') {
      if (op !== '=') {
        errors.push(`${token}: env takes '='`);
        continue;
      }
      filter.envId = rawValue.split(',');
    } else if (key === 'sweep' || key === 'sweepId') {
      const id = Number(rawValue);
      if (op !== '=' || !Number.isInteger(id)) {
        errors.push(`${token}: sweep takes '=' and a sweep id`);
        continue;
      }
      filter.sweepId = id;
    } else {
      if (vocabulary && !vocabulary.fields.includes(key)) {
        errors.push(`unknown field '${rawKey}'${suggestion(key, [...RUN_FIELDS, ...vocabulary.fields])}`);
        continue;
      }
      const value = parseValue(rawValue);
      if (typeof value !== 'number' && op !== '=' && op !== '!=') {
        errors.push(`${token}: '${op}' needs a number`);
        continue;
      }
      params.push({ key, op, value });
    }
  }
  if (params.length > 0) filter.params = params;
  if (metrics.length > 0) filter.metrics = metrics;
  if (text.length > 0) filter.text = text;
  return { filter, errors };
}
