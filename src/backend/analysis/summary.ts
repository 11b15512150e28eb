/**
 * The Summary view's data (`summary.get`): each group's final scores over seeds (mean ± s.e., IQM with a
 * stratified bootstrap CI, as rliable), the config fields that differ between groups, and the probability of
 * improvement of one group over another. Groups come from `groupRuns`, as Compare's do.
 */
import type { SummaryGroup, SummaryResult } from '../../core/api/contract';
import { iqm, mean, pooledIqm, probabilityOfImprovement, standardError, stratifiedBootstrapCi } from '../../core/math/stats';
import { METRIC } from '../../core/metrics/keys';
import { englishText, type Coded } from '../../core/validation/coded-messages';
import type { ExperimentStore, RunParams, RunRow } from '../store/types';
import { AnalysisError } from './errors';
import { groupRuns, type RunGroup } from './grouping';
import { seededRandom } from './random';

export interface SummaryQuery {
  /** The runs to summarise (existing ones). */
  runs: RunRow[];
  groupBy?: string[];
  metric: string;
  /** Group keys of the pair to compare with the probability of improvement. */
  compare?: [string, string];
}

/** Bootstrap resamples for summary intervals. */
const RESAMPLES = 2_000;
/**
 * Fewer scores than this in a group and its IQM and interval say little: with 2 the IQM is their mean and the
 * bootstrap can only draw 3 distinct samples (rliable reports at least a handful of runs per task).
 */
export const MIN_SCORES_PER_GROUP = 3;

const formatScore = (value: number): string => String(Number(value.toPrecision(4)));

/**
 * Why the scores may carry no information, as coded sentences a person can act on (empty when none): no scores at
 * all, every score equal (no statistic can tell the groups apart: a ceiling such as CartPole's 500, or nothing
 * learned), a group's scores all equal (its interval has no width), too few scores in a group, runs without a score.
 */
export function scoreWarningsCoded(metric: string, groups: readonly Pick<SummaryGroup, 'key' | 'runIds' | 'scores'>[]): Coded[] {
  const all = groups.flatMap((g) => g.scores);
  const runs = groups.reduce((n, g) => n + g.runIds.length, 0);
  if (all.length === 0) return [{ code: 'noScores', params: { metric } }];
  const warnings: Coded[] = [];
  const equal = (scores: readonly number[]): boolean => scores.every((s) => s === scores[0]);
  if (all.length > 1 && equal(all)) {
    warnings.push({ code: 'allScoresEqual', params: { count: String(all.length), score: formatScore(all[0] as number), metric } });
  } else {
    for (const g of groups) {
      if (g.scores.length > 1 && equal(g.scores)) warnings.push({ code: 'groupScoresEqual', params: { group: g.key, score: formatScore(g.scores[0] as number) } });
    }
  }
  for (const g of groups) {
    if (g.scores.length > 0 && g.scores.length < MIN_SCORES_PER_GROUP) {
      warnings.push({ code: 'tooFewScores', params: { group: g.key, count: g.scores.length, min: MIN_SCORES_PER_GROUP } });
    }
  }
  if (all.length < runs) warnings.push({ code: 'scoresMissing', params: { missing: String(runs - all.length), runs: String(runs), metric } });
  return warnings;
}

/** A summary's warnings: English sentences and, in the same order, their codes. */
function summaryWarnings(metric: string, groups: readonly Pick<SummaryGroup, 'key' | 'runIds' | 'scores'>[]): Pick<SummaryResult, 'warnings' | 'codedWarnings'> {
  const codedWarnings = scoreWarningsCoded(metric, groups);
  return { warnings: codedWarnings.map(englishText), codedWarnings };
}

/** `scoreWarningsCoded` as English sentences. */
export const scoreWarnings = (metric: string, groups: readonly Pick<SummaryGroup, 'key' | 'runIds' | 'scores'>[]): string[] => scoreWarningsCoded(metric, groups).map(englishText);

/**
 * A run's final score on `metric`: its final evaluation for the evaluation metric, else the metric's last stored
 * value (`values` in step order); undefined when it has neither. The one definition Summary and Hyperparameters use.
 */
export function finalScore(run: Pick<RunRow, 'finalEval'>, metric: string, values: readonly number[]): number | undefined {
  if (metric === METRIC.evalMeanReturn && run.finalEval) return run.finalEval.mean;
  return values.length > 0 ? values[values.length - 1] : undefined;
}

async function finalScores(store: ExperimentStore, runs: RunRow[], metric: string): Promise<Map<number, number>> {
  const points = await store.readMetrics({ runIds: runs.map((r) => r.id), keys: [metric] });
  const values = new Map(points.map((p) => [p.runId, p.values]));
  const scores = new Map<number, number>();
  for (const run of runs) {
    const score = finalScore(run, metric, values.get(run.id) ?? []);
    if (score !== undefined) scores.set(run.id, score);
  }
  return scores;
}

/** Config fields whose values differ between groups: field → group key → value (the group's first run's). */
function configDiff(runs: RunRow[], params: Map<number, RunParams>, groups: RunGroup[]): SummaryResult['configDiff'] {
  const diff: SummaryResult['configDiff'] = {};
  const allFields = new Set(runs.flatMap((r) => Object.keys(params.get(r.id)?.values ?? {})));
  for (const field of [...allFields].sort()) {
    if (field === 'seed') continue;
    const perGroup: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (const g of groups) {
      const value = params.get(g.runIds[0] as number)?.values[field] ?? null;
      perGroup[g.key] = value;
      seen.add(JSON.stringify(value));
    }
    if (seen.size > 1) diff[field] = perGroup;
  }
  return diff;
}

export async function summarize(store: ExperimentStore, { runs, groupBy, metric, compare }: SummaryQuery): Promise<SummaryResult> {
  const params = await store.getRunParams(runs.map((r) => r.id));
  const grouping = groupRuns(runs.map((r) => r.id), params, groupBy);
  const { groups } = grouping;
  const score = await finalScores(store, runs, metric);
  const random = seededRandom();
  const summaries: SummaryGroup[] = groups.map((g) => {
    const scores = g.runIds.map((id) => score.get(id)).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const ci = scores.length ? stratifiedBootstrapCi([scores], pooledIqm, { random, resamples: RESAMPLES }) : { low: NaN, high: NaN };
    return {
      key: g.key,
      params: g.params,
      runIds: g.runIds,
      scores,
      mean: scores.length ? mean(scores) : NaN,
      standardError: scores.length > 1 ? standardError(scores) : NaN,
      iqm: scores.length ? iqm(scores) : NaN,
      iqmCi: [ci.low, ci.high],
    };
  });

  let improvement: SummaryResult['improvement'] = null;
  if (compare) {
    const [xKey, yKey] = compare;
    const xs = summaries.find((g) => g.key === xKey);
    const ys = summaries.find((g) => g.key === yKey);
    if (!xs || !ys) throw new AnalysisError('bad-request', `compare: unknown group ${!xs ? xKey : yKey}`, [{ path: 'compare', message: 'unknown group' }]);
    if (xs.scores.length === 0 || ys.scores.length === 0) throw new AnalysisError('conflict', 'compare: both groups need runs with a final score');
    const probability = probabilityOfImprovement([xs.scores], [ys.scores]);
    // rliable: bootstrap X's and Y's runs independently (within the one task) and recompute P(X > Y).
    const ci = stratifiedBootstrapCi([xs.scores, ys.scores], ([x, y]) => probabilityOfImprovement([x as number[]], [y as number[]]), {
      random,
      resamples: RESAMPLES,
    });
    improvement = { x: xKey, y: yKey, probability, ci: [ci.low, ci.high] };
  }
  return { metric, groupBy: grouping.groupBy, groups: summaries, configDiff: configDiff(runs, params, groups), improvement, ...summaryWarnings(metric, summaries) };
}
