import { describe, expect, it } from 'vitest';
import { countTrials, drawAxis, estimateSweepSeconds, expandSweep } from '../../../src/core/sweep/expand';
import { parseSweepSpec, requireSweepSpec, SweepSpecError, type SweepSpec } from '../../../src/core/sweep/spec';
import { SWEEP_TEMPLATES, sweepFromTemplate, templateAlgorithms } from '../../../src/core/sweep/templates';

const base = { name: 'n', env: 'CartPole-v1', preset: 'zoo', seeds: [1, 2] };

function issues(input: unknown): string[] {
  const result = parseSweepSpec(input);
  if (result.ok) throw new Error('expected the spec to be rejected');
  return result.issues.map((i) => `${i.path}: ${i.message}`);
}

/** Replays fixed uniforms. */
function replay(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('sweep spec validation', () => {
  it('accepts the issue’s example shape', () => {
    const spec = requireSweepSpec({
      name: 'x',
      env: 'CartPole-v1',
      preset: 'zoo',
      grid: { objective: ['clip', 'kl-adaptive'] },
      seeds: [1, 2],
      overrides: { totalTimesteps: 4096 },
    });
    expect(spec.grid).toEqual({ objective: ['clip', 'kl-adaptive'] });
    expect(countTrials(spec)).toBe(4);
  });

  it('names the field of each problem', () => {
    expect(issues({ ...base, grid: { objective: [] } })).toEqual(['grid.objective: expected a non-empty array']);
    expect(issues({ ...base, grid: { objective: 'clip' } })).toEqual(['grid.objective: expected a non-empty array']);
    expect(issues({ ...base, seeds: [] })).toEqual(['seeds: expected a non-empty array of seeds']);
    expect(issues({ ...base, seeds: [1, 1] })).toEqual(['seeds.1: duplicate seed 1']);
    expect(issues({ ...base, seeds: [1.5] })).toEqual(['seeds.0: expected a non-negative integer']);
    expect(issues({ ...base, seeds: Array.from({ length: 1001 }, (_, i) => i) })).toEqual(['seeds: at most 1,000 seeds per sweep']);
    expect(issues({ ...base, grid: { learningRate: Array.from({ length: 101 }, (_, i) => i + 1), entCoef: Array.from({ length: 50 }, (_, i) => i) } })).toEqual([
      ': the sweep expands to 10,100 trials; at most 10,000',
    ]);
    expect(issues({ name: 'n', preset: 'zoo', seeds: [1] })).toEqual(['env: required']);
    expect(issues({ ...base, gird: {} })).toEqual(['gird: unknown field']);
    expect(issues({ ...base, random: { learningRate: { min: 1, max: 0.1 } }, samples: 2 })).toEqual([
      'random.learningRate.max: must be greater than min (1)',
    ]);
    expect(issues({ ...base, random: { learningRate: { min: 0, max: 1, log: true } }, samples: 2 })).toEqual([
      'random.learningRate.min: must be > 0 for a log-uniform axis',
    ]);
    expect(issues({ ...base, random: { nEpochs: { min: 1, max: 10.5, int: true } }, samples: 2 })).toEqual([
      'random.nEpochs.max: must be an integer for an int axis',
    ]);
    expect(issues({ ...base, random: { learningRate: 0.1 }, samples: 2 })).toEqual([
      'random.learningRate: expected {values: [...]} or {min, max} (optional log, int)',
    ]);
    expect(issues({ ...base, random: { gamma: { values: [0.9] } } })).toEqual([
      'samples: required with random axes: how many random configurations to draw',
    ]);
  });

  it('rejects a field set twice, also across snake_case and camelCase, and reserved fields', () => {
    expect(issues({ ...base, grid: { entCoef: [0, 0.01] }, overrides: { ent_coef: 0.1 } })).toEqual([
      'overrides.ent_coef: already set by grid.entCoef',
    ]);
    expect(issues({ ...base, grid: { seed: [1, 2] } })).toEqual(['grid.seed: seeds come from "seeds"']);
  });

  it('maps SB3 snake_case keys to camelCase', () => {
    const spec = requireSweepSpec({ ...base, grid: { ent_coef: [0, 0.01] }, overrides: { n_steps: 128 } });
    expect(spec.grid).toEqual({ entCoef: [0, 0.01] });
    expect(spec.overrides).toEqual({ nSteps: 128 });
  });

  it('requireSweepSpec throws SweepSpecError listing the fields', () => {
    expect(() => requireSweepSpec({ ...base, grid: { objective: [] } })).toThrow(SweepSpecError);
    expect(() => requireSweepSpec({ ...base, grid: { objective: [] } })).toThrow('grid.objective: expected a non-empty array');
  });
});

describe('expandSweep', () => {
  it('crosses grid × random samples × seeds with overrides in every trial', () => {
    const spec: SweepSpec = requireSweepSpec({
      ...base,
      grid: { objective: ['clip', 'kl-adaptive'], entCoef: [0, 0.01] },
      random: { learningRate: { min: 1e-4, max: 1e-2, log: true } },
      samples: 3,
      overrides: { totalTimesteps: 4096 },
    });
    const trials = expandSweep(spec, replay([0, 0.5, 1 - 1e-12]));
    expect(trials).toHaveLength(2 * 2 * 3 * 2);
    expect(trials.map((t) => t.index)).toEqual(trials.map((_, i) => i));
    // Log-uniform draws: u = 0 → 1e-4, u = 0.5 → 1e-3 (geometric midpoint), u → 1 → 1e-2.
    const rates = trials.slice(0, 6).map((t) => t.params.learningRate as number);
    expect(rates[0]).toBeCloseTo(1e-4, 12);
    expect(rates[2]).toBeCloseTo(1e-3, 12);
    expect(rates[4]).toBeCloseTo(1e-2, 10);
    expect(trials[0]).toEqual({ index: 0, seed: 1, params: { totalTimesteps: 4096, objective: 'clip', entCoef: 0, learningRate: rates[0] } });
    expect(trials[1].seed).toBe(2);
    // The same random draws are reused for every grid combination.
    expect(trials[6].params).toMatchObject({ objective: 'clip', entCoef: 0.01, learningRate: rates[0] });
    expect(trials[23].params).toMatchObject({ objective: 'kl-adaptive', entCoef: 0.01 });
  });

  it('draws uniform, integer and choice axes', () => {
    expect(drawAxis({ min: 2, max: 4 }, () => 0.25)).toBe(2.5);
    expect(drawAxis({ min: 1, max: 3, int: true }, () => 0.999)).toBe(3);
    expect(drawAxis({ min: 1, max: 3, int: true }, () => 0.34)).toBe(2);
    expect(drawAxis({ values: ['a', 'b', 'c'] }, () => 0.5)).toBe('b');
  });

  it('reports a trial rejected by validateParams with its values', () => {
    const spec = requireSweepSpec({ ...base, grid: { entCoef: [0, -1] } });
    const validateParams = (p: Record<string, unknown>): string | null => ((p.entCoef as number) < 0 ? 'entCoef: must be ≥ 0' : null);
    expect(() => expandSweep(spec, Math.random, { validateParams })).toThrow('trial 2 (entCoef=-1): entCoef: must be ≥ 0');
  });

  it('estimates the makespan of the queue', () => {
    const trials = expandSweep(requireSweepSpec({ ...base, seeds: [1, 2, 3], overrides: { totalTimesteps: 10_000 } }), Math.random);
    // 3 trials of 10 s on 2 trainers: 10 s + 10 s in parallel, then 10 s.
    expect(estimateSweepSeconds(trials, 1_000, 2)).toBe(20);
    expect(estimateSweepSeconds(trials, 1_000, 4)).toBe(10);
    const noBudget = expandSweep(requireSweepSpec(base), Math.random);
    expect(estimateSweepSeconds(noBudget, 500, 1, 1_000)).toBe(4);
    // A fixed start-up cost per trial lands on each trainer's queue: 2 × (10 + 3) s on the busier one.
    expect(estimateSweepSeconds(trials, 1_000, 2, undefined, 3)).toBe(26);
  });
});

describe('sweep templates', () => {
  it('clip-vs-kl and entropy-on-off run 5 seeds on any env', () => {
    expect(SWEEP_TEMPLATES.map((t) => t.id)).toEqual([
      'clip-vs-kl',
      'entropy-on-off',
      'ppo-a2c-trpo',
      'reinforce-baseline',
      'ppo-vs-grpo',
      'why-clip',
      'kl-targets',
      'entropy-exploration',
      'true-vs-learned-reward',
    ]);
    const clip = requireSweepSpec(sweepFromTemplate('clip-vs-kl', 'Pendulum-v1'));
    expect(clip.grid).toEqual({ objective: ['clip', 'kl-adaptive'] });
    expect(clip.env).toBe('Pendulum-v1');
    expect(countTrials(clip)).toBe(10);
    const ent = requireSweepSpec(sweepFromTemplate('entropy-on-off', 'CartPole-v1', { overrides: { totalTimesteps: 5000 } }));
    expect(ent.grid).toEqual({ entCoef: [0, 0.01] });
    expect(ent.seeds).toHaveLength(5);
    expect(expandSweep(ent, Math.random).every((t) => t.params.totalTimesteps === 5000)).toBe(true);
    expect(() => sweepFromTemplate('nope', 'CartPole-v1')).toThrow(/unknown sweep template/);
  });

  it('the ancestor templates carry their algorithms and presets', () => {
    const ancestors = requireSweepSpec(sweepFromTemplate('ppo-a2c-trpo', 'Acrobot-v1'));
    expect(ancestors).toMatchObject({ preset: 'zoo', grid: { algorithm: ['ppo', 'a2c', 'trpo'] } });
    expect(ancestors.overrides).toBeUndefined();
    expect(countTrials(ancestors)).toBe(15);
    const baseline = requireSweepSpec(sweepFromTemplate('reinforce-baseline', 'CartPole-v1', { overrides: { totalTimesteps: 5000 } }));
    expect(baseline).toMatchObject({ preset: 'tuned', grid: { useBaseline: [true, false] }, overrides: { algorithm: 'reinforce', totalTimesteps: 5000 } });
    expect(countTrials(baseline)).toBe(10);
    expect(requireSweepSpec(sweepFromTemplate('reinforce-baseline', 'CartPole-v1', { preset: 'defaults' })).preset).toBe('defaults');
    expect(SWEEP_TEMPLATES.map(templateAlgorithms)).toEqual([['ppo'], ['ppo'], ['ppo', 'a2c', 'trpo'], ['reinforce'], ['ppo', 'grpo'], ['ppo'], ['ppo'], ['ppo'], ['ppo']]);
    // PPO (critic) vs GRPO (group baseline): PPO's zoo preset, GRPO's equivalent (its tuned one), 5 seeds each.
    const grpo = requireSweepSpec(sweepFromTemplate('ppo-vs-grpo', 'CartPole-v1'));
    expect(grpo).toMatchObject({ name: 'PPO (critic) vs GRPO (group baseline) on CartPole-v1', preset: 'zoo', grid: { algorithm: ['ppo', 'grpo'] } });
    expect(countTrials(grpo)).toBe(10);
    expect(() => templateAlgorithms({ grid: { algorithm: ['ppo', 'sac'] } })).toThrow(/"sac" is not one of/);
  });

  it('the demonstrations name the environment they were measured on and parse into their trials', () => {
    expect(SWEEP_TEMPLATES.filter((t) => t.env !== undefined).map((t) => [t.id, t.env])).toEqual([
      ['why-clip', 'CartPole-v1'],
      ['kl-targets', 'CartPole-v1'],
      ['entropy-exploration', 'MountainCarContinuous-v0'],
    ]);
    const clip = requireSweepSpec(sweepFromTemplate('why-clip', 'CartPole-v1'));
    expect(expandSweep(clip, Math.random).map((t) => [t.params.objective, t.seed])).toEqual([
      ...[0, 1, 2, 3, 4].map((seed) => ['clip', seed]),
      ...[0, 1, 2, 3, 4].map((seed) => ['none', seed]),
    ]);
    const kl = requireSweepSpec(sweepFromTemplate('kl-targets', 'CartPole-v1'));
    expect(expandSweep(kl, Math.random).map((t) => [t.params.objective, t.params.klTarget])).toEqual([
      ['kl-adaptive', 0.003],
      ['kl-adaptive', 0.01],
      ['kl-adaptive', 0.03],
    ]);
    const entropy = requireSweepSpec(sweepFromTemplate('entropy-exploration', 'MountainCarContinuous-v0'));
    expect(entropy).toMatchObject({ preset: 'sb3-defaults', grid: { entCoef: [0, 0.2] }, overrides: { normalizeObs: true, normalizeReward: true } });
  });

  it('true-vs-learned-reward trains PPO on the env reward and on one learned from at most 2,000 preferences, 5 seeds each', () => {
    const spec = requireSweepSpec(sweepFromTemplate('true-vs-learned-reward', 'CartPole-v1'));
    expect(spec).toMatchObject({ preset: 'zoo', grid: { rewardSource: ['env', 'preferences'] }, overrides: { preferenceLabelBudget: 2000 } });
    const trials = expandSweep(spec, Math.random);
    expect(trials).toHaveLength(10);
    expect(trials.filter((t) => t.params.rewardSource === 'preferences')).toHaveLength(5);
  });
});
