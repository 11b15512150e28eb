import { describe, expect, it } from 'vitest';
import { checkDemo, formatVerdict, meetsCriterion, type DemoTrial } from '../../bench/demo-check';
import { METRIC } from '../../src/core/metrics/keys';
import { SWEEP_TEMPLATES } from '../../src/core/sweep/templates';

const trial = (params: Record<string, unknown>, seed: number, means: number[], updates: Record<string, number>[] = []): DemoTrial => ({
  params, seed, evaluations: means.map((mean, i) => ({ step: (i + 1) * 1000, mean })), updates,
});

describe('demonstration criteria', () => {
  it('collapse: a fall to half of a running best of at least 400, not a dip from a lower best', () => {
    const criterion = { kind: 'collapse', drop: 0.5, minBest: 400 } as const;
    expect(meetsCriterion(criterion, trial({}, 0, [100, 450, 225]))).toBe(true);
    expect(meetsCriterion(criterion, trial({}, 0, [100, 450, 226]))).toBe(false);
    expect(meetsCriterion(criterion, trial({}, 0, [300, 100, 500]))).toBe(false);
  });

  it('reaches: some evaluation strictly above the level', () => {
    const criterion = { kind: 'reaches', above: 0 } as const;
    expect(meetsCriterion(criterion, trial({}, 0, [-3, 92, -1]))).toBe(true);
    expect(meetsCriterion(criterion, trial({}, 0, [-3, 0, -0.01]))).toBe(false);
  });

  it("kl-tracks: the second half's median KL after the update within the band around the run's own target", () => {
    const criterion = { kind: 'kl-tracks', band: 1.5 } as const;
    const kls = (...values: number[]) => values.map((v) => ({ [METRIC.klAfterUpdate]: v }));
    // Second half of [1, 1, 0.012, 0.009, 0.011]: 0.012, 0.009, 0.011 → median 0.011.
    expect(meetsCriterion(criterion, trial({ klTarget: 0.01 }, 0, [], kls(1, 1, 0.012, 0.009, 0.011)))).toBe(true);
    expect(meetsCriterion(criterion, trial({ klTarget: 0.003 }, 0, [], kls(1, 1, 0.012, 0.009, 0.011)))).toBe(false);
    expect(meetsCriterion(criterion, trial({ klTarget: 0.01 }, 0, [], []))).toBe(false);
  });
});

describe("checking a template's claim", () => {
  const entropy = SWEEP_TEMPLATES.find((t) => t.id === 'entropy-exploration')!;

  it('counts the seeds per grid value against the bounds the template states', () => {
    const trials = [0, 1, 2, 3, 4].flatMap((seed) => [
      trial({ entCoef: 0 }, seed, [-1, seed === 0 ? 50 : -2]),
      trial({ entCoef: 0.2 }, seed, [-5, seed === 4 ? -1 : 90]),
    ]);
    const verdicts = checkDemo(entropy.expect!, 'entCoef', trials, entropy.seeds.length);
    expect(verdicts.map((v) => [v.value, v.meeting, v.seeds, v.pass])).toEqual([
      [0, 1, 5, true],
      [0.2, 4, 5, true],
    ]);
    expect(formatVerdict('entCoef', verdicts[1])).toBe('entCoef=0.2: 4 of 5 seeds meet (need ≥ 4) PASS');
    const worse = trials.map((t) => (t.params.entCoef === 0 ? trial(t.params, t.seed, [10]) : t));
    expect(checkDemo(entropy.expect!, 'entCoef', worse, 5)[0]).toMatchObject({ meeting: 5, pass: false });
  });

  it('does not judge a claim on fewer seeds than the template runs', () => {
    const verdicts = checkDemo(entropy.expect!, 'entCoef', [trial({ entCoef: 0.2 }, 0, [90])], entropy.seeds.length);
    expect(verdicts.map((v) => v.pass)).toEqual([null, null]);
    expect(formatVerdict('entCoef', verdicts[1])).toMatch(/not checked/);
  });

  it('every demonstration states a claim on each value of its one grid axis, within its seed count', () => {
    for (const template of SWEEP_TEMPLATES.filter((t) => t.env !== undefined)) {
      const [axis, ...others] = Object.keys(template.grid);
      expect(others).toEqual([]);
      expect(template.expect?.seedsMeeting.map((s) => s.value)).toEqual(template.grid[axis]);
      for (const bounds of template.expect!.seedsMeeting) {
        expect(Math.max(bounds.atLeast ?? 0, bounds.atMost ?? 0)).toBeLessThanOrEqual(template.seeds.length);
      }
    }
  });
});
