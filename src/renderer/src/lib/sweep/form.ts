/**
 * The New sweep form's pure logic: parsing what the user typed per config field (by the field's kind from
 * `catalog.get`), building a `SweepRequest`, and mapping the backend's issues back to fields. (Which fields the
 * chosen algorithms have, switching algorithms and applying templates: algorithms.ts.)
 *
 * Each field is in one mode: `preset` (the preset's value), `value` (an override), `grid` (a list of values, one
 * axis of the grid) or `random` (sampled: `{ min, max, log?, int? }` for numbers, `{ values }` for other kinds, as
 * src/core/sweep/spec.ts reads them).
 */
import type { ConfigFieldInfo, SweepPreview, SweepRequest } from '../../../../core/api/contract';
import { ALGORITHM_LABELS, type Algorithm } from '../../../../core/training/config';
import { formatDuration, formatNumber } from '../format';
import type { Translate } from '../i18n/locales';
import { MessageError } from '../i18n/message-error';

export type FieldSpec = ConfigFieldInfo;
export type Scalar = number | string | boolean | null;
export type FieldMode = 'preset' | 'value' | 'grid' | 'random';

export interface FieldEntry {
  mode: FieldMode;
  /** `value`: one value; `grid`: comma-separated values; `random`: comma-separated choices for non-numeric kinds. */
  text: string;
  low: string;
  high: string;
  log: boolean;
}

export interface SweepForm {
  name: string;
  env: string;
  /** The algorithms, at least one: one trains every trial; several become the sweep's `algorithm` grid axis, in this order. */
  algorithms: Algorithm[];
  preset: string;
  /** Seeds: `0, 1, 2`, ranges `0-4`, or both. */
  seeds: string;
  /** Trials drawn for random axes. */
  samples: string;
  fields: Record<string, FieldEntry>;
}

export const emptyEntry = (): FieldEntry => ({ mode: 'preset', text: '', low: '', high: '', log: false });

/** The widest seed range one `a-b` may span. */
const MAX_SEED_RANGE = 1_000;

/** A thrown parse error as a catalog message (every error these parsers throw is one already). */
function asMessageError(error: unknown): MessageError {
  return error instanceof MessageError ? error : new MessageError('formError.other', { error: error instanceof Error ? error.message : String(error) });
}

/** Parses one value of a field. Throws a `MessageError` (catalog key `formError.*`) when it does not fit the kind. */
export function parseValue(field: FieldSpec, raw: string): Scalar | number[] {
  const text = raw.trim();
  if (field.nullable && (text === 'null' || text === '')) return null;
  if (text === '') throw new MessageError('formError.enterValue');
  switch (field.kind) {
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new MessageError('formError.notNumber', { text });
      return n;
    }
    case 'integer': {
      const n = Number(text);
      if (!Number.isInteger(n)) throw new MessageError('formError.notInteger', { text });
      return n;
    }
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new MessageError('formError.trueOrFalse');
    case 'enum':
      if (field.options && !field.options.includes(text)) throw new MessageError('formError.oneOf', { options: field.options.join(', ') });
      return text;
    case 'layers': {
      const sizes = text.split(/[\s,x×]+/).filter(Boolean).map(Number);
      if (text === '[]') return [];
      if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new MessageError('formError.layers');
      return sizes;
    }
    default:
      return text;
  }
}

/** The position of the first empty piece of a comma-separated list, as a message naming `subject`; null when none is empty. */
function emptyPiece(subject: string, parts: readonly string[]): MessageError | null {
  const empty = parts.indexOf('');
  if (empty < 0) return null;
  return new MessageError('formError.emptyPiece', { subject, n: empty + 1, count: parts.length });
}

/**
 * Comma-separated values of a grid axis or a choice list (not for `layers`, which has no grid). An empty value
 * (`0.1, , 0.3`, a trailing comma) is an error naming the field, never dropped; `null` is written out.
 */
export function parseList(field: FieldSpec, raw: string): Scalar[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) throw new MessageError('formError.atLeastOneValue');
  const empty = emptyPiece(field.name, parts);
  if (empty) throw empty;
  return parts.map((p) => parseValue(field, p) as Scalar);
}

/** `0, 1, 2`, `0-4`, `0-2, 10`: unique non-negative integers in order of appearance; an empty value is an error. */
export function parseSeeds(raw: string): number[] {
  const seeds: number[] = [];
  const parts = raw.split(',').map((p) => p.trim());
  const empty = parts.every((p) => p === '') ? null : emptyPiece('seeds', parts);
  if (empty) throw empty;
  for (const part of parts.filter(Boolean)) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (to < from) throw new MessageError('formError.rangeBackwards', { range: part });
      if (to - from >= MAX_SEED_RANGE) throw new MessageError('formError.tooManySeeds', { max: MAX_SEED_RANGE });
      for (let s = from; s <= to; s++) seeds.push(s);
    } else if (/^\d+$/.test(part)) {
      seeds.push(Number(part));
    } else {
      throw new MessageError('formError.notSeed', { text: part });
    }
  }
  if (seeds.length === 0) throw new MessageError('formError.atLeastOneSeed');
  return [...new Set(seeds)];
}

/** The algorithms as a name: `TRPO`, or `PPO vs A2C vs TRPO`. */
export function algorithmsLabel(algorithms: readonly Algorithm[]): string {
  return algorithms.map((a) => ALGORITHM_LABELS[a]).join(' vs ');
}

/**
 * The name a sweep gets when the form leaves it empty: the env, the algorithm(s), the preset and what varies, e.g.
 * "CartPole-v1 · PPO · zoo · objective × entCoef" (shown as the Name field's placeholder).
 */
export function defaultSweepName(form: SweepForm): string {
  const varied = Object.entries(form.fields)
    .filter(([, entry]) => entry.mode === 'grid' || entry.mode === 'random')
    .map(([name]) => name);
  return [form.env, algorithmsLabel(form.algorithms), form.preset, ...(varied.length > 0 ? [varied.join(' × ')] : [])].join(' · ').slice(0, 200);
}

export interface BuiltRequest {
  request: SweepRequest;
  /** Field name (or `name`, `seeds`, `samples`) → message (a catalog key, `errorMessage` words it), for what could not be parsed. Empty when all parsed. */
  errors: Record<string, MessageError>;
}

/**
 * Builds the request from the form, over `fields` (the chosen algorithms' fields; entries of other fields are left
 * out). One algorithm is the override `algorithm`; several are the first grid axis. Parse errors are collected per
 * field; the request holds what did parse.
 */
export function buildSweepRequest(form: SweepForm, fields: readonly FieldSpec[]): BuiltRequest {
  const errors: Record<string, MessageError> = {};
  const grid: Record<string, Scalar[]> = {};
  const random: Record<string, unknown> = {};
  const overrides: Record<string, unknown> = {};
  if (form.algorithms.length > 1) grid['algorithm'] = [...form.algorithms];
  else overrides['algorithm'] = form.algorithms[0] ?? 'ppo';
  for (const field of fields) {
    const entry = form.fields[field.name];
    if (!entry || entry.mode === 'preset') continue;
    try {
      if (entry.mode === 'value') overrides[field.name] = parseValue(field, entry.text);
      else if (entry.mode === 'grid') grid[field.name] = parseList(field, entry.text);
      else if (field.kind === 'number' || field.kind === 'integer') {
        const low = parseValue(field, entry.low);
        const high = parseValue(field, entry.high);
        if (typeof low !== 'number' || typeof high !== 'number') throw new MessageError('formError.numericRange');
        if (!(high > low)) throw new MessageError('formError.upperBound');
        if (entry.log && low <= 0) throw new MessageError('formError.logRange');
        random[field.name] = { min: low, max: high, ...(entry.log ? { log: true } : {}), ...(field.kind === 'integer' ? { int: true } : {}) };
      } else {
        random[field.name] = { values: parseList(field, entry.text) };
      }
    } catch (error) {
      errors[field.name] = asMessageError(error);
    }
  }
  let seeds: number[] = [];
  try {
    seeds = parseSeeds(form.seeds);
  } catch (error) {
    errors['seeds'] = asMessageError(error);
  }
  const request: SweepRequest = { name: form.name.trim() || defaultSweepName(form), env: form.env, preset: form.preset, seeds };
  if (Object.keys(grid).length > 0) request.grid = grid;
  if (Object.keys(overrides).length > 0) request.overrides = overrides;
  if (Object.keys(random).length > 0) {
    request.random = random;
    const samples = Number(form.samples);
    if (!Number.isInteger(samples) || samples <= 0) errors['samples'] = new MessageError('formError.samples');
    else request.samples = samples;
  }
  return { request, errors };
}

const GROUPS = new Set(['grid', 'overrides', 'random', 'config', 'preset']);

/** Config fields the sweep itself sets (`env`, `seeds`), so the form does not offer them. */
export const SWEEP_OWNED_FIELDS = new Set(['envId', 'seed']);

/**
 * Maps issue paths of a rejected request to form keys: `grid.clipRange.1` → `clipRange`, `overrides.nEnvs` →
 * `nEnvs`, `preset.batchSize` → `batchSize`, `seeds.0` → `seeds`, `name` → `name`, `grid.algorithm` →
 * `algorithm`; a path naming no known key goes under `''` (shown at the top).
 */
export function issuesByKey<I extends { path: string; message: string }>(issues: readonly I[], fieldNames: ReadonlySet<string>): Record<string, I[]> {
  const out: Record<string, I[]> = {};
  const topLevel = new Set(['name', 'env', 'preset', 'seeds', 'samples', 'algorithm']);
  for (const issue of issues) {
    const parts = issue.path.split('.').filter(Boolean);
    let key = '';
    if (parts.length >= 2 && GROUPS.has(parts[0]) && (fieldNames.has(parts[1]) || parts[1] === 'algorithm')) key = parts[1];
    else if (parts.length >= 1 && (topLevel.has(parts[0]) || fieldNames.has(parts[0]))) key = parts[0];
    (out[key] ??= []).push(issue);
  }
  return out;
}

/** An ETA beyond this is most likely a slip in the budget, the seeds or the grid. */
export const LONG_SWEEP_SECONDS = 24 * 3600;

/** A warning for a sweep whose estimated duration is over a day (null otherwise), in the language of `t`. */
export function etaWarning(preview: Pick<SweepPreview, 'estimatedSeconds' | 'concurrency' | 'trials'>, t: Translate): string | null {
  if (!(preview.estimatedSeconds > LONG_SWEEP_SECONDS)) return null;
  return t('sweepForm.longEta', { duration: formatDuration(preview.estimatedSeconds), trials: formatNumber(preview.trials), concurrency: preview.concurrency });
}
