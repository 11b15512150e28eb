/**
 * The Summary view's data (`summary.get`): each group's final scores over seeds (mean ± s.e., IQM with a
 * stratified bootstrap CI, as rliable), the config fields that differ between groups, and the probability of
 * improvement of one group over another. Groups come from `groupRuns`, as Compare's do.
 */
import type { SummaryGroup, SummaryResult } from '../../core/api/contract';
import { iqm, mean, pooledIqm, probabilityOfImprovement, standardError, stratifiedBootstrapCi } from '../../core/math/stats';
import { METRIC } from '../../core/metrics/keys';
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
  return { metric, groupBy: grouping.groupBy, groups: summaries, configDiff: configDiff(runs, params, groups), improvement };
}
