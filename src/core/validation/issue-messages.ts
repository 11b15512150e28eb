/**
 * Validation issues in domain words: "gamma must be between 0 and 1 (got 1.5)", not the validator's "Too big:
 * expected number to be <=1". `domainErrors` is a zod error map (pass it as `safeParse(value, { error })`): zod
 * asks it for every issue the schema's author left unworded, so messages written in a schema (`.min(1, 'select at
 * least one run')`, custom issues) win over it. Each sentence names the field; where the field's schema is known
 * the sentence gives its whole allowed range (both bounds), read from the schema itself (`z.toJSONSchema`).
 */
import { z } from 'zod';

/** A number field's allowed range (bounds absent when unbounded) and whether it must be whole. */
export interface NumberBounds {
  min?: { value: number; inclusive: boolean };
  max?: { value: number; inclusive: boolean };
  integer: boolean;
}

interface JsonNumberSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonNumberSchema[];
}

/** The number range of a (possibly nullable or defaulted) number schema, or null for any other schema. */
export function numberBounds(schema: z.ZodType): NumberBounds | null {
  let json: JsonNumberSchema;
  try {
    json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonNumberSchema;
  } catch {
    return null;
  }
  const number = json.anyOf ? json.anyOf.find((s) => s.type === 'number' || s.type === 'integer') : json;
  if (!number || (number.type !== 'number' && number.type !== 'integer')) return null;
  const bounds: NumberBounds = { integer: number.type === 'integer' };
  if (number.exclusiveMinimum !== undefined) bounds.min = { value: number.exclusiveMinimum, inclusive: false };
  else if (number.minimum !== undefined && number.minimum > Number.MIN_SAFE_INTEGER) bounds.min = { value: number.minimum, inclusive: true };
  if (number.exclusiveMaximum !== undefined) bounds.max = { value: number.exclusiveMaximum, inclusive: false };
  // Whole numbers carry the safe-integer limit as their maximum: no bound a person would set.
  else if (number.maximum !== undefined && number.maximum < Number.MAX_SAFE_INTEGER) bounds.max = { value: number.maximum, inclusive: true };
  return bounds;
}

/** A bound or a given value as people write it: large whole numbers with thousands separators (`1,000,000,000`). */
const num = (v: number): string => (Number.isInteger(v) && Math.abs(v) >= 10_000 ? v.toLocaleString('en-US') : String(v));
const lower = (b: { value: number; inclusive: boolean }): string => `${b.inclusive ? 'at least' : 'greater than'} ${num(b.value)}`;
const upper = (b: { value: number; inclusive: boolean }): string => `${b.inclusive ? 'at most' : 'less than'} ${num(b.value)}`;

/** The allowed range in words: `between 0 and 1`, `greater than 0`, `at least 0 and less than 1`; '' when unbounded. */
export function rangeText(bounds: Pick<NumberBounds, 'min' | 'max'>): string {
  const { min, max } = bounds;
  if (min && max) return min.inclusive && max.inclusive ? `between ${num(min.value)} and ${num(max.value)}` : `${lower(min)} and ${upper(max)}`;
  if (min) return lower(min);
  if (max) return upper(max);
  return '';
}

const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? num(value) : String(value));
const got = (value: unknown): string => (value === undefined || typeof value === 'object' ? '' : ` (got ${shown(value)})`);

const KIND_WORDS: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  integer: 'a whole number',
  boolean: 'true or false',
  string: 'text',
  array: 'a list',
  object: 'a set of named values',
};

/** The words for a path: `gamma`, `policyLayers value 2`, `grid.entCoef value 1`. */
export function subjectOf(path: readonly PropertyKey[]): string {
  let subject = '';
  for (const part of path) {
    if (typeof part === 'number') subject += ` value ${part + 1}`;
    else subject += subject === '' ? String(part) : `.${String(part)}`;
  }
  return subject.trim();
}

/**
 * One zod issue as a sentence about `subject` (a field name, or '' to start with "must…" / "is…"). With the field's
 * `bounds`, a number out of range gets the whole range; the value given is shown as "(got …)".
 */
export function issueMessage(issue: z.core.$ZodRawIssue, subject: string, bounds?: NumberBounds | null): string {
  const value = issue.input;
  const who = subject === '' ? '' : `${subject} `;
  switch (issue.code) {
    case 'too_big':
    case 'too_small': {
      if (issue.origin === 'number' || issue.origin === 'int') {
        const range = bounds && (bounds.min || bounds.max) ? rangeText(bounds) : '';
        const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
        const one = { value: limit, inclusive: issue.inclusive ?? true };
        return `${who}must be ${range || (issue.code === 'too_big' ? upper(one) : lower(one))}${got(value)}`;
      }
      const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      const unit = issue.origin === 'string' ? 'character' : 'value';
      if (issue.code === 'too_small' && limit === 1) return `${who}must not be empty`;
      return `${who}must have ${issue.code === 'too_big' ? 'at most' : 'at least'} ${limit} ${unit}${limit === 1 ? '' : 's'}`;
    }
    case 'invalid_type': {
      if (value === undefined) return `${who}is missing`;
      const kind = KIND_WORDS[issue.expected] ?? issue.expected;
      return `${who}must be ${kind}${bounds && kind === 'a number' && rangeText(bounds) ? ` ${rangeText(bounds)}` : ''}${got(value)}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `${who}must be ${shown(issue.values[0])}${got(value)}`
        : `${who}must be one of ${issue.values.map((v) => String(v)).join(', ')}${got(value)}`;
    case 'not_multiple_of':
      return `${who}must be a multiple of ${String(issue.divisor)}${got(value)}`;
    case 'invalid_format':
      return `${who}is not a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}${subject ? ` in ${subject}` : ''}`;
    case 'invalid_union':
      return `${who}has the wrong kind of value${got(value)}`;
    default:
      return issue.message ?? `${who}is not valid`;
  }
}

/**
 * A zod error map that words every issue as `issueMessage` does, the subject being the issue's path
 * (`subjectOf`); `boundsOf` gives a path's number range when the caller knows its schema.
 */
export function domainErrors(boundsOf?: (path: readonly PropertyKey[]) => NumberBounds | null): (issue: z.core.$ZodRawIssue) => string {
  return (issue) => {
    const path = issue.path ?? [];
    return issueMessage(issue, subjectOf(path), boundsOf?.(path) ?? null);
  };
}
