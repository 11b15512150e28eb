import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../../src/core/runs/nearest';
import { parseRunFilter } from '../../../src/core/runs/parse-filter';
import { snakeToCamel } from '../../../src/core/runs/param-keys';

describe('parseRunFilter', () => {
  it('splits comparisons from text and maps SB3 snake_case keys', () => {
    const { filter, errors } = parseRunFilter('objective=clip ent_coef>0 CartPole');
    expect(errors).toEqual([]);
    expect(filter.params).toEqual([
      { key: 'objective', op: '=', value: 'clip' },
      { key: 'entCoef', op: '>', value: 0 },
    ]);
    expect(filter.text).toEqual(['CartPole']);
  });

  it('reads every operator, booleans and quoted terms', () => {
    const { filter } = parseRunFilter('a>=1 b<=2.5 c!=x d<1e-3 normalize_obs=true "long run" notes="two words"');
    expect(filter.params).toEqual([
      { key: 'a', op: '>=', value: 1 },
      { key: 'b', op: '<=', value: 2.5 },
      { key: 'c', op: '!=', value: 'x' },
      { key: 'd', op: '<', value: 0.001 },
      { key: 'normalizeObs', op: '=', value: true },
      { key: 'notes', op: '=', value: 'two words' },
    ]);
    expect(filter.text).toEqual(['long run']);
  });

  it('maps status, env and sweep to their own fields', () => {
    const { filter, errors } = parseRunFilter('status=completed,failed env=CartPole-v1,Pendulum-v1 sweep=3');
    expect(errors).toEqual([]);
    expect(filter).toEqual({ status: ['completed', 'failed'], envId: ['CartPole-v1', 'Pendulum-v1'], sweepId: 3 });
  });

  it('reports unusable terms and keeps the rest', () => {
    const { filter, errors } = parseRunFilter('status=done lr> objective>clip gamma>0.9');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^status=done:/);
    expect(errors[1]).toMatch(/^lr>: missing a value/);
    expect(errors[2]).toMatch(/needs a number/);
    expect(filter.params).toEqual([{ key: 'gamma', op: '>', value: 0.9 }]);
  });

  it('snakeToCamel leaves camelCase alone', () => {
    expect(snakeToCamel('gae_lambda')).toBe('gaeLambda');
    expect(snakeToCamel('policy.net_arch')).toBe('policy.netArch');
    expect(snakeToCamel('entCoef')).toBe('entCoef');
    expect(snakeToCamel('n_timesteps')).toBe('totalTimesteps');
  });
});

describe('keys that are Object.prototype names', () => {
  it('are treated as plain keys', () => {
    expect(snakeToCamel('constructor')).toBe('constructor');
    expect(parseRunFilter('constructor=1').filter.params).toEqual([{ key: 'constructor', op: '=', value: 1 }]);
  });
});

describe('metric terms', () => {
  const vocabulary = { fields: ['gamma', 'entCoef', 'objective'], metrics: ['eval/mean_return', 'rollout/ep_return', 'rollout/ep_return_mean'] };

  it('reads a bare metric key as its last value and fn(key) as a roll-up, best() being the highest', () => {
    const { filter, errors } = parseRunFilter('eval/mean_return>400 best(rollout/ep_return)>=450 min(rollout/ep_return)!=0 mean(rollout/ep_return_mean)<1e3 last(eval/mean_return)=500', vocabulary);
    expect(errors).toEqual([]);
    expect(filter.metrics).toEqual([
      { key: 'eval/mean_return', of: 'last', op: '>', value: 400 },
      { key: 'rollout/ep_return', of: 'max', op: '>=', value: 450 },
      { key: 'rollout/ep_return', of: 'min', op: '!=', value: 0 },
      { key: 'rollout/ep_return_mean', of: 'mean', op: '<', value: 1000 },
      { key: 'eval/mean_return', of: 'last', op: '=', value: 500 },
    ]);
    expect(filter.params).toBeUndefined();
  });

  it('keeps hyperparameters, statuses and text beside metric terms', () => {
    const { filter, errors } = parseRunFilter('CartPole ent_coef>0 status=completed eval/mean_return>400', vocabulary);
    expect(errors).toEqual([]);
    expect(filter).toEqual({
      status: ['completed'],
      params: [{ key: 'entCoef', op: '>', value: 0 }],
      metrics: [{ key: 'eval/mean_return', of: 'last', op: '>', value: 400 }],
      text: ['CartPole'],
    });
  });

  it('names unknown metrics and fields with the nearest known name, and keeps the rest', () => {
    const { filter, errors } = parseRunFilter('eval/mean_retrun>400 gama>0.9 entCoef>0 foo/bar>1 colour=red', vocabulary);
    expect(errors).toEqual([
      "unknown metric 'eval/mean_retrun' — did you mean eval/mean_return?",
      "unknown field 'gama' — did you mean gamma?",
      "unknown metric 'foo/bar'",
      "unknown field 'colour'",
    ]);
    expect(filter.params).toEqual([{ key: 'entCoef', op: '>', value: 0 }]);
  });

  it('refuses a function it does not know, a function of a field, and a metric compared with text', () => {
    const { errors } = parseRunFilter('top(eval/mean_return)>1 best(gamma)>1 eval/mean_return>high constructor(eval/mean_return)>1', vocabulary);
    expect(errors).toEqual([
      "top(eval/mean_return)>1: unknown function 'top' — use last(), best(), max(), min(), mean()",
      'best(gamma)>1: best() takes a metric key such as eval/mean_return',
      'eval/mean_return>high: a metric compares with a number',
      "constructor(eval/mean_return)>1: unknown function 'constructor' — use last(), best(), max(), min(), mean()",
    ]);
  });

  it('takes any key as written without a vocabulary', () => {
    expect(parseRunFilter('custom/score>1 anything=2').errors).toEqual([]);
  });
});

describe('nearest', () => {
  it('counts a swap of neighbours as one edit, ignoring case', () => {
    expect(editDistance('retrun', 'return')).toBe(1);
    expect(editDistance('Gamma', 'gamma')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only a close name', () => {
    expect(nearest('eval/mean_retrun', ['rollout/ep_return', 'eval/mean_return'])).toBe('eval/mean_return');
    expect(nearest('gama', ['gamma', 'gaeLambda'])).toBe('gamma');
    expect(nearest('colour', ['gamma', 'gaeLambda'])).toBeNull();
  });
});
