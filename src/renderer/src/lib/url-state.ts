/**
 * The workbench state that survives a reload and can be linked: which view is open, the runs or sweep it shows, the
 * Compare settings and the New sweep form, written as the text of a URL hash (`view=compare&runs=4,5&smooth=0.8`)
 * and read back with zod. The same text is what localStorage keeps (lib/state/url-state.svelte.ts does the wiring).
 *
 * Format: `key=value` pairs joined by `&`, values percent-encoded except `/ , :` (metric keys stay readable). Lists
 * of ids are comma-separated; lists of names repeat their key (`metric=a&metric=b`), since group keys may hold
 * commas; a list that is present but empty is written `metric=`. A field equal to its default is left out, so a
 * fresh workbench's hash is just `view=runs`.
 *
 *   view       one of the views                      runs     selected run ids (Compare, Summary)
 *   sweep      the sweep Compare/Summary show        run      the run in Run detail
 *   replay     the run Replay opened                 metric   Compare's metrics (repeated)
 *   group      group-by fields (repeated; absent = the backend's default)
 *   x          step | update | wall                  smooth   EMA weight in [0, 0.99]
 *   band       std | ci95 | minmax                   logy     1 | 0
 *   seeds      1 | 0 (individual seeds drawn)        hide     group keys switched off (repeated)
 *   zoom       min,max of the x range (absent = the whole range)
 *   fig        the open Learn figure                 lrec     the recording Learn's episode figures show
 *   lruns      the run chosen in each Learn picker, slot:id pairs (`clip:4,trpo:7`; lib/learn/selection.ts)
 *   lsteps     the update chosen in Learn's update pickers, slot:step pairs (`clip:4096`)
 *   form       the New sweep form as JSON (only when asked for: the URL carries it while New sweep is open)
 *
 * Reading never throws: each field that is missing, malformed or out of range (an unknown view, a negative id,
 * NaN smoothing) takes its default on its own, and the rest still apply. Nothing here ever reads or writes the
 * URL's query, where web mode's token is.
 */
import { z } from 'zod';
import { BANDS, X_AXES, type Band, type XAxis } from '../../../core/api/contract';
import { ALGORITHMS } from '../../../core/training/config';
import { LEARN_FIGURES } from './learn/figures';
import { decodePairs, encodePairs, LEARN_RUN_SLOTS, LEARN_STEP_SLOTS, type LearnSelection } from './learn/selection';
import type { FieldMode, SweepForm } from './sweep/form';

/** A zoomed x range, in the units of the chosen x axis; `min < max`. */
export interface XRange {
  min: number;
  max: number;
}

export interface CompareSettings {
  metrics: string[];
  /** null = the backend's default grouping. */
  groupBy: string[] | null;
  x: XAxis;
  smoothing: number;
  band: Band;
  logY: boolean;
  showRuns: boolean;
  /** Group keys switched off in the legends. */
  hidden: string[];
  xRange: XRange | null;
}

export interface LinkState<V extends string = string> {
  view: V;
  /** Run ids chosen for Compare and Summary: unique positive integers. */
  selection: number[];
  sweepId: number | null;
  detailRunId: number | null;
  replayRunId: number | null;
  compare: CompareSettings;
  learn: LearnSelection;
  form: SweepForm;
}

/** What a hash holds: the form is null when the text does not carry one (or it is not readable JSON). */
export type DecodedState<V extends string = string> = Omit<LinkState<V>, 'form'> & { form: SweepForm | null };

/** Highest smoothing the Compare slider offers. */
export const MAX_SMOOTHING = 0.99;
const MAX_IDS = 5_000;
const MAX_NAMES = 1_000;
const MAX_NAME_LENGTH = 500;
const MAX_TEXT_LENGTH = 20_000;

const FIELD_MODES = Object.keys({ preset: 0, value: 0, grid: 0, random: 0 } satisfies Record<FieldMode, 0>) as [FieldMode, ...FieldMode[]];

const positiveId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A decimal number as text ("0.6", "-1e3"); empty or non-numeric text fails rather than becoming 0 or NaN. */
const numberText = z.string().trim().regex(/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i).transform(Number).pipe(z.number().finite());
const idText = numberText.pipe(positiveId);
const name = z.string().min(1).max(MAX_NAME_LENGTH);
const text = z.string().max(MAX_TEXT_LENGTH);

/** Keeps the items that parse (in order, without duplicates), dropping the others one by one. */
function itemsOf<T>(items: readonly unknown[], item: z.ZodType<T>, max: number): T[] {
  const kept: T[] = [];
  for (const raw of items) {
    const parsed = item.safeParse(raw);
    if (parsed.success && !kept.includes(parsed.data)) kept.push(parsed.data);
    if (kept.length >= max) break;
  }
  return kept;
}

const rangeText = z
  .string()
  .transform((s) => s.split(','))
  .pipe(z.tuple([numberText, numberText]))
  .refine(([min, max]) => min < max)
  .transform(([min, max]): XRange => ({ min, max }));

const flag = z.enum(['1', '0', 'true', 'false']).transform((s) => s === '1' || s === 'true');

const fieldEntry = z.object({
  mode: z.enum(FIELD_MODES),
  text: text.catch(''),
  low: text.catch(''),
  high: text.catch(''),
  log: z.boolean().catch(false),
});

/** The New sweep form, field by field: what does not fit takes `defaults`' value; unreadable field entries are dropped. */
function formSchema(defaults: SweepForm): z.ZodType<SweepForm> {
  return z.object({
    name: text.catch(defaults.name),
    env: text.catch(defaults.env),
    algorithms: z
      .array(z.unknown())
      .transform((items) => itemsOf(items, z.enum(ALGORITHMS), ALGORITHMS.length))
      .refine((algorithms) => algorithms.length > 0)
      .catch([...defaults.algorithms]),
    preset: text.catch(defaults.preset),
    seeds: text.catch(defaults.seeds),
    samples: text.catch(defaults.samples),
    fields: z
      .record(z.string(), z.unknown())
      .transform((entries) => Object.fromEntries(Object.entries(entries).flatMap(([key, value]) => {
        const entry = fieldEntry.safeParse(value);
        return entry.success && key.length <= MAX_NAME_LENGTH ? [[key, entry.data]] : [];
      })))
      .catch({}),
  }) as z.ZodType<SweepForm>;
}

/** Reads a value of the form (parsed JSON, or anything) field by field; null when it is not an object at all. */
export function readForm(value: unknown, defaults: SweepForm): SweepForm | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return formSchema(defaults).parse(value);
}

/** The params of a hash: a leading `#` is ignored; malformed percent-escapes leave that pair out. */
function paramsOf(hash: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const pair of hash.replace(/^#/, '').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
      value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1));
    } catch {
      continue;
    }
    params.set(key, [...(params.get(key) ?? []), value]);
  }
  return params;
}

/**
 * Reads a hash (with or without its `#`) field by field over `defaults`; `views` are the view ids that exist. Never
 * throws: a field that does not parse takes its default.
 */
export function decodeState<V extends string>(hash: string, defaults: LinkState<V>, views: readonly V[]): DecodedState<V> {
  const params = paramsOf(hash);
  const one = (key: string): string | undefined => params.get(key)?.[0];
  /** A repeated field: absent = default; present = its non-empty values that parse. */
  const names = (key: string, fallback: string[]): string[] => {
    const values = params.get(key);
    return values === undefined ? [...fallback] : itemsOf(values.filter((v) => v !== ''), name, MAX_NAMES);
  };
  const optionalId = (key: string, fallback: number | null): number | null => {
    const value = one(key);
    return value === undefined ? fallback : idText.nullable().catch(fallback).parse(value);
  };
  const d = defaults.compare;
  const runs = one('runs');
  const metrics = names('metric', d.metrics);
  const zoom = one('zoom');
  const l = defaults.learn;
  const lruns = one('lruns');
  const lsteps = one('lsteps');
  return {
    view: z.enum(views as [V, ...V[]]).catch(defaults.view).parse(one('view')),
    selection: runs === undefined ? [...defaults.selection] : itemsOf(runs.split(','), idText, MAX_IDS),
    sweepId: optionalId('sweep', defaults.sweepId),
    detailRunId: optionalId('run', defaults.detailRunId),
    replayRunId: optionalId('replay', defaults.replayRunId),
    compare: {
      metrics: metrics.slice(0, 64),
      groupBy: params.has('group') ? names('group', []) : d.groupBy === null ? null : [...d.groupBy],
      x: z.enum(X_AXES).catch(d.x).parse(one('x')),
      smoothing: numberText.pipe(z.number().min(0).max(MAX_SMOOTHING)).catch(d.smoothing).parse(one('smooth')),
      band: z.enum(BANDS).catch(d.band).parse(one('band')),
      logY: flag.catch(d.logY).parse(one('logy')),
      showRuns: flag.catch(d.showRuns).parse(one('seeds')),
      hidden: names('hide', d.hidden),
      xRange: zoom === undefined ? d.xRange : rangeText.nullable().catch(d.xRange).parse(zoom),
    },
    learn: {
      figure: z.enum(LEARN_FIGURES).catch(l.figure).parse(one('fig')),
      runs: lruns === undefined ? { ...l.runs } : decodePairs(lruns, LEARN_RUN_SLOTS, (n) => positiveId.safeParse(n).success),
      steps: lsteps === undefined ? { ...l.steps } : decodePairs(lsteps, LEARN_STEP_SLOTS, Number.isSafeInteger),
      recording: optionalId('lrec', l.recording),
    },
    form: decodeForm(one('form'), defaults.form),
  };
}

function decodeForm(json: string | undefined, defaults: SweepForm): SweepForm | null {
  if (json === undefined) return null;
  try {
    return readForm(JSON.parse(json), defaults);
  } catch {
    return null;
  }
}

/** Percent-encodes a value, keeping `/ , :` as they are (legal in a fragment, and metric keys read better). */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F/gi, '/').replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes the state as hash text (no leading `#`), leaving out what equals `defaults`; `view` is always written, and
 * the fields that may be null (sweep, runs shown, grouping, zoom) whenever they are set, so their defaults must be
 * null. With `withForm`, the New sweep form goes along (as JSON) unless it is the default one.
 */
export function encodeState<V extends string>(state: LinkState<V>, defaults: LinkState<V>, withForm: boolean): string {
  const pairs: [string, string][] = [['view', state.view]];
  const put = (key: string, value: string): void => void pairs.push([key, value]);
  const list = (key: string, values: readonly string[]): void => {
    if (values.length === 0) put(key, '');
    for (const value of values) put(key, value);
  };
  const c = state.compare;
  const d = defaults.compare;
  if (!same(state.selection, defaults.selection)) put('runs', state.selection.join(','));
  if (state.sweepId !== null) put('sweep', String(state.sweepId));
  if (state.detailRunId !== null) put('run', String(state.detailRunId));
  if (state.replayRunId !== null) put('replay', String(state.replayRunId));
  if (!same(c.metrics, d.metrics)) list('metric', c.metrics);
  if (c.groupBy !== null) list('group', c.groupBy);
  if (c.x !== d.x) put('x', c.x);
  if (c.smoothing !== d.smoothing) put('smooth', String(c.smoothing));
  if (c.band !== d.band) put('band', c.band);
  if (c.logY !== d.logY) put('logy', c.logY ? '1' : '0');
  if (c.showRuns !== d.showRuns) put('seeds', c.showRuns ? '1' : '0');
  if (!same(c.hidden, d.hidden)) list('hide', c.hidden);
  if (c.xRange !== null) put('zoom', `${c.xRange.min},${c.xRange.max}`);
  const l = state.learn;
  if (l.figure !== defaults.learn.figure) put('fig', l.figure);
  if (!same(l.runs, defaults.learn.runs)) put('lruns', encodePairs(LEARN_RUN_SLOTS, l.runs));
  if (!same(l.steps, defaults.learn.steps)) put('lsteps', encodePairs(LEARN_STEP_SLOTS, l.steps));
  if (l.recording !== null) put('lrec', String(l.recording));
  if (withForm && !same(state.form, defaults.form)) put('form', JSON.stringify(state.form));
  return pairs.map(([key, value]) => `${key}=${encodeValue(value)}`).join('&');
}

/**
 * What back and forward move between: the view and the run it shows. A change of these is a new history entry;
 * any other change (a setting, a selection made within a view) rewrites the current one.
 */
export function navigationKey(state: Pick<LinkState, 'view' | 'detailRunId' | 'replayRunId'>): string {
  return `${state.view}|${state.detailRunId ?? ''}|${state.replayRunId ?? ''}`;
}
