/** Summary says when its scores carry no information instead of showing intervals that mean nothing. */
import { describe, expect, it } from 'vitest';
import { scoreWarnings, summarize } from '../../../src/backend/analysis/summary';
import { newRun, useTempStore } from '../store/helpers';

const group = (key: string, scores: number[], runs = scores.length) => ({ key, scores, runIds: Array.from({ length: runs }, (_, i) => i + 1) });

describe('scoreWarnings', () => {
  it('is quiet for distinct scores, enough of them, every run scored', () => {
    expect(scoreWarnings('eval/mean_return', [group('objective=clip', [400, 450, 500]), group('objective=kl-adaptive', [300, 320, 310])])).toEqual([]);
  });

  it('says when every score is equal: nothing can tell the groups apart', () => {
    const warnings = scoreWarnings('eval/mean_return', [group('objective=clip', [500, 500, 500]), group('objective=kl-adaptive', [500, 500, 500])]);
    expect(warnings).toEqual([expect.stringMatching(/^All 6 scores are equal \(500\): eval\/mean_return cannot tell these runs apart/)]);
  });

  it('says when one group\'s scores are all equal, when a group has too few, and when runs have no score', () => {
    const warnings = scoreWarnings('eval/mean_return', [group('objective=clip', [500, 500, 500]), group('objective=kl-adaptive', [20.123456, 31], 3)]);
    expect(warnings).toEqual([
      'Every score of objective=clip is 500: its interval has no width.',
      'objective=kl-adaptive has only 2 scores: too few for its IQM and interval to mean much — run at least 3 seeds.',
      '1 of 6 runs have no final eval/mean_return yet and are left out.',
    ]);
  });

  it('says when there is nothing to summarise', () => {
    expect(scoreWarnings('train/beta', [group('all runs', [], 4)])).toEqual([expect.stringMatching(/^No run has a final train\/beta yet/)]);
  });
});

describe('summarize', () => {
  const t = useTempStore();

  it('returns the warnings with the groups', async () => {
    const runs = await t.store.createRuns([1, 2, 3].map((seed) => newRun(seed)));
    await t.store.appendMetrics(runs.map((run) => ({ runId: run.id, step: 1000, values: { 'eval/mean_return': 500 } })));
    const summary = await summarize(t.store, { runs, groupBy: [], metric: 'eval/mean_return' });
    expect(summary.groups[0]?.scores).toEqual([500, 500, 500]);
    expect(summary.warnings).toEqual([expect.stringMatching(/^All 3 scores are equal \(500\)/)]);
  });
});
