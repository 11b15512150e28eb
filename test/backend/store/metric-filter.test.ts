/** Metric conditions of a run filter as SQL over stored points: roll-ups, NaN points, several points at one step. */
import { describe, expect, it } from 'vitest';
import type { MetricCondition } from '../../../src/core/runs/run-query';
import { newRun, useTempStore } from './helpers';

const ctx = useTempStore();

async function matching(...metrics: MetricCondition[]): Promise<number[]> {
  return (await ctx.store.listRuns({ filter: { metrics }, sort: { by: 'seed', dir: 'asc' } })).runs.map((r) => r.seed);
}

describe('metric conditions', () => {
  it('roll each run\'s points up (last finite value, max, min, mean) and leave runs without the metric out', async () => {
    const [a, b] = await ctx.store.createRuns([newRun(1), newRun(2), newRun(3)]);
    await ctx.store.appendMetrics([
      { runId: a!.id, step: 100, values: { 'eval/mean_return': 10 } },
      { runId: a!.id, step: 200, values: { 'eval/mean_return': 40 } },
      { runId: a!.id, step: 300, values: { 'eval/mean_return': 20 } },
      // Two episodes finishing at one step: the later seq is the last value.
      { runId: b!.id, step: 100, seq: 0, values: { 'rollout/ep_return': 7, 'eval/mean_return': 30 } },
      { runId: b!.id, step: 100, seq: 1, values: { 'rollout/ep_return': 9 } },
      // A NaN (diverged) point is stored as NULL: it is no run's last value, best or mean.
      { runId: b!.id, step: 200, values: { 'eval/mean_return': Number.NaN } },
    ]);
    expect(await matching({ key: 'eval/mean_return', of: 'last', op: '=', value: 20 })).toEqual([1]);
    expect(await matching({ key: 'eval/mean_return', of: 'last', op: '=', value: 30 })).toEqual([2]);
    expect(await matching({ key: 'eval/mean_return', of: 'max', op: '>=', value: 40 })).toEqual([1]);
    expect(await matching({ key: 'eval/mean_return', of: 'min', op: '<', value: 15 })).toEqual([1]);
    expect(await matching({ key: 'eval/mean_return', of: 'mean', op: '>', value: 23 })).toEqual([1, 2]);
    expect(await matching({ key: 'eval/mean_return', of: 'mean', op: '>', value: 24 })).toEqual([2]);
    expect(await matching({ key: 'rollout/ep_return', of: 'last', op: '=', value: 9 })).toEqual([2]);
    // Run 3 has no points: it never matches, not even `!=`.
    expect(await matching({ key: 'eval/mean_return', of: 'last', op: '!=', value: 20 })).toEqual([2]);
    expect(await matching({ key: 'eval/mean_return', of: 'last', op: '>', value: 0 }, { key: 'rollout/ep_return', of: 'max', op: '>', value: 8 })).toEqual([2]);
    expect(await matching({ key: 'no/such_key', of: 'max', op: '<', value: 1e9 })).toEqual([]);
  });

  it('refuses an operator or roll-up it does not know rather than writing it into SQL', async () => {
    await expect(ctx.store.listRuns({ filter: { metrics: [{ key: 'eval/mean_return', of: 'last', op: '; DROP' as '=', value: 1 }] } })).rejects.toThrow(/cannot filter runs/);
  });
});
