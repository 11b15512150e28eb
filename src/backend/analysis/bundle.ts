/**
 * The JSON bundle: a self-contained, lossless copy of runs (with their sweeps, params, metrics, checkpoints and
 * replays) that another Proxima database re-imports under new ids.
 *
 * Encoding: metric series are columnar per (run, key); a metric value is a number, `null` for NaN, or the strings
 * `"Infinity"` / `"-Infinity"` (JSON has no non-finite numbers); blobs are base64. The store reads and writes the
 * records (`readRecords` / `insertRecords`); this module only encodes, validates and decodes them.
 */
import { z } from 'zod';
import { isEnvId, makeEnv } from '../../core/envs';
import { parseTrainConfig } from '../../core/training/config';
import { buildLayout, modelSpecOf } from '../../core/training/network-layout';
import { RUN_STATUSES } from '../../core/runs/run-query';
import { PROXIMA_VERSION } from '../../core/version';
import { AnalysisError } from './errors';
import { StoreNotFoundError, type ExperimentStore, type ImportResult, type RunRecords } from '../store/types';

const BUNDLE_FORMAT = 'proxima-bundle';
const BUNDLE_VERSION = 1;

const id = z.number().int().positive();
const time = z.number().finite();
const status = z.enum(RUN_STATUSES);
const paramValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const metricValue = z.union([z.number(), z.null(), z.literal('Infinity'), z.literal('-Infinity')]);
const base64 = z.base64();

const sweepSchema = z
  .object({ id, name: z.string(), envId: z.string(), spec: z.record(z.string(), z.unknown()), status, createdAt: time })
  .strict();

const runSchema = z
  .object({
    id,
    sweepId: id.nullable(),
    envId: z.string().min(1),
    seed: z.number().int(),
    objective: z.string(),
    status,
    error: z.string().nullable(),
    backend: z.string().nullable(),
    proximaVersion: z.string(),
    config: z.record(z.string(), z.unknown()),
    createdAt: time,
    startedAt: time.nullable(),
    finishedAt: time.nullable(),
    totalTimesteps: z.number().nonnegative(),
    stepsDone: z.number().nonnegative(),
    finalEval: z.object({ mean: z.number(), std: z.number(), episodes: z.number().int() }).strict().nullable(),
    tags: z.array(z.string()),
    notes: z.string(),
    hidden: z.boolean(),
    params: z.record(z.string(), paramValue),
    explicitParams: z.array(z.string()),
  })
  .strict();

const metricSeriesSchema = z
  .object({
    runId: id,
    key: z.string().min(1),
    steps: z.array(z.number().finite()),
    seqs: z.array(z.number().int().nonnegative()),
    values: z.array(metricValue),
    wallTimes: z.array(time.nullable()),
  })
  .strict()
  .refine((m) => m.seqs.length === m.steps.length && m.values.length === m.steps.length && m.wallTimes.length === m.steps.length, {
    message: 'steps, seqs, values and wallTimes must have the same length',
  });

const checkpointSchema = z
  .object({
    runId: id,
    step: z.number().int().nonnegative(),
    createdAt: time,
    weights: base64,
    optimizer: base64.nullable(),
    normalization: z.unknown(),
    meta: z.record(z.string(), z.unknown()),
  })
  .strict();

const replaySchema = z
  .object({
    id,
    runId: id,
    name: z.string(),
    checkpointStep: z.number().int().nonnegative().nullable(),
    seed: z.number().int().nullable(),
    envId: z.string(),
    frames: z.array(z.unknown()),
    totalReturn: z.number(),
    length: z.number().int().nonnegative(),
    createdAt: time,
  })
  .strict();

export const bundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    proximaVersion: z.string(),
    exportedAt: time,
    sweeps: z.array(sweepSchema),
    runs: z.array(runSchema),
    metrics: z.array(metricSeriesSchema),
    checkpoints: z.array(checkpointSchema),
    replays: z.array(replaySchema),
  })
  .strict()
  .superRefine((b, ctx) => {
    const sweepIds = new Set(b.sweeps.map((s) => s.id));
    const runIds = new Set<number>();
    b.runs.forEach((r, i) => {
      if (runIds.has(r.id)) ctx.addIssue({ code: 'custom', path: ['runs', i, 'id'], message: `duplicate run id ${r.id}` });
      runIds.add(r.id);
      if (r.sweepId !== null && !sweepIds.has(r.sweepId)) {
        ctx.addIssue({ code: 'custom', path: ['runs', i, 'sweepId'], message: `sweep ${r.sweepId} is not in the bundle` });
      }
    });
    const checkRun = (list: 'metrics' | 'checkpoints' | 'replays', items: { runId: number }[]): void => {
      items.forEach((item, i) => {
        if (!runIds.has(item.runId)) ctx.addIssue({ code: 'custom', path: [list, i, 'runId'], message: `run ${item.runId} is not in the bundle` });
      });
    };
    checkRun('metrics', b.metrics);
    checkRun('checkpoints', b.checkpoints);
    checkRun('replays', b.replays);
  });

export type ProximaBundle = z.infer<typeof bundleSchema>;
export type BundleMetricValue = z.infer<typeof metricValue>;

/** A bundle that failed validation; `issues` name each field (`runs.0.status: ...`). */
/** A bundle that cannot be imported: a bad request, each problem as "field.path: what is wrong". */
export class BundleError extends AnalysisError {
  constructor(readonly problems: string[]) {
    super(
      'bad-request',
      `not a valid Proxima bundle: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`,
      problems.map((problem) => {
        const colon = problem.indexOf(': ');
        return colon > 0 ? { path: problem.slice(0, colon), message: problem.slice(colon + 2) } : { path: '', message: problem };
      }),
    );
    this.name = 'BundleError';
  }
}

/** Validates an unknown value as a bundle, throwing BundleError with field paths. */
export function parseBundle(value: unknown): ProximaBundle {
  const parsed = bundleSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new BundleError(parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(bundle)'}: ${issue.message}`));
}

function encodeMetricValue(v: number): BundleMetricValue {
  if (Number.isNaN(v)) return null;
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

function decodeMetricValue(v: BundleMetricValue): number {
  if (v === null) return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

export type BundleSelection = { runIds: number[] } | { sweepId: number };

const base64Of = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
const bytesOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/** Everything about the selected runs (and their sweeps) as a JSON-serializable bundle, from one consistent read. */
export async function exportBundle(store: ExperimentStore, selection: BundleSelection): Promise<ProximaBundle> {
  let runIds: number[];
  if ('sweepId' in selection) {
    if (!(await store.getSweep(selection.sweepId))) throw new StoreNotFoundError(`sweep ${selection.sweepId} does not exist`);
    runIds = (await store.listRuns({ filter: { sweepId: selection.sweepId, includeHidden: true }, sort: { by: 'id', dir: 'asc' } })).runs.map((r) => r.id);
  } else {
    runIds = selection.runIds;
  }
  const records = await store.readRecords(runIds);
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    proximaVersion: PROXIMA_VERSION,
    exportedAt: Date.now(),
    sweeps: records.sweeps.map((s) => ({ id: s.id, name: s.name, envId: s.envId, spec: s.spec, status: s.status, createdAt: s.createdAt })),
    // Ownership is this database's business (which process trains a run), not part of the run.
    runs: records.runs.map(({ params, ownerId: _owner, ...run }) => ({ ...run, params: params.values, explicitParams: params.explicit })),
    metrics: records.metrics.map((m) => ({ runId: m.runId, key: m.key, steps: m.steps, seqs: m.seqs, values: m.values.map(encodeMetricValue), wallTimes: m.wallTimes })),
    checkpoints: records.checkpoints.map((c) => ({
      runId: c.runId,
      step: c.step,
      createdAt: c.createdAt,
      weights: base64Of(c.weights),
      optimizer: c.optimizer === null ? null : base64Of(c.optimizer),
      normalization: c.normalization,
      meta: c.meta,
    })),
    replays: records.replays,
  };
}

/** Bytes that a base64 text decodes to (without decoding it). */
function base64Bytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/**
 * What the bundle's schema cannot check, as field-named issues: each run's config passes the validation of a new
 * run (bounds, cross-field rules, a known environment that matches the run's), every checkpoint belongs to a run of
 * the bundle, and its weights (and Adam moments) have exactly the size of the network that run's config describes.
 */
function contentIssues(bundle: ProximaBundle): string[] {
  const issues: string[] = [];
  const parameters = new Map<number, number>();
  bundle.runs.forEach((run, i) => {
    try {
      const config = parseTrainConfig(run.config);
      if (!isEnvId(config.envId)) {
        issues.push(`runs.${i}.config.envId: unknown environment ${JSON.stringify(config.envId)}`);
        return;
      }
      if (config.envId !== run.envId) issues.push(`runs.${i}.envId: ${run.envId}, but its config trains ${config.envId}`);
      const env = makeEnv(config.envId);
      parameters.set(run.id, buildLayout(modelSpecOf(config, env.observationSpace.size, env.actionSpace)).size);
    } catch (error) {
      issues.push(`runs.${i}.config: ${(error instanceof Error ? error.message : String(error)).replace(/^invalid config: /, '')}`);
    }
  });
  const runIds = new Set(bundle.runs.map((r) => r.id));
  bundle.checkpoints.forEach((c, j) => {
    if (!runIds.has(c.runId)) {
      issues.push(`checkpoints.${j}.runId: run ${c.runId} is not in the bundle`);
      return;
    }
    const count = parameters.get(c.runId);
    if (count === undefined) return; // its run's config is already reported
    const expected = 4 * count;
    const weights = base64Bytes(c.weights);
    if (weights !== expected) {
      issues.push(`checkpoints.${j}.weights: ${weights} bytes, but run ${c.runId}'s network has ${count} float32 parameters (${expected} bytes)`);
    }
    if (c.optimizer !== null && base64Bytes(c.optimizer) !== 2 * expected) {
      issues.push(`checkpoints.${j}.optimizer: ${base64Bytes(c.optimizer)} bytes, but Adam's two moments take ${2 * expected}`);
    }
    // GRPO's reference policy: a second copy of the network's parameters.
    const reference = c.meta['referenceParams'];
    if (reference !== undefined && !(Array.isArray(reference) && reference.length === count && reference.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
      issues.push(`checkpoints.${j}.meta.referenceParams: the reference policy must be ${count} finite numbers, as run ${c.runId}'s network has parameters`);
    }
  });
  return issues;
}

/**
 * Validates a bundle (its schema, then its contents: configs as for a new run, checkpoint sizes against them) and
 * imports it in one transaction under new ids. Runs that were queued or training where it was exported arrive
 * `interrupted`. Any problem throws `BundleError` naming the field, and nothing is stored.
 */
export async function importBundle(store: ExperimentStore, input: unknown): Promise<ImportResult> {
  const bundle = parseBundle(input);
  const issues = contentIssues(bundle);
  if (issues.length > 0) throw new BundleError(issues);
  const records: RunRecords = {
    sweeps: bundle.sweeps,
    runs: bundle.runs.map(({ params, explicitParams, ...run }) => ({
      ...run,
      // A run that was queued or training where it was exported trains nowhere here: it never starts by itself.
      ...(run.status === 'queued' || run.status === 'running'
        ? { status: 'interrupted' as const, error: `imported while ${run.status}: resume it to continue` }
        : {}),
      ownerId: null,
      params: { values: params, explicit: explicitParams },
    })),
    metrics: bundle.metrics.map((m) => ({ ...m, values: m.values.map(decodeMetricValue) })),
    checkpoints: bundle.checkpoints.map((c) => ({
      ...c,
      weights: bytesOf(c.weights),
      optimizer: c.optimizer === null ? null : bytesOf(c.optimizer),
      normalization: c.normalization ?? null,
    })),
    replays: bundle.replays,
  };
  return store.insertRecords(records);
}
