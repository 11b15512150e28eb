/**
 * Validation messages as stable codes with parameters, and their English text: `{ code: 'range', params: { field:
 * 'gamma', bounds: { code: 'between', params: { min: 0, max: 1 } }, got: 1.5 } }` reads "gamma must be between 0 and
 * 1 (got 1.5)". The backend sends the code beside its English message, so the interface can word it in its own
 * language (the renderer's `errors.<code>` messages, generated from `CODED_MESSAGES` for English) while the CLI and the
 * logs keep the English message.
 *
 * A parameter is a string, a number, or itself a coded phrase (a range's bounds, a list item's subject), worded first.
 * Two parameters wrap the whole sentence: `got` (the value given) and `trial` (the sweep trial it came from).
 * Messages use a subset of ICU MessageFormat, `{name}` and `{name, plural, one {…} other {…}}` with `#`, which
 * `formatEnglish` reads and svelte-i18n formats alike.
 */

export const CODED_MESSAGES = Object.freeze({
  // Sentences about a field (`field` is its name, or a phrase such as `item`; empty for a sentence about the whole).
  range: '{field} must be {bounds}',
  notNumberIn: '{field} must be a number {bounds}',
  notNumber: '{field} must be a number',
  notInteger: '{field} must be a whole number',
  notBoolean: '{field} must be true or false',
  notText: '{field} must be text',
  notList: '{field} must be a list',
  notObject: '{field} must be a set of named values',
  wrongType: '{field} must be {expected}',
  missing: '{field} is missing',
  notEmpty: '{field} must not be empty',
  tooFewItems: '{field} must have at least {limit, plural, one {# value} other {# values}}',
  tooManyItems: '{field} must have at most {limit, plural, one {# value} other {# values}}',
  tooFewChars: '{field} must have at least {limit, plural, one {# character} other {# characters}}',
  tooManyChars: '{field} must have at most {limit, plural, one {# character} other {# characters}}',
  notValue: '{field} must be {value}',
  notOneOf: '{field} must be one of {values}',
  notMultipleOf: '{field} must be a multiple of {divisor}',
  invalidFormat: '{field} is not a valid {format}',
  unknownFields: 'unknown {count, plural, one {field} other {fields}} {keys}',
  unknownFieldsIn: 'unknown {count, plural, one {field} other {fields}} {keys} in {field}',
  wrongKind: '{field} has the wrong kind of value',
  invalid: '{field} is not valid',
  // Sentences of the config's own checks (src/core/training/config.ts).
  belongsTo: "belongs to {owners}; this config's algorithm is {algorithm}",
  unknownConfigFields: 'unknown field(s) {keys}',
  // Phrases: a number range, a list item.
  between: 'between {min} and {max}',
  atLeast: 'at least {min}',
  greaterThan: 'greater than {min}',
  atMost: 'at most {max}',
  lessThan: 'less than {max}',
  both: '{lower} and {upper}',
  item: '{field} value {n}',
  // Wrappers (added by `formatCoded` for the `got` and `trial` parameters).
  withGot: '{message} (got {got})',
  inTrial: '{message} (trial {trial})',
});

export type MessageCode = keyof typeof CODED_MESSAGES;
export const MESSAGE_CODES = Object.keys(CODED_MESSAGES) as MessageCode[];

export type CodedValue = string | number | Coded;
/** A message as a code and its parameters (JSON: it crosses the API). */
export interface Coded {
  code: MessageCode;
  params: { [name: string]: CodedValue };
}

export const isMessageCode = (code: unknown): code is MessageCode => typeof code === 'string' && Object.hasOwn(CODED_MESSAGES, code);

/** A number as people write it: large whole numbers with thousands separators (`1,000,000,000`). */
export const numberText = (v: number): string => (Number.isInteger(v) && Math.abs(v) >= 10_000 ? v.toLocaleString('en-US') : String(v));

/** Formats one message of a catalog by code, its values already words (the caller's language). */
export type CodedTemplate = (code: MessageCode, values: Record<string, string>) => string;

/**
 * A coded message in the words `template` gives each code: nested phrases first, numbers as `numberText` writes
 * them (catalogs format no number themselves: `1e-8` must not read `0`), then the `got` and `trial` wrappers.
 */
export function formatCoded(coded: Coded, template: CodedTemplate): string {
  const word = (value: CodedValue): string => (typeof value === 'number' ? numberText(value) : typeof value === 'string' ? value : formatCoded(value, template));
  const { got, trial, ...rest } = coded.params;
  const values = Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, word(value)]));
  let message = template(coded.code, values).trim();
  if (got !== undefined) message = template('withGot', { message, got: word(got) });
  if (trial !== undefined) message = template('inTrial', { message, trial: word(trial) });
  return message;
}

/** `{name}` and `{name, plural, one {…} other {…}}` (with `#`) of an English message; no other ICU syntax occurs. */
export function formatMessage(message: string, values: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < message.length) {
    const open = message.indexOf('{', i);
    if (open < 0) return out + message.slice(i);
    out += message.slice(i, open);
    const close = matchingBrace(message, open);
    const [name = '', kind, ...rest] = message.slice(open + 1, close).split(',');
    const value = values[name.trim()] ?? '';
    if (kind?.trim() === 'plural') {
      const options = rest.join(',');
      const n = Number(value);
      const pick = (key: string): string | null => {
        const at = options.search(new RegExp(`(^|\\s)${key}\\s*\\{`));
        if (at < 0) return null;
        const start = options.indexOf('{', at);
        return options.slice(start + 1, matchingBrace(options, start));
      };
      const option = (n === 1 ? pick('one') : null) ?? pick('other') ?? '';
      out += formatMessage(option.replaceAll('#', value), values);
    } else out += value;
    i = close + 1;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unbalanced braces in message ${JSON.stringify(text)}`);
}

/** A coded message in English, as the CLI, the logs and the API's `message` give it. */
export const englishText = (coded: Coded): string => formatCoded(coded, (code, values) => formatMessage(CODED_MESSAGES[code], values));
