import { describe, expect, it } from 'vitest';
import type { MetricDistribution } from '../../src/core/api/contract';
import { requireSweepSpec } from '../../src/core/sweep/spec';
import { expandSweep } from '../../src/core/sweep/expand';
import { betaSummary } from '../../src/renderer/src/lib/learn/beta-figure';
import { histogramSteps } from '../../src/renderer/src/lib/learn/clip-figure';
import { learnFigureOf } from '../../src/renderer/src/lib/learn/figures';
import { LEARN_METRIC } from '../../src/core/metrics/ratio-stats';
import { EPOCH_KEYS, epochRows, histogramOf } from '../../src/renderer/src/lib/learn/ratio-data';
import { defaultRun } from '../../src/renderer/src/lib/learn/runs';
import { learnSweep } from '../../src/renderer/src/lib/learn/sweeps';
import { trustSummary } from '../../src/renderer/src/lib/learn/trust-figure';

describe('Learn figures: reading the trainers\' ratio statistics', () => {
  it('decodes a 34-point histogram into under/overflow and 32 bins, and refuses another shape', () => {
    const seq = Array.from({ length: 34 }, (_, i) => i);
    const values = seq.map((i) => (i === 0 ? 0.1 : i === 33 ? 0.2 : 0.7 / 32));
    const h = histogramOf({ seq: [...seq].reverse(), values: [...values].reverse() })!;
    expect(h.underflow).toBe(0.1);
    expect(h.overflow).toBe(0.2);
    expect(h.bins).toHaveLength(32);
    expect(h.bins.reduce((a, b) => a + b, 0)).toBeCloseTo(0.7, 12);
    expect(histogramOf({ seq: [0, 1], values: [0.5, 0.5] })).toBeNull();
    expect(histogramOf(undefined)).toBeNull();
  });

  it('splits the histogram at 1 ± ε by bin centre', () => {
    const h = { low: 0.5, high: 1.5, bins: [0.1, 0.4, 0.4, 0.1], underflow: 0, overflow: 0 };
    const { inside, outside } = histogramSteps(h, 0.3);
    expect(inside.map((p) => p.y)).toEqual([0, 0.4, 0.4, 0, 0]);
    expect(outside.map((p) => p.y)).toEqual([0.1, 0, 0, 0.1, 0]);
    expect(inside.map((p) => p.x)).toEqual([0.5, 0.75, 1, 1.25, 1.5]);
  });

  it('reads per-epoch rows by seq, NaN where an epoch lacks a key', () => {
    const points = Object.fromEntries(EPOCH_KEYS.map((key, k) => [key, { seq: [0, 1], values: [k, 10 + k] }]));
    points[LEARN_METRIC.epochClipFraction] = { seq: [1], values: [0.3] };
    const d: MetricDistribution = { runId: 1, steps: [256], step: 256, points };
    const rows = epochRows(d);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2]);
    expect(rows[1]).toEqual({ epoch: 2, q05: 10, q25: 11, q50: 12, q75: 13, q95: 14, kl: 15, clipFraction: 0.3 });
    expect(rows[0]!.clipFraction).toBeNaN();
    expect(epochRows({ ...d, points: {} })).toEqual([]);
  });
});

describe('Learn figures: β, trust regions, links, sweeps', () => {
  it('counts β\'s halvings, doublings and the updates inside the KL band', () => {
    const s = betaSummary({ x: [1, 2, 3, 4], beta: [1, 0.5, 0.5, 1], klX: [1, 2, 3, 4], kl: [0.001, 0.01, 0.03, NaN] }, 0.01);
    expect([s.halvings, s.doublings, s.inBand, s.updates]).toEqual([1, 1, 1, 3]);
  });

  it('says how much of each run stayed within TRPO\'s bound', () => {
    const line = (y: number[]) => ({ x: y.map((_, i) => i + 1), y });
    const s = trustSummary({ trpoKl: line([0.01, 0.009, 0]), trpoStep: line([1, 0.5, 0]), ppoKl: line([0.005, 0.02]), ppoClip: line([0.1, 0.3]), bound: 0.01 });
    expect(s.trpoWithin).toBe(1);
    expect(s.ppoWithin).toBe(0.5);
    expect(s.trpoStep).toBeCloseTo(0.5, 12);
    expect(s.ppoClip).toBeCloseTo(0.2, 12);
  });

  it('links the quantities a figure explains to it, and nothing else', () => {
    expect(learnFigureOf('train/clip_fraction')).toBe('clip');
    expect(learnFigureOf('train/approx_kl')).toBe('epochs');
    expect(learnFigureOf('train/beta')).toBe('beta');
    expect(learnFigureOf('train/step_fraction')).toBe('trust');
    expect(learnFigureOf('eval/mean_return')).toBeNull();
    expect(learnFigureOf('toString')).toBeNull();
  });

  it('offers small valid sweeps: one seed, 20,480 steps, the trials each figure needs', () => {
    const trials = (figure: Parameters<typeof learnSweep>[0]) => expandSweep(requireSweepSpec(learnSweep(figure)), () => 0.5);
    expect(trials('clip').map((t) => t.params['objective'])).toEqual(['clip', 'none']);
    expect(trials('beta').map((t) => t.params['klTarget'])).toEqual([0.003, 0.01, 0.03]);
    expect(trials('trust').map((t) => t.params['algorithm'])).toEqual(['ppo', 'trpo']);
    for (const figure of ['clip', 'epochs', 'beta', 'trust'] as const) {
      for (const t of trials(figure)) expect([t.seed, t.params['totalTimesteps']]).toEqual([0, 20_480]);
    }
  });
});

describe('Learn figures: the default run', () => {
  it('is the newest completed run, of the preferred kind when there is one', () => {
    const runs = [
      { id: 1, status: 'completed', objective: 'clip' },
      { id: 2, status: 'completed', objective: 'kl-adaptive' },
      { id: 3, status: 'running', objective: 'clip' },
    ];
    expect(defaultRun(runs)?.id).toBe(2);
    expect(defaultRun(runs, (r) => r.objective === 'clip')?.id).toBe(1);
    expect(defaultRun(runs, (r) => r.objective === 'none')?.id).toBe(2);
    expect(defaultRun([])).toBeNull();
  });
});
