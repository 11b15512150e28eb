/**
 * One update's points of a run's distribution keys (stored several per step, told apart by `seq`): the ratio
 * histogram's bins, per-epoch quantiles. Pure over what `readMetrics` returned.
 */
import type { MetricDistribution } from '../../core/api/contract';
import type { MetricPoints } from '../store/types';

/**
 * The points of `keys` at `step` (default: the latest step of the first key), each ordered by seq, and every step the
 * first key has points at. Points must carry `seqs` (read with `withSeq`).
 */
export function distributionAt(read: readonly MetricPoints[], runId: number, keys: readonly string[], step?: number): MetricDistribution {
  const byKey = new Map(read.filter((p) => p.runId === runId).map((p) => [p.key, p]));
  const first = byKey.get(keys[0]!);
  const steps = first ? [...new Set(first.steps)].sort((a, b) => a - b) : [];
  const at = step ?? steps.at(-1) ?? null;
  const points: MetricDistribution['points'] = {};
  for (const key of keys) {
    const seq: number[] = [];
    const values: number[] = [];
    const p = byKey.get(key);
    if (p && at !== null) {
      // Points come ordered by (step, seq): the step's run of them is contiguous.
      for (let i = 0; i < p.steps.length; i++) {
        if (p.steps[i] !== at) continue;
        seq.push(p.seqs?.[i] ?? 0);
        values.push(p.values[i]!);
      }
    }
    points[key] = { seq, values };
  }
  return { runId, steps, step: at, points };
}
