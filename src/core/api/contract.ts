/**
 * The API contract between the renderer and the backend: one definition, two transports (Electron IPC through the
 * preload bridge, and HTTP + WebSocket in web mode). The renderer cannot tell the transports apart.
 *
 * - `requestSchemas` maps each method to the zod schema of its parameters; the backend validates every inbound
 *   request with it, so a malformed message gets a schema error back and nothing else happens.
 * - `ApiResponses` maps each method to its result type.
 * - `ApiEvent` is the stream the backend pushes (run progress, new metric points, status changes).
 */
import { z } from 'zod';
import type { BackendCheck } from '../protocol/trainer';
import { TEMPERATURE_DEFAULT, TEMPERATURE_MAX, TEMPERATURE_MIN } from '../math/temperature';
import { resolveSortKey, RUN_SORT_COLUMNS } from '../runs/sort-keys';
import { storeChoiceSchema } from '../settings/store-settings';
import { ALGORITHMS, type Algorithm } from '../training/config';
import { englishText, type Coded } from '../validation/coded-messages';
import { codedOf } from '../validation/issue-messages';

/** What the About panel shows; every value comes from the running system, not from constants in the renderer. */
export interface AboutInfo {
  /** Proxima's version (package.json). */
  version: string;
  /** The tfjs backend a freshly started trainer process reported after `setBackend` (the truth, not the request). */
  trainerBackend: string;
  /** Calibration figures of the backend choice, when `auto` measured them (ms per update, by backend). */
  calibration: Record<string, number> | null;
  /** Every backend the trainer considered and what its check found; failures carry the real error. */
  backendChecks: BackendCheck[];
  /**
   * What runs really trained on: the backend of each of the latest 100 runs that started, counted, most used first.
   * (`trainerBackend` is a fresh trainer's own choice on a default model; each run proves and picks its own.)
   */
  recentRunBackends: { backend: string; runs: number }[];
  /** The Node version inside the trainer process. */
  trainerNodeVersion: string;
  /** Absolute path of the SQLite database in use. */
  dbPath: string;
  /** `electron` or `web`. */
  host: 'electron' | 'web';
}

/** Which experiment store the app is on and which it will open next (the Settings panel). */
export interface StoreSettingsInfo {
  /** The store this process has open: its kind and location (a file path, or a URL with any password masked). */
  current: { kind: 'sqlite' | 'postgresql'; location: string };
  /** Whether the choice can be changed here: in the app, yes; in web mode, no (it is `--store` / `--db`). */
  editable: boolean;
  /** The saved choice the app opens at its next start (the URL as saved: it holds no password); null in web mode. */
  saved: { kind: 'sqlite' } | { kind: 'postgresql'; url: string } | null;
  /** The saved choice differs from the open store: it applies when the app restarts. */
  restartRequired: boolean;
  /** PGPASSWORD is set in the environment the backend started in (a PostgreSQL password's only source besides ~/.pgpass). */
  passwordFromEnv: boolean;
}

const empty = z.object({}).strict();
const id = z.number().int().positive();
const ids = z.array(id).min(1, 'select at least one run').max(5_000);
const metricKeys = z.array(z.string().min(1)).min(1, 'choose at least one metric').max(64);
/** What a chart's x is: env steps, the ordinal of the point (updates), or wall seconds since the run started. */
export const X_AXES = ['step', 'update', 'wall'] as const;
export type XAxis = (typeof X_AXES)[number];
const xAxis = z.enum(X_AXES);
/** The band drawn around a group's mean: ± one standard deviation, a bootstrap 95% CI of the mean, or min–max. */
export const BANDS = ['std', 'ci95', 'minmax'] as const;
export type Band = (typeof BANDS)[number];
/** Which end of a metric is the best one. */
export const HPARAM_GOALS = ['max', 'min'] as const;
export type HparamGoal = (typeof HPARAM_GOALS)[number];
const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);
/** A value a sweep axis takes: a scalar, or a list of scalars (e.g. layer sizes `[64, 64]`). */
const axisValue = z.union([scalar, z.array(scalar)]);
export type AxisValue = z.infer<typeof axisValue>;

/** Run statuses, in the order a run moves through them. */
export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** How the Runs table rolls a run's evaluation returns up into one number. */
export const rollupSchema = z.object({
  kind: z.enum(['last', 'best', 'mean-last-n']),
  n: z.number().int().positive().max(1_000).default(5),
});
export type EvalRollup = z.infer<typeof rollupSchema>;

/**
 * A sweep as the user writes it (New sweep form, or a JSON/YAML file for the CLI). Grid, random and override keys are
 * config field names of any algorithm, `algorithm` itself included (a grid over algorithms gives each trial its
 * algorithm's version of the preset). The backend validates it fully (field names, value types, the resolved
 * configs) and answers with per-field issues.
 */
export const sweepRequestSchema = z.object({
  name: z.string().trim().min(1, 'give the sweep a name').max(200, 'keep the name to 200 characters'),
  description: z.string().max(2_000).optional(),
  env: z.string().min(1),
  preset: z.string().min(1),
  grid: z.record(z.string(), z.array(axisValue).min(1)).optional(),
  random: z.record(z.string(), z.unknown()).optional(),
  samples: z.number().int().positive().max(10_000).optional(),
  seeds: z.array(z.number().int().nonnegative()).min(1, 'give at least one seed').max(1_000),
  overrides: z.record(z.string(), z.unknown()).optional(),
});
export type SweepRequest = z.infer<typeof sweepRequestSchema>;

export const requestSchemas = {
  'app.about': empty,
  /** The store in use and the saved choice (StoreSettingsInfo). */
  'settings.get': empty,
  /** Saves the store to open at the next start (the app only; web mode answers `bad-request`). */
  'settings.setStore': storeChoiceSchema,
  /** Environments, each algorithm's presets and config fields, and sweep templates for the New sweep form. */
  'catalog.get': empty,
  /**
   * The resolved config of a preset on an env with overrides, for `algorithm` (default: `overrides.algorithm`, else
   * PPO; the preset is that algorithm's version of it, e.g. REINFORCE's `tuned` for `zoo`); a validation error names
   * the offending fields.
   */
  'config.resolve': z.object({
    preset: z.string(),
    envId: z.string(),
    algorithm: z.enum(ALGORITHMS).optional(),
    overrides: z.record(z.string(), z.unknown()).default({}),
  }),
  /** The sweep's trial count and an estimated duration, without launching it. */
  'sweeps.preview': sweepRequestSchema,
  'sweeps.launch': sweepRequestSchema,
  'sweeps.list': empty,
  'sweeps.cancel': z.object({ sweepId: id }),
  'runs.list': z.object({
    /** Text and structured terms, e.g. `CartPole objective=clip ent_coef>0`. */
    filter: z.string().max(2_000).default(''),
    sweepId: id.optional(),
    /** Only these runs (e.g. a selection to compare); combined with the other criteria. */
    runIds: z.array(id).max(10_000).optional(),
    includeHidden: z.boolean().default(false),
    sort: z
      .object({
        by: z.string().refine((by) => resolveSortKey(by) !== null, {
          error: `unknown sort key: use one of ${RUN_SORT_COLUMNS.join(', ')}, env, eval, steps or param:<name>`,
        }),
        dir: z.enum(['asc', 'desc']),
      })
      .default({ by: 'createdAt', dir: 'desc' }),
    rollup: rollupSchema.default({ kind: 'last', n: 5 }),
    limit: z.number().int().positive().max(10_000).default(1_000),
  }),
  'runs.get': z.object({ runId: id }),
  'runs.update': z.object({
    runId: id,
    tags: z.array(z.string().trim().min(1).max(64)).max(64).optional(),
    notes: z.string().max(100_000).optional(),
    hidden: z.boolean().optional(),
  }),
  'runs.delete': z.object({ runIds: ids }),
  'runs.cancel': z.object({ runId: id }),
  /** Continue an interrupted (or failed/cancelled) run from its last checkpoint. */
  'runs.resume': z.object({ runId: id }),
  /** Queue a fresh copy of a run (same config and seed). */
  'runs.restart': z.object({ runId: id }),
  'queue.get': empty,
  /** The cluster's workers (a PostgreSQL store's `workers` table); [] on an SQLite store. */
  'workers.list': empty,
  'queue.pause': empty,
  'queue.resume': empty,
  /** Raw series of many runs, downsampled server-side keeping extremes. */
  'series.get': z.object({ runIds: ids, keys: metricKeys, maxPoints: z.number().int().min(10).max(20_000).default(1_000), x: xAxis.default('step') }),
  /**
   * The seq-indexed points of a run's distribution keys at one update (e.g. `learn/ratio_hist`'s bins, a per-epoch
   * `learn/epoch_*` series), at full resolution, with the updates that have points of the first key to choose from.
   */
  'series.distribution': z.object({
    runId: id,
    keys: z.array(z.string().min(1)).min(1, 'choose at least one metric').max(16),
    /** The env step of the update; omitted = the latest update with points of the first key. */
    step: z.number().int().nonnegative().optional(),
  }),
  /**
   * Series grouped by hyperparameters and aggregated over seeds. Smoothing (TensorBoard's debiased EMA, weight in
   * [0, 1)) is applied to each run at full resolution before aggregation and downsampling.
   */
  'series.aggregate': z.object({
    runIds: ids,
    keys: metricKeys,
    /** Config fields to group by; omitted = every hyperparameter that differs between the runs, except the seed. */
    groupBy: z.array(z.string()).optional(),
    maxPoints: z.number().int().min(10).max(20_000).default(500),
    x: xAxis.default('step'),
    smoothing: z.number().min(0).max(0.999).default(0),
    band: z.enum(BANDS).default('std'),
  }),
  /** Final performance per group over seeds (mean ± s.e., IQM with a stratified bootstrap CI) and P(improvement). */
  'summary.get': z.object({
    runIds: ids,
    groupBy: z.array(z.string()).optional(),
    metric: z.string().default('eval/mean_return'),
    /** Group keys (as returned in `groups[].key`) of the pair to compare with the probability of improvement. */
    compare: z.tuple([z.string(), z.string()]).optional(),
  }),
  /**
   * Hyperparameters against results: per run and per group (the groups of Compare and Summary), the values of the
   * hyperparameters the runs are grouped by, and the final and best value of `metric`, with the IQM of the final
   * values over each group's runs.
   */
  'hparams.get': z.object({
    runIds: ids,
    groupBy: z.array(z.string()).optional(),
    metric: z.string().min(1, 'choose a metric').default('eval/mean_return'),
    /** Which end of the metric is best: `max` for returns, `min` for losses. */
    goal: z.enum(HPARAM_GOALS).default('max'),
  }),
  'checkpoints.list': z.object({ runId: id }),
  /** Start a replay session: a trainer process loads the checkpoint; the env runs in the backend. */
  'replay.open': z.object({ runId: id, step: z.number().int().nonnegative().optional() }),
  'replay.reset': z.object({ sessionId: z.string(), seed: z.number().int().nonnegative().optional() }),
  /**
   * One step of the policy: greedy when `deterministic`, else sampled at `temperature` (0 = greedy, 1 = the policy
   * as trained; categorical softmax(logits/T), Gaussian σ·√T — see core/math/temperature).
   */
  'replay.step': z.object({
    sessionId: z.string(),
    deterministic: z.boolean().default(true),
    temperature: z.number().min(TEMPERATURE_MIN).max(TEMPERATURE_MAX).default(TEMPERATURE_DEFAULT),
  }),
  'replay.close': z.object({ sessionId: z.string() }),
  /** Store a played episode so it can be watched again without the model. */
  'replays.save': z.object({ sessionId: z.string(), name: z.string().trim().min(1).max(200) }),
  'replays.list': z.object({ runId: id.optional() }),
  'replays.get': z.object({ replayId: id }),
  'export.runCsv': z.object({ runId: id }),
  'export.bundle': z.object({ runIds: ids.optional(), sweepId: id.optional() }).refine((v) => v.runIds || v.sweepId, 'give runIds or sweepId'),
  'import.bundle': z.object({ bundle: z.unknown() }),
} as const;

export type ApiMethod = keyof typeof requestSchemas;
export type ApiParams<M extends ApiMethod> = z.input<(typeof requestSchemas)[M]>;

/** A `proxima worker` of a cluster, as its last heartbeat recorded it. */
export interface WorkerInfo {
  name: string;
  host: string;
  pid: number;
  /** Cores of its machine, and trials it trains at once. */
  cores: number;
  concurrency: number;
  /** Ids of the runs it trains now. */
  trials: number[];
  /** ISO timestamps; `stoppedAt` null while it runs. */
  startedAt: string;
  heartbeatAt: string;
  stoppedAt: string | null;
  /**
   * `alive`: its owner lease is current (it heartbeats); `stale`: not stopped, but its lease expired (killed, hung,
   * cut off: its trials are requeued by the other workers); `stopped`: it drained and left.
   */
  state: 'alive' | 'stale' | 'stopped';
}

/** Evaluation at the end of a run (SB3 evaluate_policy conventions: population std). */
export interface FinalEval {
  mean: number;
  std: number;
  episodes: number;
}

export interface RunSummary {
  id: number;
  sweepId: number | null;
  sweepName: string | null;
  envId: string;
  seed: number;
  /** The run's algorithm (from its stored config; a config without one, stored before the ancestors, is PPO's). */
  algorithm: Algorithm;
  /** PPO's policy objective; for the other algorithms, the algorithm's id (the runs table's method column). */
  objective: string;
  status: RunStatus;
  error: string | null;
  /** The tfjs backend the trainer really used. */
  backend: string | null;
  proximaVersion: string;
  /** ISO timestamps. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  totalTimesteps: number;
  stepsDone: number;
  /** Steps per second: the latest while running, else the run's average (its last `time/fps`); null before any update. */
  fps: number | null;
  /** Seconds left, estimated from fps, while running. */
  etaSeconds: number | null;
  finalEval: FinalEval | null;
  /** The evaluation return rolled up as requested (`runs.list` rollup). */
  evalRollup: number | null;
  /**
   * The return the run is at now: its latest `rollout/ep_return_mean` (training episodes), else its latest
   * `eval/mean_return`, with the key and env step it was measured at; null before either was logged.
   */
  latestReturn: { key: string; value: number; step: number } | null;
  /** Hyperparameters that a sweep varied or a user overrode (flat: field → value). */
  params: Record<string, number | string | boolean | null>;
  tags: string[];
  notes: string;
  hidden: boolean;
}

export interface CheckpointInfo {
  step: number;
  createdAt: string;
}

export interface RunDetail extends RunSummary {
  /** The full resolved config stored with the run. */
  config: Record<string, unknown>;
  checkpoints: CheckpointInfo[];
  metricKeys: string[];
  /** Last lines of the run's log (status changes, warnings, errors). */
  logTail: string[];
}

/** A sweep's status as its runs tell it (see the backend's `toSweepSummary`). */
export type SweepStatus = 'running' | 'cancelled' | 'finished with failures' | 'interrupted' | 'completed';

export interface SweepSummary {
  id: number;
  name: string;
  envId: string;
  status: SweepStatus;
  createdAt: string;
  spec: SweepRequest;
  counts: Record<RunStatus, number>;
  /**
   * Env steps done over all its trials (live for running ones) against their summed budgets, and the seconds left at
   * the current pace of its running trials (null while none runs).
   */
  progress: { stepsDone: number; totalSteps: number; etaSeconds: number | null };
}

export interface EnvInfo {
  id: string;
  maxEpisodeSteps: number;
  rewardThreshold: number | null;
  actionSpace: { type: 'Discrete'; n: number } | { type: 'Box'; low: number[]; high: number[] };
  observationDim: number;
}

/** One config field as the New sweep form shows it. */
export interface ConfigFieldInfo {
  name: string;
  /** One-line meaning (the label's tooltip and the row's description). */
  doc: string;
  /** The meaning's stable id: its catalog message is `fields.<docId>.doc` (src/core/i18n/core-messages.ts). */
  docId: string;
  default: unknown;
  kind: 'number' | 'integer' | 'boolean' | 'enum' | 'layers' | 'string';
  nullable: boolean;
  options?: string[];
}

export interface PresetInfo {
  name: string;
  label: string;
  description: string;
}

/** What the form needs to know of one algorithm. */
export interface AlgorithmInfo {
  id: Algorithm;
  /** Display name, e.g. `TRPO`. */
  label: string;
  /** One line on what it is and whose implementation it follows. */
  description: string;
  /** The preset it trains with when none is named (the RL Zoo entry where one exists, else its own tuned one). */
  tunedPreset: string;
  presets: PresetInfo[];
  /** Its config fields in schema order (`algorithm` left out), each with its meaning for this algorithm and its default. */
  fields: ConfigFieldInfo[];
}

/** A built-in sweep template (src/core/sweep/templates.ts). */
export interface SweepTemplateInfo {
  id: string;
  label: string;
  description: string;
  /** The algorithms it trains, in order (a grid axis when several). */
  algorithms: Algorithm[];
  grid: Record<string, AxisValue[]>;
  overrides?: Record<string, unknown>;
  /** The environment its description's figures were measured on (a demonstration's); applying it selects this env.
   * Absent = the template fits any environment and keeps the one chosen. */
  env?: string;
  /** Its preset; absent = keep the one chosen. */
  preset?: string;
  seeds: number[];
}

export interface Catalog {
  envs: EnvInfo[];
  /** Every algorithm with its presets and config fields, in ALGORITHMS order. */
  algorithms: AlgorithmInfo[];
  templates: SweepTemplateInfo[];
  /** Every config field of any algorithm (the generic meaning) with the algorithms that have it: Compare's group-by choices. */
  fields: (ConfigFieldInfo & { algorithms: Algorithm[] })[];
  /** Metric key → one-line meaning. */
  metrics: { key: string; meaning: string }[];
}

export interface SweepPreview {
  trials: number;
  estimatedSeconds: number;
  concurrency: number;
  /** The first trials (params and seed), for display. */
  sample: { params: Record<string, unknown>; seed: number }[];
  /** Valid settings that are probably not what was meant (e.g. a budget smaller than one rollout), once each. */
  warnings: string[];
  /** The same warnings coded, in the same order (the interface words them in its language). */
  codedWarnings: Coded[];
}

export interface SeriesData {
  runId: number;
  key: string;
  x: number[];
  y: number[];
}

/** One update's points of some distribution keys (`series.distribution`). */
export interface MetricDistribution {
  runId: number;
  /** Env steps of the updates that have points of the first key, ascending (what an update picker offers). */
  steps: number[];
  /** The update the points are of: the step asked for, else the latest; null when the run has no such points. */
  step: number | null;
  /** Each key asked for: its points at that step ordered by seq (empty arrays when it has none there). */
  points: Record<string, { seq: number[]; values: number[] }>;
}

export interface SeriesGroup {
  /** Stable key of the group (e.g. `objective=clip`). */
  key: string;
  /** The grouping fields' values. */
  params: Record<string, unknown>;
  runIds: number[];
  metric: string;
  x: number[];
  mean: number[];
  lower: number[];
  upper: number[];
  /** Runs behind each point. */
  count: number[];
  /** Per-run smoothed series (for thin seed lines on demand), downsampled. */
  runs: { runId: number; x: number[]; y: number[] }[];
}

export interface SummaryGroup {
  key: string;
  params: Record<string, unknown>;
  runIds: number[];
  /** One final score per run (runs without the metric are left out). */
  scores: number[];
  mean: number;
  standardError: number;
  iqm: number;
  iqmCi: [number, number];
}

export interface SummaryResult {
  metric: string;
  /** The fields the runs were grouped by, sorted (as `series.aggregate` reports them). */
  groupBy: string[];
  groups: SummaryGroup[];
  /** Config fields whose values differ between groups: field → group key → value. */
  configDiff: Record<string, Record<string, unknown>>;
  improvement: { x: string; y: string; probability: number; ci: [number, number] } | null;
  /** Why the scores may say little (all equal, too few per group, runs without a score), as sentences; empty when none. */
  warnings: string[];
  /** The same warnings coded, in the same order (the interface words them in its language). */
  codedWarnings: Coded[];
}

/**
 * One hyperparameter axis of `hparams.get`: a field the runs are grouped by. `number` when every run has a finite
 * number for it, else `category` (text, booleans, lists, or a value missing from some runs: `null`). `values` are
 * the distinct values, numbers ascending, then the other values by their text, `null` last. `log` suggests a log
 * scale: a number axis whose values are all positive and span at least a factor of 10 (learning rates).
 */
export interface HparamAxis {
  name: string;
  kind: 'number' | 'category';
  values: (number | string | boolean | null)[];
  log: boolean;
}

/** One run of `hparams.get`. Metric values are null where the run has none (no finite point, no final evaluation). */
export interface HparamRun {
  runId: number;
  seed: number;
  status: RunStatus;
  /** The key of its group (`HparamGroup.key`). */
  group: string;
  /** Its value of each axis (null where it lacks the field). */
  params: Record<string, number | string | boolean | null>;
  /** Its final score: the final evaluation's mean for `eval/mean_return`, else the metric's last value (as Summary). */
  final: number | null;
  /** Its best value of the metric (the highest, or the lowest for goal `min`) over its points and its final score. */
  best: number | null;
  /** Finite points of the metric it has stored. */
  points: number;
}

/** One group of `hparams.get`: the runs of one configuration (its seeds). */
export interface HparamGroup {
  key: string;
  params: Record<string, number | string | boolean | null>;
  runIds: number[];
  /** Mean of its runs' final scores. */
  final: number | null;
  /** Mean of its runs' best values. */
  best: number | null;
  /** Interquartile mean of its runs' final scores (Summary's IQM). */
  iqm: number | null;
  /** Runs with a final score (what `final` and `iqm` are computed over). */
  scored: number;
}

export interface HparamsResult {
  metric: string;
  goal: HparamGoal;
  /** The fields the runs were grouped by, sorted (as Compare and Summary report them): one axis each, in this order. */
  groupBy: string[];
  axes: HparamAxis[];
  /** Runs in the order asked for (missing runs left out). */
  runs: HparamRun[];
  /** Groups in the order of their first run. */
  groups: HparamGroup[];
}

/**
 * One replay frame: everything the canvas and overlays need. `action`, `temperature`, `reward` and
 * `terminated`/`truncated` belong to the step that led to this frame; `value`, `probs`, `mean` and `std` are the
 * policy's view of this frame's state (absent once the episode has ended, except the value of a truncated episode's
 * last state, V(s_T), which GAE bootstraps from).
 */
export interface ReplayFrame {
  t: number;
  /** Physics state in Gymnasium's order, for the env renderer. */
  state: number[];
  observation: number[];
  action: number | number[] | null;
  /** The temperature `action` was drawn at: 0 when greedy (deterministic), 1 for the policy as trained. Absent at t = 0. */
  temperature?: number;
  reward: number;
  return: number;
  terminated: boolean;
  truncated: boolean;
  /** V(s) in the env's reward units (scaled back from normalized rewards when the run normalized them). */
  value: number | null;
  /** With a value: the critic is saturated at this state, so the states around it get the same V(s). */
  valueSaturated?: boolean;
  /**
   * Categorical policies: the trained policy's probabilities (T = 1). They define it completely: at temperature T it is
   * softmax(log p / T) (core/math/temperature `temperedProbs`), so no logits are stored.
   */
  probs?: number[];
  /** Gaussian policies, at T = 1 (at temperature T the std is σ·√T). */
  mean?: number[];
  std?: number[];
}

export interface ReplaySession {
  sessionId: string;
  runId: number;
  envId: string;
  step: number;
}

export interface SavedReplay {
  id: number;
  runId: number;
  name: string;
  envId: string;
  step: number;
  seed: number | null;
  totalReturn: number;
  length: number;
  createdAt: string;
}

export interface ApiResponses {
  'app.about': AboutInfo;
  'settings.get': StoreSettingsInfo;
  'settings.setStore': StoreSettingsInfo;
  'catalog.get': Catalog;
  'config.resolve': { config: Record<string, unknown> };
  'sweeps.preview': SweepPreview;
  'sweeps.launch': { sweepId: number; runIds: number[] };
  'sweeps.list': SweepSummary[];
  'sweeps.cancel': { cancelled: number };
  'runs.list': RunSummary[];
  'runs.get': RunDetail;
  'runs.update': RunSummary;
  'runs.delete': { deleted: number };
  'runs.cancel': { ok: true };
  'runs.resume': { runId: number };
  'runs.restart': { runId: number };
  'queue.get': QueueState;
  'workers.list': WorkerInfo[];
  'queue.pause': QueueState;
  'queue.resume': QueueState;
  'series.get': SeriesData[];
  'series.distribution': MetricDistribution;
  'series.aggregate': { groupBy: string[]; groups: SeriesGroup[] };
  'summary.get': SummaryResult;
  'hparams.get': HparamsResult;
  'checkpoints.list': CheckpointInfo[];
  'replay.open': ReplaySession;
  'replay.reset': ReplayFrame;
  'replay.step': ReplayFrame;
  'replay.close': { ok: true };
  'replays.save': SavedReplay;
  'replays.list': SavedReplay[];
  'replays.get': SavedReplay & { frames: ReplayFrame[] };
  'export.runCsv': { filename: string; csv: string };
  'export.bundle': { filename: string; json: string };
  'import.bundle': { runIds: number[] };
}

export interface QueueState {
  paused: boolean;
  running: number;
  queued: number;
  concurrency: number;
  /** Why the queue stopped launching runs by itself (e.g. the disk is full); null while it launches. Resuming clears it. */
  halted: string | null;
}

/**
 * An error as the client receives it: a stable code, a readable message (English, the CLI's and the logs'), the same
 * message as a code with parameters where it has one (the interface words it in its language, `errors.<code>`), and
 * per-field issues for forms.
 */
export interface ApiError {
  code: 'bad-request' | 'not-found' | 'conflict' | 'internal' | 'unauthorized';
  message: string;
  coded?: Coded;
  /** Field path (dot-joined) → message, for schema errors. */
  issues?: ApiIssue[];
}

/**
 * One problem with one field of a request: its English message (the CLI's and the logs'), and where it has one the
 * same message as a code with parameters, which the interface words in its language (`errors.<code>`).
 */
export interface ApiIssue {
  path: string;
  message: string;
  coded?: Coded;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The envelope of every request on either transport. */
export const requestEnvelopeSchema = z.object({
  method: z.string().min(1),
  params: z.unknown().optional(),
});

/** Events pushed from the backend. */
export type ApiEvent =
  | { type: 'run.status'; runId: number; status: RunStatus; error?: string | null }
  | {
      type: 'run.progress';
      runId: number;
      stepsDone: number;
      totalSteps: number;
      fps: number;
      etaSeconds: number | null;
      lastReturn: number | null;
    }
  | { type: 'run.metrics'; runId: number; step: number; keys: string[] }
  /** A line of a run's log (the run detail's log tail); `warn` for what a user should see, e.g. a failed backend. */
  | { type: 'run.log'; runId: number; level: 'info' | 'warn'; line: string }
  | ({ type: 'queue.state' } & QueueState)
  | { type: 'sweep.status'; sweepId: number; status: RunStatus };

/** What the renderer holds: call a method, or listen to events. Implemented once per transport. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponses[M]>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

/** Thrown by clients when the backend answers with an error. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

export function isApiMethod(method: string): method is ApiMethod {
  return Object.hasOwn(requestSchemas, method);
}

/** An issue whose message is a coded one's English text. */
export const codedIssue = (path: string, coded: Coded): ApiIssue => ({ path, message: englishText(coded), coded });

/**
 * Turns zod issues into the contract's `issues` list (dot-joined paths), each with its code where its message is the
 * one `domainErrors` words (parse with `reportInput: true` for the codes to carry the value given).
 */
export function issuesOf(error: z.ZodError): ApiIssue[] {
  return error.issues.map((issue) => {
    const coded = codedOf(issue);
    return { path: issue.path.map(String).join('.'), message: issue.message, ...(coded ? { coded } : {}) };
  });
}
