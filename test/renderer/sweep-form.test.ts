import { describe, expect, it } from 'vitest';
import { translate } from './i18n-support';
import { errorMessage } from '../../src/renderer/src/lib/i18n/message-error';
import { buildSweepRequest, emptyEntry, etaWarning, issuesByKey, parseList, parseSeeds, parseValue, type FieldSpec, type SweepForm } from '../../src/renderer/src/lib/sweep/form';

const fields: FieldSpec[] = [
  { name: 'learningRate', doc: '', docId: 'learningRate', default: 3e-4, kind: 'number', nullable: false },
  { name: 'nEnvs', doc: '', docId: 'nEnvs', default: 1, kind: 'integer', nullable: false },
  { name: 'objective', doc: '', docId: 'objective', default: 'clip', kind: 'enum', nullable: false, options: ['clip', 'kl-adaptive'] },
  { name: 'normalizeObs', doc: '', docId: 'normalizeObs', default: false, kind: 'boolean', nullable: false },
  { name: 'targetKl', doc: '', docId: 'targetKl', default: null, kind: 'number', nullable: true },
  { name: 'policyLayers', doc: '', docId: 'policyLayers', default: [64, 64], kind: 'layers', nullable: false },
];

/** What `parse` throws, worded in `language` (null when it does not throw). */
function thrown(parse: () => unknown, language = 'en'): string | null {
  try {
    parse();
  } catch (error) {
    return errorMessage(error, translate(language));
  }
  return null;
}

const form = (extra: Partial<SweepForm> = {}): SweepForm => ({ name: 'x', env: 'CartPole-v1', algorithms: ['ppo'], preset: 'sb3-defaults', seeds: '0, 1', samples: '4', fields: {}, ...extra });

describe('sweep form', () => {
  it('parses values by kind', () => {
    expect(parseValue(fields[0], '1e-3')).toBe(0.001);
    expect(thrown(() => parseValue(fields[1], '2.5'))).toMatch(/not an integer/);
    expect(thrown(() => parseValue(fields[2], 'ppo'))).toMatch(/one of clip, kl-adaptive/);
    expect(parseValue(fields[3], 'true')).toBe(true);
    expect(parseValue(fields[4], 'null')).toBeNull();
    expect(parseValue(fields[5], '64, 32')).toEqual([64, 32]);
  });

  it('refuses an empty value in a list instead of dropping it, naming the field', () => {
    const clipRange: FieldSpec = { name: 'clipRange', doc: '', docId: 'clipRange', default: 0.2, kind: 'number', nullable: false };
    expect(thrown(() => parseList(clipRange, '0.1, , 0.3'))).toBe('clipRange has an empty value (value 2 of 3): fill it in or remove the extra comma');
    expect(thrown(() => parseList(clipRange, '0.1, 0.2,'))).toMatch(/value 3 of 3/);
    expect(thrown(() => parseList(clipRange, ' , '))).toMatch(/enter at least one value/);
    expect(parseList(clipRange, '0.1, 0.3')).toEqual([0.1, 0.3]);
    // Nullable fields too: null is written out, an empty value is not taken for it.
    expect(thrown(() => parseList(fields[4]!, '0.01, , null'))).toMatch(/targetKl has an empty value/);
    expect(parseList(fields[4]!, '0.01, null')).toEqual([0.01, null]);
    expect(thrown(() => parseSeeds('0, , 2'))).toBe('seeds has an empty value (value 2 of 3): fill it in or remove the extra comma');
    const { errors, request } = buildSweepRequest(form({ fields: { clipRange: { ...emptyEntry(), mode: 'grid', text: '0.1, , 0.3' } } }), [clipRange]);
    expect(Object.keys(errors)).toEqual(['clipRange']);
    expect(errorMessage(errors['clipRange'], translate('en'))).toBe('clipRange has an empty value (value 2 of 3): fill it in or remove the extra comma');
    expect(errorMessage(errors['clipRange'], translate('zh-CN'))).toBe('clipRange 有一个空值（第 2 个，共 3 个）：请填写，或删去多余的逗号');
    expect(request.grid).toBeUndefined();
  });

  it('warns about an ETA of more than a day', () => {
    expect(etaWarning({ estimatedSeconds: 3 * 24 * 3600 + 120, trials: 12_000, concurrency: 2 }, translate('en'))).toBe(
      'This sweep would take about 72h 02m, more than a day (12,000 trials, 2 at a time): check totalTimesteps, the seeds and the grid.',
    );
    expect(etaWarning({ estimatedSeconds: 24 * 3600, trials: 10, concurrency: 2 }, translate('en'))).toBeNull();
    expect(etaWarning({ estimatedSeconds: 2 * 24 * 3600, trials: 10, concurrency: 2 }, translate('zh-CN'))).toMatch(/^这个扫描预计需要约 48h 00m，超过一天（10 个试验/);
  });

  it('parses seeds with ranges', () => {
    expect(parseSeeds('0-2, 10, 1')).toEqual([0, 1, 2, 10]);
    expect(thrown(() => parseSeeds('a'))).toMatch(/not a seed/);
    expect(thrown(() => parseSeeds(' '))).toBe('give at least one seed');
    expect(thrown(() => parseSeeds(' '), 'zh-CN')).toBe('请至少给出一个种子 (seed)');
    expect(thrown(() => parseSeeds('0-5000'))).toBe('at most 1000 seeds');
    expect(thrown(() => parseValue(fields[0]!, ''), 'zh-CN')).toBe('请输入一个值');
  });

  it('builds grid, overrides and random axes', () => {
    const built = buildSweepRequest(
      form({
        fields: {
          objective: { ...emptyEntry(), mode: 'grid', text: 'clip, kl-adaptive' },
          nEnvs: { ...emptyEntry(), mode: 'value', text: '2' },
          learningRate: { ...emptyEntry(), mode: 'random', low: '1e-4', high: '1e-2', log: true },
        },
      }),
      fields,
    );
    expect(built.errors).toEqual({});
    expect(built.request).toEqual({
      name: 'x', env: 'CartPole-v1', preset: 'sb3-defaults', seeds: [0, 1],
      grid: { objective: ['clip', 'kl-adaptive'] }, overrides: { algorithm: 'ppo', nEnvs: 2 },
      random: { learningRate: { min: 1e-4, max: 1e-2, log: true } }, samples: 4,
    });
  });

  it('sends one algorithm as an override and several as the first grid axis, in the chosen order', () => {
    const grid = { objective: { ...emptyEntry(), mode: 'grid' as const, text: 'clip' } };
    expect(buildSweepRequest(form({ algorithms: ['trpo'] }), fields).request).toMatchObject({ overrides: { algorithm: 'trpo' } });
    expect(buildSweepRequest(form({ algorithms: ['trpo'] }), fields).request.grid).toBeUndefined();
    const several = buildSweepRequest(form({ algorithms: ['a2c', 'ppo'], fields: grid }), fields).request;
    expect(Object.entries(several.grid ?? {})).toEqual([['algorithm', ['a2c', 'ppo']], ['objective', ['clip']]]);
    expect(several.overrides).toBeUndefined();
  });

  it('reports parse errors per field and keeps the rest', () => {
    const built = buildSweepRequest(form({ seeds: 'x', fields: { nEnvs: { ...emptyEntry(), mode: 'value', text: 'two' }, learningRate: { ...emptyEntry(), mode: 'random', low: '1', high: '0.1', log: false } } }), fields);
    expect(Object.keys(built.errors).sort()).toEqual(['learningRate', 'nEnvs', 'seeds']);
    expect(built.request.name).toBe('x');
  });

  it('names an unnamed sweep after its env, algorithms, preset and varied fields', () => {
    const grid = { objective: { ...emptyEntry(), mode: 'grid' as const, text: 'clip, kl-adaptive' } };
    expect(buildSweepRequest(form({ name: '  ' }), fields).request.name).toBe('CartPole-v1 · PPO · sb3-defaults');
    expect(buildSweepRequest(form({ name: '', fields: grid }), fields).request.name).toBe('CartPole-v1 · PPO · sb3-defaults · objective');
    expect(buildSweepRequest(form({ name: '', algorithms: ['ppo', 'a2c', 'trpo'], preset: 'zoo' }), fields).request.name).toBe('CartPole-v1 · PPO vs A2C vs TRPO · zoo');
    expect(buildSweepRequest(form({ name: ' mine ', fields: grid }), fields).request.name).toBe('mine');
  });

  it('maps backend issue paths to form keys', () => {
    const names = new Set(fields.map((f) => f.name));
    const map = issuesByKey(
      [
        { path: 'overrides.nEnvs', message: 'too small' },
        { path: 'grid.objective.1', message: 'bad option' },
        { path: 'seeds.0', message: 'negative' },
        { path: 'name', message: 'give the sweep a name' },
        { path: 'batchSize', message: 'must divide' },
        { path: 'preset.nEnvs', message: 'from the preset' },
        { path: 'weird', message: 'other' },
        { path: 'grid.algorithm', message: 'expected one of ppo, a2c, trpo, reinforce' },
      ],
      names,
    );
    expect(Object.fromEntries(Object.entries(map).map(([key, issues]) => [key, issues.map((i) => i.message)]))).toEqual({
      nEnvs: ['too small', 'from the preset'], objective: ['bad option'], seeds: ['negative'], name: ['give the sweep a name'], '': ['must divide', 'other'],
      algorithm: ['expected one of ppo, a2c, trpo, reinforce'],
    });
  });
});
