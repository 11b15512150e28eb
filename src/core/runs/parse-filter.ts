/**
 * The run list's filter box: `objective=clip ent_coef>0 CartPole status=completed`.
 *
 * Terms are separated by spaces (double quotes group a term: `notes="long run"` or `"two words"`).
 * A term `key OP value` with OP one of = != > < >= <= is a comparison; anything else is a free-text term.
 * Special keys: `status` (comma list of statuses), `env` / `envId` (comma list of ids), `sweep` / `sweepId` (a
 * number). Other keys are hyperparameters, spelled in camelCase or SB3 snake_case (`ent_coef` → `entCoef`).
 * Values: numbers become numbers, `true`/`false` booleans, anything else a string.
 */
import { snakeToCamel } from './param-keys';
import { isRunStatus, type ParamCondition, type ParamOp, type RunFilter, type RunStatus } from './run-query';

export interface ParsedRunFilter {
  filter: RunFilter;
  /** Terms that could not be used, each with the reason; the rest of the filter still applies. */
  errors: string[];
}

function tokenize(input: string): string[] {
  const tokens: string[] = [];
  const re = /(?:[^\s"]+|"[^"]*")+/g;
  for (const m of input.matchAll(re)) tokens.push(m[0].replace(/"/g, ''));
  return tokens.filter((t) => t.length > 0);
}

const COMPARISON = /^([A-Za-z_][\w.]*)\s*(>=|<=|!=|=|>|<)(.*)$/;

function parseValue(raw: string): number | string | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(n)) return n;
  return raw;
}

/** Parses filter-box text into a `RunFilter`; never throws. */
export function parseRunFilter(input: string): ParsedRunFilter {
  const filter: RunFilter = {};
  const errors: string[] = [];
  const params: ParamCondition[] = [];
  const text: string[] = [];
  for (const token of tokenize(input)) {
    const m = COMPARISON.exec(token);
    if (!m) {
      text.push(token);
      continue;
    }
    const [, rawKey, op, rawValue] = m as unknown as [string, string, ParamOp, string];
    if (rawValue === '') {
      errors.push(`${token}: missing a value after '${op}'`);
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
      const value = parseValue(rawValue);
      if (typeof value !== 'number' && op !== '=' && op !== '!=') {
        errors.push(`${token}: '${op}' needs a number`);
        continue;
      }
      params.push({ key, op, value });
    }
  }
  if (params.length > 0) filter.params = params;
  if (text.length > 0) filter.text = text;
  return { filter, errors };
}
