/**
 * Validation issues in domain words: "gamma must be between 0 and 1 (got 1.5)", not the validator's "Too big:
 * expected number to be <=1". `domainErrors` is a zod error map (pass it as `safeParse(value, { error })`): zod
 * asks it for every issue the schema's author left unworded, so messages written in a schema (`.min(1, 'select at
 * least one run')`, custom issues) win over it. Each sentence names the field; where the field's schema is known
 * the sentence gives its whole allowed range (both bounds), read from the schema itself (`z.toJSONSchema`).
 */
import { z } from 'zod';
import { englishText, numberText, type Coded, type CodedValue, type MessageCode } from './coded-messages';

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

const lowerCoded = (b: { value: number; inclusive: boolean }): Coded => ({ code: b.inclusive ? 'atLeast' : 'greaterThan', params: { min: b.value } });
const upperCoded = (b: { value: number; inclusive: boolean }): Coded => ({ code: b.inclusive ? 'atMost' : 'lessThan', params: { max: b.value } });

/** The allowed range as a coded phrase (`between`, `atLeast`, `both` of a lower and an upper bound…); null when unbounded. */
export function rangeCoded(bounds: Pick<NumberBounds, 'min' | 'max'>): Coded | null {
  const { min, max } = bounds;
  if (min && max) {
    return min.inclusive && max.inclusive
      ? { code: 'between', params: { min: min.value, max: max.value } }
      : { code: 'both', params: { lower: lowerCoded(min), upper: upperCoded(max) } };
  }
  if (min) return lowerCoded(min);
  if (max) return upperCoded(max);
  return null;
}

/** The allowed range in words: `between 0 and 1`, `greater than 0`, `at least 0 and less than 1`; '' when unbounded. */
export function rangeText(bounds: Pick<NumberBounds, 'min' | 'max'>): string {
  const coded = rangeCoded(bounds);
  return coded ? englishText(coded) : '';
}

/** The value given, as a `got` parameter (strings quoted); absent for a missing value or an object. */
const gotParam = (value: unknown): { got?: string | number } =>
  value === undefined || typeof value === 'object' ? {} : { got: typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? value : String(value) };

const KIND_CODES: Readonly<Record<string, MessageCode>> = {
  number: 'notNumber',
  int: 'notInteger',
  integer: 'notInteger',
  boolean: 'notBoolean',
  string: 'notText',
  array: 'notList',
  object: 'notObject',
};

/** The subject of a path as a coded phrase where it has a list index (`seeds value 1`), else its dotted name. */
export function subjectCoded(path: readonly PropertyKey[]): string | Coded {
  let subject: string | Coded = '';
  for (const part of path) {
    if (typeof part === 'number') subject = { code: 'item', params: { field: subject, n: part + 1 } };
    else subject = typeof subject === 'string' ? (subject === '' ? String(part) : `${subject}.${String(part)}`) : `${englishText(subject)}.${String(part)}`;
  }
  return subject;
}

/** The words for a path: `gamma`, `policyLayers value 2`, `grid.entCoef value 1`. */
export function subjectOf(path: readonly PropertyKey[]): string {
  const subject = subjectCoded(path);
  return typeof subject === 'string' ? subject : englishText(subject);
}

/**
 * One zod issue as a coded sentence about `field` (a field name or phrase, or '' to start with "must…" / "is…"). With
 * the field's `bounds`, a number out of range gets the whole range; the value given is its `got`. Null for an issue
 * whose code has no sentence here (its schema's own message stands).
 */
export function issueCoded(issue: z.core.$ZodRawIssue, field: CodedValue, bounds?: NumberBounds | null): Coded | null {
  const value = issue.input;
  switch (issue.code) {
    case 'too_big':
    case 'too_small': {
      const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      if (issue.origin === 'number' || issue.origin === 'int') {
        const one = { value: limit, inclusive: issue.inclusive ?? true };
        const range = (bounds && rangeCoded(bounds)) ?? (issue.code === 'too_big' ? upperCoded(one) : lowerCoded(one));
        return { code: 'range', params: { field, bounds: range, ...gotParam(value) } };
      }
      if (issue.code === 'too_small' && limit === 1) return { code: 'notEmpty', params: { field } };
      const code: MessageCode = issue.origin === 'string' ? (issue.code === 'too_big' ? 'tooManyChars' : 'tooFewChars') : issue.code === 'too_big' ? 'tooManyItems' : 'tooFewItems';
      return { code, params: { field, limit } };
    }
    case 'invalid_type': {
      if (value === undefined) return { code: 'missing', params: { field } };
      const code = KIND_CODES[issue.expected];
      const range = bounds ? rangeCoded(bounds) : null;
      if (code === 'notNumber' && range) return { code: 'notNumberIn', params: { field, bounds: range, ...gotParam(value) } };
      return code ? { code, params: { field, ...gotParam(value) } } : { code: 'wrongType', params: { field, expected: issue.expected, ...gotParam(value) } };
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? { code: 'notValue', params: { field, value: shown(issue.values[0]), ...gotParam(value) } }
        : { code: 'notOneOf', params: { field, values: issue.values.map((v) => String(v)).join(', '), ...gotParam(value) } };
    case 'not_multiple_of':
      return { code: 'notMultipleOf', params: { field, divisor: String(issue.divisor), ...gotParam(value) } };
    case 'invalid_format':
      return { code: 'invalidFormat', params: { field, format: issue.format } };
    case 'unrecognized_keys':
      return field === ''
        ? { code: 'unknownFields', params: { count: issue.keys.length, keys: issue.keys.join(', ') } }
        : { code: 'unknownFieldsIn', params: { count: issue.keys.length, keys: issue.keys.join(', '), field } };
    case 'invalid_union':
      return { code: 'wrongKind', params: { field, ...gotParam(value) } };
    default:
      return issue.message === undefined ? { code: 'invalid', params: { field } } : null;
  }
}

const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? numberText(value) : String(value));

/**
 * One zod issue as a sentence about `subject` (a field name, or '' to start with "must…" / "is…"): the English text
 * of `issueCoded`, or the issue's own message.
 */
export function issueMessage(issue: z.core.$ZodRawIssue, subject: CodedValue, bounds?: NumberBounds | null): string {
  const coded = issueCoded(issue, subject, bounds);
  return coded ? englishText(coded) : (issue.message ?? '');
}

/** The messages schemas' authors wrote with `writtenMessage`, by their English text. */
const WRITTEN = new Map<string, Coded>();

/**
 * A message a schema's author writes (`.max(16, { error: writtenMessage({ code: 'limitLayers', params: { limit: 16 } }) })`,
 * a custom issue's `message`): its English text, with its code remembered so that `codedOf` gives the issue its code.
 */
export function writtenMessage(coded: Coded): string {
  const text = englishText(coded);
  WRITTEN.set(text, coded);
  return text;
}

/**
 * The code of a validated issue whose message is the one `domainErrors` words (parse with `reportInput: true`, so the
 * value given is known) or one written with `writtenMessage`; undefined for a message written otherwise.
 */
export function codedOf(issue: z.core.$ZodIssue, boundsOf?: (path: readonly PropertyKey[]) => NumberBounds | null): Coded | undefined {
  // A validated issue holds what its raw issue held, and its message.
  const coded = issueCoded(issue as unknown as z.core.$ZodRawIssue, subjectCoded(issue.path), boundsOf?.(issue.path) ?? null);
  return coded && englishText(coded) === issue.message ? coded : WRITTEN.get(issue.message);
}

/**
 * A zod error map that words every issue as `issueMessage` does, the subject being the issue's path
 * (`subjectOf`); `boundsOf` gives a path's number range when the caller knows its schema.
 */
export function domainErrors(boundsOf?: (path: readonly PropertyKey[]) => NumberBounds | null): (issue: z.core.$ZodRawIssue) => string {
  return (issue) => {
    const path = issue.path ?? [];
    return issueMessage(issue, subjectCoded(path), boundsOf?.(path) ?? null);
  };
}
