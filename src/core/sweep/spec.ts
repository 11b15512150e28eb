/**
 * Sweep specs: what to train (env, preset, overrides) and what to vary (grid axes, random axes, seeds).
 *
 * ```json
 * { "name": "clip vs KL", "env": "CartPole-v1", "preset": "zoo",
 *   "grid": { "objective": ["clip", "kl-adaptive"] },
 *   "random": { "learningRate": { "min": 1e-4, "max": 1e-2, "log": true } }, "samples": 4,
 *   "seeds": [1, 2], "overrides": { "totalTimesteps": 4096 } }
 * ```
 *
 * Axis and override keys are PpoConfig field names; SB3 snake_case is accepted and mapped to camelCase
 * (`ent_coef` → `entCoef`). Whether a key is a real config field is checked when trials are expanded, through
 * the caller's `validateParams` hook (the PPO config schema), not here.
 *
 * Random axes: `{ values: [...] }` picks one uniformly; `{ min, max }` is uniform on [min, max]; `log: true`
 * makes it log-uniform (min > 0); `int: true` draws integers in [min, max].
 *
 * Every validation problem is reported with the path of the field, e.g. `grid.objective: expected a non-empty
 * array`.
 */
import { z } from 'zod';
import { snakeToCamel } from '../runs/param-keys';
import { englishText, type Coded, type MessageCode } from '../validation/coded-messages';
import { codedOf, writtenMessage } from '../validation/issue-messages';

/** A value an axis can take: a scalar, or a list of scalars (e.g. layer sizes). */
export type AxisValue = number | string | boolean | null | (number | string | boolean | null)[];

export type RandomAxis = { values: AxisValue[] } | { min: number; max: number; log?: boolean; int?: boolean };

export interface SweepSpec {
  name: string;
  env: string;
  preset: string;
  description?: string;
  grid?: Record<string, AxisValue[]>;
  random?: Record<string, RandomAxis>;
  /** Random configurations drawn; required with random axes. */
  samples?: number;
  seeds: number[];
  overrides?: Record<string, unknown>;
}

/**
 * Upper bound on trials one spec may expand to: 10,000 trials of even a minute each keep two cores busy for three
 * and a half days. More is a typo or a hostile file, not a plan.
 */
export const MAX_TRIALS = 10_000;
/** Upper bound on seeds per sweep (rliable's recommendations are met with far fewer). */
export const MAX_SEEDS = 1_000;

/** A message a schema states, coded (src/core/validation/coded-messages.ts). */
const written = (code: MessageCode, params: Coded['params'] = {}): string => writtenMessage({ code, params });
/** A custom issue with its code (read back by `issuesOf`). */
const addCoded = (ctx: z.RefinementCtx, path: (string | number)[], coded: Coded): void => ctx.addIssue({ code: 'custom', path, message: englishText(coded), params: { coded } });

const nonEmptyArray = written('expectedNonEmptyArray');
const expectedNumber = written('expectedNumber');
const expectedBoolean = written('expectedBoolean');
const expectedPositiveInt = written('expectedPositiveInt');
const expectedNonNegativeInt = written('expectedNonNegativeInt');
const expectedSeeds = written('expectedSeeds');
const expectedEnvId = written('expectedEnvId');
const expectedPreset = written('expectedPreset');
const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()], { error: written('expectedScalar') });
const axisValue = z.union([scalar, z.array(scalar)], { error: written('expectedAxisValue') });
const axisValues = z.array(axisValue, { error: nonEmptyArray }).min(1, { error: nonEmptyArray });

const choiceAxis = z.object({ values: axisValues }).strict();
const rangeAxis = z
  .object({
    min: z.number({ error: expectedNumber }),
    max: z.number({ error: expectedNumber }),
    log: z.boolean({ error: expectedBoolean }).optional(),
    int: z.boolean({ error: expectedBoolean }).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!(r.max > r.min)) addCoded(ctx, ['max'], { code: 'maxAboveMin', params: { min: String(r.min) } });
    if (r.log && r.min <= 0) addCoded(ctx, ['min'], { code: 'logAxisPositive', params: {} });
    if (r.int && (!Number.isInteger(r.min) || !Number.isInteger(r.max))) addCoded(ctx, [Number.isInteger(r.min) ? 'max' : 'min'], { code: 'intAxisInteger', params: {} });
  });

/** Keys the sweep itself owns; axes and overrides may not set them. */
const RESERVED: Record<string, MessageCode> = {
  seed: 'reservedSeed',
  envId: 'reservedEnv',
};

/** The zod schema of a sweep spec (keys normalized to camelCase, cross-field rules checked). */
export const sweepSpecSchema = z
  .object({
    name: z.string({ error: written('expectedString') }).trim().min(1, { error: written('nameMissing') }).max(200, { error: written('nameTooLong') }),
    env: z.string({ error: expectedEnvId }).min(1, { error: expectedEnvId }),
    preset: z.string({ error: expectedPreset }).min(1, { error: expectedPreset }),
    description: z.string().optional(),
    grid: z.record(z.string(), axisValues, { error: written('expectedGrid') }).optional(),
    random: z.record(z.string(), z.unknown(), { error: written('expectedRandom') }).optional(),
    samples: z.number({ error: expectedPositiveInt }).int({ error: expectedPositiveInt }).positive({ error: expectedPositiveInt }).optional(),
    seeds: z
      .array(z.number({ error: expectedNonNegativeInt }).int({ error: expectedNonNegativeInt }).nonnegative({ error: expectedNonNegativeInt }), { error: expectedSeeds })
      .min(1, { error: expectedSeeds })
      .max(MAX_SEEDS, { error: written('tooManySeeds', { limit: MAX_SEEDS.toLocaleString('en-US') }) }),
    overrides: z.record(z.string(), z.unknown(), { error: written('expectedOverrides') }).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const owner = new Map<string, string>();
    const claim = (section: 'grid' | 'random' | 'overrides', rawKey: string): void => {
      const key = snakeToCamel(rawKey);
      if (Object.hasOwn(RESERVED, key)) {
        addCoded(ctx, [section, rawKey], { code: RESERVED[key] as MessageCode, params: {} });
        return;
      }
      const previous = owner.get(key);
      if (previous !== undefined) {
        addCoded(ctx, [section, rawKey], { code: 'alreadySetBy', params: { owner: previous } });
        return;
      }
      owner.set(key, `${section}.${rawKey}`);
    };
    for (const key of Object.keys(spec.grid ?? {})) claim('grid', key);
    for (const [key, axis] of Object.entries(spec.random ?? {})) {
      claim('random', key);
      const isChoice = typeof axis === 'object' && axis !== null && 'values' in axis;
      const parsed = (isChoice ? choiceAxis : rangeAxis).safeParse(axis);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const path = ['random', key, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
          const coded: Coded | undefined =
            issue.code === 'invalid_type' && issue.path.length === 0 ? { code: 'notAxis', params: { choice: '{values: [...]}', range: '{min, max}' } } : customCoded(issue);
          if (coded) addCoded(ctx, path, coded);
          else ctx.addIssue({ code: 'custom', path, message: issue.message });
        }
      }
    }
    for (const key of Object.keys(spec.overrides ?? {})) claim('overrides', key);
    const randomAxes = Object.keys(spec.random ?? {}).length;
    if (randomAxes > 0 && spec.samples === undefined) {
      addCoded(ctx, ['samples'], { code: 'samplesRequired', params: {} });
    }
    if (randomAxes === 0 && spec.samples !== undefined) {
      addCoded(ctx, ['samples'], { code: 'samplesUnused', params: {} });
    }
    const seen = new Set<number>();
    spec.seeds.forEach((seed, i) => {
      if (seen.has(seed)) addCoded(ctx, ['seeds', i], { code: 'duplicateSeed', params: { seed: String(seed) } });
      seen.add(seed);
    });
    const trials = Object.values(spec.grid ?? {}).reduce((n, values) => n * values.length, 1) * (randomAxes > 0 ? (spec.samples ?? 1) : 1) * spec.seeds.length;
    if (trials > MAX_TRIALS) addCoded(ctx, [], { code: 'tooManyTrials', params: { trials: trials.toLocaleString('en-US'), limit: MAX_TRIALS.toLocaleString('en-US') } });
  })
  .transform((spec): SweepSpec => {
    const camel = <T>(record: Record<string, T> | undefined): Record<string, T> | undefined =>
      record && Object.fromEntries(Object.entries(record).map(([k, v]) => [snakeToCamel(k), v]));
    return {
      ...spec,
      grid: camel(spec.grid),
      random: camel(spec.random as Record<string, RandomAxis> | undefined),
      overrides: camel(spec.overrides),
    };
  });

export interface SpecIssue {
  /** Dot-joined field path (`grid.objective`, `seeds.2`); empty for the spec as a whole. */
  path: string;
  message: string;
  /** The message as a code and its parameters, where it has one. */
  coded?: Coded;
}

/** The code of an issue: a custom issue's own (`addCoded`), else a written message's (`codedOf`). */
function customCoded(issue: z.core.$ZodIssue): Coded | undefined {
  const own = issue.code === 'custom' ? (issue.params as { coded?: Coded } | undefined)?.coded : undefined;
  return own ?? codedOf(issue);
}

/** A sweep spec (or a trial's params) that failed validation; the message lists `path: problem` lines. */
export class SweepSpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n'));
    this.name = 'SweepSpecError';
  }
}

/** The value at `path` in `input`, or undefined. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const UNKNOWN_FIELD: Coded = { code: 'unknownField', params: {} };
const REQUIRED: Coded = { code: 'required', params: {} };

function issuesOf(error: z.ZodError, input: unknown): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: path ? `${path}.${key}` : key, message: englishText(UNKNOWN_FIELD), coded: UNKNOWN_FIELD });
    } else if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      out.push({ path, message: englishText(REQUIRED), coded: REQUIRED });
    } else {
      const coded = customCoded(issue);
      out.push({ path, message: issue.message, ...(coded ? { coded } : {}) });
    }
  }
  return out;
}

export type SpecParseResult = { ok: true; spec: SweepSpec } | { ok: false; issues: SpecIssue[] };

/** Validates a sweep spec without throwing: the spec (keys camelCased) or the issues, each naming its field. */
export function parseSweepSpec(input: unknown): SpecParseResult {
  const parsed = sweepSpecSchema.safeParse(input);
  return parsed.success ? { ok: true, spec: parsed.data } : { ok: false, issues: issuesOf(parsed.error, input) };
}

/** Validates a sweep spec; throws SweepSpecError naming each bad field. */
export function requireSweepSpec(input: unknown): SweepSpec {
  const result = parseSweepSpec(input);
  if (!result.ok) throw new SweepSpecError(result.issues);
  return result.spec;
}
