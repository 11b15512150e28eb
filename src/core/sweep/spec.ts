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

const nonEmptyArray = 'expected a non-empty array';
const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()], { error: 'expected a number, string, boolean or null' });
const axisValue = z.union([scalar, z.array(scalar)], { error: 'expected a number, string, boolean, null or a list of them' });
const axisValues = z.array(axisValue, { error: nonEmptyArray }).min(1, { error: nonEmptyArray });

const choiceAxis = z.object({ values: axisValues }).strict();
const rangeAxis = z
  .object({
    min: z.number({ error: 'expected a number' }),
    max: z.number({ error: 'expected a number' }),
    log: z.boolean({ error: 'expected true or false' }).optional(),
    int: z.boolean({ error: 'expected true or false' }).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!(r.max > r.min)) ctx.addIssue({ code: 'custom', path: ['max'], message: `must be greater than min (${r.min})` });
    if (r.log && r.min <= 0) ctx.addIssue({ code: 'custom', path: ['min'], message: 'must be > 0 for a log-uniform axis' });
    if (r.int && (!Number.isInteger(r.min) || !Number.isInteger(r.max))) {
      ctx.addIssue({ code: 'custom', path: [Number.isInteger(r.min) ? 'max' : 'min'], message: 'must be an integer for an int axis' });
    }
  });

/** Keys the sweep itself owns; axes and overrides may not set them. */
const RESERVED: Record<string, string> = {
  seed: 'seeds come from "seeds"',
  envId: 'the environment comes from "env"',
};

/** The zod schema of a sweep spec (keys normalized to camelCase, cross-field rules checked). */
export const sweepSpecSchema = z
  .object({
    name: z.string({ error: 'expected a string' }).trim().min(1, { error: 'give the sweep a name' }).max(200, { error: 'keep the name to 200 characters' }),
    env: z.string({ error: 'expected an environment id such as "CartPole-v1"' }).min(1, { error: 'expected an environment id such as "CartPole-v1"' }),
    preset: z.string({ error: 'expected a preset name' }).min(1, { error: 'expected a preset name' }),
    description: z.string().optional(),
    grid: z.record(z.string(), axisValues, { error: 'expected an object of field → list of values' }).optional(),
    random: z.record(z.string(), z.unknown(), { error: 'expected an object of field → axis' }).optional(),
    samples: z.number({ error: 'expected a positive integer' }).int({ error: 'expected a positive integer' }).positive({ error: 'expected a positive integer' }).optional(),
    seeds: z
      .array(z.number({ error: 'expected a non-negative integer' }).int({ error: 'expected a non-negative integer' }).nonnegative({ error: 'expected a non-negative integer' }), {
        error: 'expected a non-empty array of seeds',
      })
      .min(1, { error: 'expected a non-empty array of seeds' })
      .max(MAX_SEEDS, { error: `at most ${MAX_SEEDS.toLocaleString('en-US')} seeds per sweep` }),
    overrides: z.record(z.string(), z.unknown(), { error: 'expected an object of field → value' }).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const owner = new Map<string, string>();
    const claim = (section: 'grid' | 'random' | 'overrides', rawKey: string): void => {
      const key = snakeToCamel(rawKey);
      if (Object.hasOwn(RESERVED, key)) {
        ctx.addIssue({ code: 'custom', path: [section, rawKey], message: RESERVED[key] });
        return;
      }
      const previous = owner.get(key);
      if (previous !== undefined) {
        ctx.addIssue({ code: 'custom', path: [section, rawKey], message: `already set by ${previous}` });
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
          const message =
            issue.code === 'invalid_type' && issue.path.length === 0 ? 'expected {values: [...]} or {min, max} (optional log, int)' : issue.message;
          ctx.addIssue({ code: 'custom', path: ['random', key, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message });
        }
      }
    }
    for (const key of Object.keys(spec.overrides ?? {})) claim('overrides', key);
    const randomAxes = Object.keys(spec.random ?? {}).length;
    if (randomAxes > 0 && spec.samples === undefined) {
      ctx.addIssue({ code: 'custom', path: ['samples'], message: 'required with random axes: how many random configurations to draw' });
    }
    if (randomAxes === 0 && spec.samples !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['samples'], message: 'only meaningful with random axes' });
    }
    const seen = new Set<number>();
    spec.seeds.forEach((seed, i) => {
      if (seen.has(seed)) ctx.addIssue({ code: 'custom', path: ['seeds', i], message: `duplicate seed ${seed}` });
      seen.add(seed);
    });
    const trials = Object.values(spec.grid ?? {}).reduce((n, values) => n * values.length, 1) * (randomAxes > 0 ? (spec.samples ?? 1) : 1) * spec.seeds.length;
    if (trials > MAX_TRIALS) ctx.addIssue({ code: 'custom', path: [], message: `the sweep expands to ${trials.toLocaleString('en-US')} trials; at most ${MAX_TRIALS.toLocaleString('en-US')}` });
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

function issuesOf(error: z.ZodError, input: unknown): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: path ? `${path}.${key}` : key, message: 'unknown field' });
    } else if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      out.push({ path, message: 'required' });
    } else {
      out.push({ path, message: issue.message });
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
