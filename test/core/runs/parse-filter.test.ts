import { describe, expect, it } from 'vitest';
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
