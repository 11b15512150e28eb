/**
 * Handlers for sweeps: preview (trial count and ETA), launch, list, cancel. Every trial's config is resolved and
 * validated before anything is stored, and a problem is reported against the field the user wrote
 * (`grid.entCoef`, `overrides.batchSize`, ...), so a rejected form loses nothing.
 */
import { codedIssue, type ApiIssue, type SweepPreview, type SweepRequest } from '../../core/api/contract';
import { englishText, type Coded } from '../../core/validation/coded-messages';
import {
  ALGORITHM_FIELDS,
  ALGORITHM_LABELS,
  ALGORITHMS,
  algorithmsWithField,
  configFieldNames,
  configWarningsCoded,
  isAlgorithm,
  safeParseTrainConfig,
  type Algorithm,
  type TrainConfig,
} from '../../core/training/config';
import { isPresetName, presetFor, presetOverrides, PRESET_NAMES } from '../../core/training/presets';
import { snakeToCamel } from '../../core/runs/param-keys';
import { createRng } from '../../core/rng';
import { estimateSweepSeconds, expandSweep, parseSweepSpec } from '../../core/sweep';
import { isEnvId, ENV_IDS } from '../../core/envs';
import type { ExperimentStore, NewRun, RunRow } from '../store/types';
import { cancelRuns } from './cancel';
import { ApiFailure, type Handlers, type ServiceParts } from './handlers';
import { toSweepSummary, type LiveTrial } from './runs-view';

/** The run rows of a sweep's trials (queued, owned by `ownerId`; null for the cluster queue). */
export function trialRuns(request: SweepRequest, trials: readonly Trial[], sweepId: number, ownerId: string | null): NewRun[] {
  const overrides = Object.keys(request.overrides ?? {});
  return trials.map((t) => ({
    sweepId,
    envId: request.env,
    seed: t.seed,
    // The runs table's method column: PPO's objective, or the algorithm's name.
    objective: t.config.algorithm === 'ppo' ? t.config.objective : t.config.algorithm,
    config: t.config,
    totalTimesteps: t.config.totalTimesteps,
    ownerId,
    params: Object.fromEntries(
      [...overrides.map((k) => snakeToCamel(k)), ...Object.keys(t.params)]
        .filter((k) => k in t.config)
        .map((k) => [k, (t.config as Record<string, unknown>)[k] as never]),
    ),
  }));
}

type SweepHandlers = Pick<Handlers, 'config.resolve' | 'sweeps.preview' | 'sweeps.launch' | 'sweeps.list' | 'sweeps.cancel'>;

/** Steps per second assumed for one trial when this machine has no finished run of the env yet. */
const DEFAULT_STEPS_PER_SECOND = 2_000;
/** Seconds a trial spends outside training: process start, backend init, final evaluation. */
const TRIAL_OVERHEAD_SECONDS = 3;

interface Trial {
  params: Record<string, unknown>;
  seed: number;
  config: TrainConfig;
}

/** A sweep's trials and what its preset meant for each algorithm in it. */
interface ResolvedTrials {
  trials: Trial[];
  /** Sentences about the preset as applied, e.g. that REINFORCE trials of a `zoo` sweep use REINFORCE's tuned preset. */
  notes: string[];
  /** The same sentences coded, in the same order. */
  codedNotes: Coded[];
}

type Issue = ApiIssue;

/** Coded sentences, each once (by its English text), in the order first added. */
class Notes {
  private readonly byText = new Map<string, Coded>();
  add(coded: Coded): void {
    const text = englishText(coded);
    if (!this.byText.has(text)) this.byText.set(text, coded);
  }
  list(): Coded[] {
    return [...this.byText.values()];
  }
}

/** A preview's warnings, each once: English sentences and, in the same order, their codes. */
function previewWarnings(coded: readonly Coded[]): Pick<SweepPreview, 'warnings' | 'codedWarnings'> {
  const unique = new Notes();
  for (const c of coded) unique.add(c);
  const list = unique.list();
  return { warnings: list.map(englishText), codedWarnings: list };
}

/** Maps SB3 snake_case keys onto PpoConfig names; unknown names become issues at `section.key`. */
function normalizeKeys(section: string, record: Record<string, unknown> | undefined, issues: Issue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    const name = (configFieldNames as readonly string[]).includes(key) ? key : snakeToCamel(key);
    if (!(configFieldNames as readonly string[]).includes(name)) {
      issues.push(codedIssue(`${section}.${key}`, { code: 'unknownConfigField', params: { key: JSON.stringify(key) } }));
      continue;
    }
    if (name === 'envId' || name === 'seed') {
      issues.push(codedIssue(`${section}.${key}`, { code: 'setInstead', params: { section: name === 'envId' ? 'env' : 'seeds' } }));
      continue;
    }
    out[name] = value;
  }
  return out;
}

/**
 * Expands and validates a sweep; throws ApiFailure with per-field issues. Each trial's algorithm is its `algorithm`
 * param (a grid or random axis, or an override; PPO when none is set), and it starts from that algorithm's version of
 * the sweep's preset (`presetFor`: `zoo` means REINFORCE's `tuned`), then the overrides, then the trial's values.
 *
 * A sweep over several algorithms treats a field only some of them have as conditional (as a conditional search
 * space does): it is set in the trials whose algorithm has it and left out of the others, which a grid over it then
 * does not multiply (their trials are not repeated per value); a note says so. With one algorithm, or a field none of
 * the sweep's algorithms has, such a field is an error naming the algorithms that do have it.
 */
export function resolveTrials(request: SweepRequest): ResolvedTrials {
  const issues: Issue[] = [];
  if (!isEnvId(request.env)) issues.push(codedIssue('env', { code: 'unknownEnv', params: { known: ENV_IDS.join(', ') } }));
  if (!isPresetName(request.preset)) {
    issues.push(codedIssue('preset', { code: 'unknownPreset', params: { known: PRESET_NAMES.join(', ') } }));
  }
  const grid = normalizeKeys('grid', request.grid, issues);
  const random = normalizeKeys('random', request.random, issues);
  const overrides = normalizeKeys('overrides', request.overrides, issues);
  if (issues.length) throw new ApiFailure('bad-request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);

  const spec = parseSweepSpec({ ...request, grid, random, overrides });
  if (!spec.ok) throw new ApiFailure('bad-request', spec.issues.map((i) => `${i.path}: ${i.message}`).join('; '), spec.issues);
  // Random axes are drawn from a generator seeded by the sweep's first seed, so preview and launch agree.
  const rng = createRng(request.seeds[0] ?? 0);
  const expanded = expandSweep(spec.spec, () => rng.random());
  const trials: Trial[] = [];
  const notes = new Notes();
  const sectionOf = (field: string): string => (field in grid ? 'grid' : field in random ? 'random' : field in overrides ? 'overrides' : 'preset');
  const sweepAlgorithms = new Set(expanded.map((t) => t.params.algorithm ?? 'ppo').filter(isAlgorithm));
  const seen = new Set<string>();
  /** The params a trial varies, `objective="clip" gamma=0.9` ('' for none). */
  const trialParams = (params: Record<string, unknown>): string =>
    Object.entries(params)
      .filter(([k]) => k in grid || k in random)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
  /** A trial's issue: the message in the trial named by its params (`inTrial`), where it varies any. */
  const trialIssue = (path: string, coded: Coded, params: Record<string, unknown>): Issue => {
    const trial = trialParams(params);
    return codedIssue(path, trial ? { ...coded, params: { ...coded.params, trial } } : coded);
  };
  for (const trial of expanded) {
    const algorithm = trial.params.algorithm ?? 'ppo';
    if (!isAlgorithm(algorithm)) {
      issues.push(trialIssue(`${sectionOf('algorithm')}.algorithm`, { code: 'unknownAlgorithm', params: { algorithms: ALGORITHMS.join(', '), value: String(JSON.stringify(algorithm)) } }, trial.params));
      continue;
    }
    const preset = presetFor(algorithm, request.preset);
    if (preset === null) {
      issues.push(trialIssue('preset', { code: 'noPreset', params: { algorithm, preset: JSON.stringify(request.preset) } }, trial.params));
      continue;
    }
    if (preset !== request.preset) notes.add({ code: 'presetFallback', params: { algorithm, preset: JSON.stringify(preset), requested: JSON.stringify(request.preset) } });
    const params = sweepAlgorithms.size > 1 ? conditionalParams(trial.params, algorithm, sweepAlgorithms, sectionOf, notes) : trial.params;
    // A trial that lost a field and is left with the params and seed of an earlier one (a grid over a field its
    // algorithm lacks) is that trial. (Random draws that repeat a choice stay separate trials, as they always were.)
    const identity = JSON.stringify([trial.seed, Object.entries(params).sort(([a], [b]) => a.localeCompare(b))]);
    const dropped = Object.keys(params).length < Object.keys(trial.params).length;
    if (dropped && seen.has(identity)) continue;
    seen.add(identity);
    const base = presetOverrides(preset, request.env, algorithm);
    const parsed = safeParseTrainConfig({ ...base, ...params, algorithm, envId: request.env, seed: trial.seed });
    if (!parsed.ok) {
      for (const issue of parsed.issues) {
        const field = String(issue.path[0] ?? '');
        const where = field ? `${sectionOf(field)}.${issue.path.join('.')}` : sectionOf('');
        if (issue.coded) issues.push(trialIssue(where, issue.coded, params));
        else {
          const trial = trialParams(params);
          issues.push({ path: where, message: trial ? `${issue.message} (trial ${trial})` : issue.message });
        }
      }
      continue;
    }
    trials.push({ params, seed: trial.seed, config: parsed.config });
  }
  if (issues.length) {
    const unique = [...new Map(issues.map((i) => [`${i.path}|${i.message}`, i])).values()].slice(0, 20);
    throw new ApiFailure('bad-request', unique.map((i) => `${i.path}: ${i.message}`).join('; '), unique);
  }
  const codedNotes = notes.list();
  return { trials, notes: codedNotes.map(englishText), codedNotes };
}

/**
 * A trial's params in a sweep over several algorithms: without the fields its algorithm lacks that another of the
 * sweep's algorithms has (noted once per field). A field none of them has stays, to be reported by validation.
 */
function conditionalParams(
  params: Record<string, unknown>,
  algorithm: Algorithm,
  sweepAlgorithms: ReadonlySet<Algorithm>,
  sectionOf: (field: string) => string,
  notes: Notes,
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(params)) {
    if (field === 'algorithm' || ALGORITHM_FIELDS[algorithm].includes(field)) {
      kept[field] = value;
      continue;
    }
    const owners = algorithmsWithField(field).filter((a) => sweepAlgorithms.has(a));
    if (owners.length === 0) {
      kept[field] = value;
      continue;
    }
    const others = [...sweepAlgorithms].filter((a) => !owners.includes(a));
    notes.add({
      code: 'appliesToOnly',
      params: { where: `${sectionOf(field)}.${field}`, owners: owners.map((a) => ALGORITHM_LABELS[a]).join('/'), others: others.map((a) => ALGORITHM_LABELS[a]).join('/'), count: others.length, field },
    });
  }
  return kept;
}

/** Median steps per second of this env's recent completed runs on this machine, or a conservative default. */
async function stepsPerSecond(store: ExperimentStore, envId: string): Promise<number> {
  const { runs } = await store.listRuns({ filter: { status: ['completed'], envId: [envId], includeHidden: true }, limit: 20 });
  const rates = runs
    .filter((r: RunRow) => r.startedAt !== null && r.finishedAt !== null && r.finishedAt > r.startedAt && r.stepsDone > 0)
    .map((r) => r.stepsDone / (((r.finishedAt as number) - (r.startedAt as number)) / 1000))
    .sort((a, b) => a - b);
  return rates.length ? (rates[Math.floor(rates.length / 2)] as number) : DEFAULT_STEPS_PER_SECOND;
}

export function sweepHandlers(parts: ServiceParts): SweepHandlers {
  const { store, queue, concurrency } = parts;
  const preview = async (request: SweepRequest): Promise<SweepPreview & { trialList: Trial[] }> => {
    const { trials, codedNotes } = resolveTrials(request);
    const sps = await stepsPerSecond(store, request.env);
    // Each trial's resolved budget (a preset may set it without the sweep naming it), queued in order.
    const budgets = trials.map((t) => ({ params: { totalTimesteps: t.config.totalTimesteps } }));
    return {
      trials: trials.length,
      estimatedSeconds: Math.ceil(estimateSweepSeconds(budgets, sps, concurrency, undefined, TRIAL_OVERHEAD_SECONDS)),
      concurrency,
      sample: trials.slice(0, 20).map((t) => ({ params: t.params, seed: t.seed })),
      ...previewWarnings([...codedNotes, ...trials.flatMap((t) => configWarningsCoded(t.config))]),
      trialList: trials,
    };
  };

  return {
    'config.resolve': async ({ preset, envId, algorithm, overrides }) => {
      const { seed = 0, ...rest } = overrides;
      if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) {
        const issue = codedIssue('overrides.seed', { code: 'expectedNonNegativeInt', params: {} });
        throw new ApiFailure('bad-request', `${issue.path}: ${issue.message}`, [issue]);
      }
      if (algorithm !== undefined && rest['algorithm'] !== undefined && rest['algorithm'] !== algorithm) {
        const issue = codedIssue('overrides.algorithm', { code: 'differsFromAlgorithm', params: { value: String(JSON.stringify(rest['algorithm'])), algorithm } });
        throw new ApiFailure('bad-request', `${issue.path}: ${issue.message}`, [issue]);
      }
      const withAlgorithm = algorithm === undefined ? rest : { ...rest, algorithm };
      const [trial] = resolveTrials({ name: 'config', env: envId, preset, seeds: [seed], overrides: withAlgorithm }).trials;
      return { config: (trial as Trial).config };
    },
    'sweeps.preview': async (request) => {
      const { trialList: _trials, ...result } = await preview(request);
      return result;
    },
    'sweeps.launch': async (request) => {
      const { trialList } = await preview(request);
      const sweep = await store.createSweep({ name: request.name, envId: request.env, spec: request as Record<string, unknown> });
      // Queued for this host's queue: another front-end on the same database leaves them alone.
      const runs = await store.createRuns(trialRuns(request, trialList, sweep.id, queue.owner.id));
      await store.setSweepStatus(sweep.id, 'running');
      await queue.pump();
      return { sweepId: sweep.id, runIds: runs.map((r) => r.id) };
    },
    'sweeps.list': async () => {
      const [sweeps, running] = await Promise.all([store.listSweeps(), store.listRuns({ filter: { status: ['running'], includeHidden: true } })]);
      // Trials training here: their live steps (the store's lag a flush behind) and pace.
      const live = new Map<number, LiveTrial[]>();
      for (const run of running.runs) {
        const progress = queue.liveProgress(run.id);
        if (run.sweepId === null || progress === null) continue;
        live.set(run.sweepId, [...(live.get(run.sweepId) ?? []), { stepsDone: progress.stepsDone, storedStepsDone: run.stepsDone, fps: progress.fps }]);
      }
      return sweeps.map((row) => toSweepSummary(row, live.get(row.id) ?? [], TRIAL_OVERHEAD_SECONDS, concurrency));
    },
    'sweeps.cancel': async ({ sweepId }) => {
      const sweep = await store.getSweep(sweepId);
      if (!sweep) throw new ApiFailure('not-found', { code: 'sweepNotFound', params: { sweepId: String(sweepId) } });
      const { runs } = await store.listRuns({ filter: { sweepId, status: ['queued', 'running', 'interrupted'], includeHidden: true } });
      const cancelled = (await cancelRuns(parts, runs.map((r) => r.id))).length;
      await store.setSweepStatus(sweepId, 'cancelled');
      return { cancelled };
    },
  };
}
