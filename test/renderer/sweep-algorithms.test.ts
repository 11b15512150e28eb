import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/backend/api/catalog';
import * as algorithms from '../../src/renderer/src/lib/sweep/algorithms';
import { translate } from './i18n-support';

const { applyTemplate, defaultForm, formFields, presetOptions, presetValueText } = algorithms;
const en = translate('en');
const setAlgorithms = (...args: Parameters<typeof algorithms.setAlgorithms> extends [...infer A, unknown] ? A : never) => algorithms.setAlgorithms(...args, en);
const templateNotice = (...args: Parameters<typeof algorithms.templateNotice> extends [...infer A, unknown] ? A : never) => algorithms.templateNotice(...args, en);
const tunedPresetHint = (...args: Parameters<typeof algorithms.tunedPresetHint> extends [...infer A, unknown] ? A : never) => algorithms.tunedPresetHint(...args, en);
import { buildSweepRequest, emptyEntry, type FieldEntry, type SweepForm } from '../../src/renderer/src/lib/sweep/form';
import { resolveTrials } from '../../src/backend/api/sweeps';

const catalog = buildCatalog();
const set = (text: string): FieldEntry => ({ ...emptyEntry(), mode: 'value', text });
const form = (extra: Partial<SweepForm> = {}): SweepForm => ({ name: '', env: 'CartPole-v1', algorithms: ['ppo'], preset: 'sb3-defaults', seeds: '0', samples: '4', fields: {}, ...extra });
const names = (algorithms: Parameters<typeof formFields>[1]): string[] => formFields(catalog, algorithms).map((f) => f.name);

describe('the sweep form over algorithms', () => {
  it("shows only the chosen algorithm's fields, never the ones the sweep sets", () => {
    expect(names(['ppo'])).toContain('clipRange');
    expect(names(['ppo'])).not.toContain('cgDamping');
    expect(names(['trpo'])).toEqual(expect.arrayContaining(['cgDamping', 'lineSearchMaxIter', 'targetKl']));
    expect(names(['trpo'])).not.toContain('entCoef');
    expect(names(['reinforce'])).not.toContain('nSteps');
    for (const algorithms of [['ppo'], ['a2c', 'reinforce']] as const) {
      expect(names([...algorithms])).not.toContain('envId');
      expect(names([...algorithms])).not.toContain('seed');
      expect(names([...algorithms])).not.toContain('algorithm');
    }
    expect(formFields(catalog, ['a2c']).every((f) => f.only === null)).toBe(true);
  });

  it('marks the fields only some of several algorithms have, with each meaning once', () => {
    const fields = new Map(formFields(catalog, ['ppo', 'a2c', 'trpo']).map((f) => [f.name, f]));
    expect(fields.get('cgMaxSteps')?.only).toBe('TRPO only');
    expect(fields.get('nEpochs')?.only).toBe('PPO only');
    expect(fields.get('entCoef')).toMatchObject({ only: 'PPO, A2C only', owners: ['ppo', 'a2c'] });
    expect(fields.get('gamma')).toMatchObject({ only: null, docs: [{ algorithms: ['ppo', 'a2c', 'trpo'], doc: 'Discount factor γ.' }] });
    expect(fields.get('learningRate')?.docs.map((d) => d.algorithms)).toEqual([['ppo'], ['a2c'], ['trpo']]);
    expect(fields.get('learningRate')?.docs[2]?.doc).toMatch(/critic/);
    // Enum options joined over the owners; the backend checks each trial's value against its own schema.
    expect(fields.get('normalizeAdvantage')?.spec.options).toEqual(['per-minibatch', 'per-batch', 'off']);
    // PPO's fields first in its order, then the ones only later algorithms add.
    const order = [...fields.keys()];
    expect(order.indexOf('nEpochs')).toBeLessThan(order.indexOf('useRmsProp'));
    expect(order.indexOf('useRmsProp')).toBeLessThan(order.indexOf('cgMaxSteps'));
  });

  it('drops the values of fields the new algorithm lacks and says so; the preset follows the algorithm', () => {
    const before = form({ preset: 'cleanrl', fields: { nEpochs: set('4'), clipRange: set('0.1'), gamma: set('0.9'), objective: emptyEntry() } });
    const { form: after, notice } = setAlgorithms(catalog, before, ['a2c']);
    expect(after.algorithms).toEqual(['a2c']);
    expect(Object.keys(after.fields)).toEqual(['gamma']);
    expect(after.preset).toBe('sb3-defaults');
    expect(notice).toBe('Dropped the values of nEpochs, clipRange: A2C has no such fields. Preset cleanrl is not available for A2C: now sb3-defaults.');
    // zoo has REINFORCE's tuned as its version: no notice for that.
    const reinforce = setAlgorithms(catalog, form({ preset: 'zoo' }), ['reinforce']);
    expect(reinforce).toEqual({ form: expect.objectContaining({ preset: 'tuned', algorithms: ['reinforce'] }), notice: null });
    // Adding an algorithm keeps every value: the union of fields grows.
    const several = setAlgorithms(catalog, after, ['ppo', 'a2c']);
    expect(several.form.fields).toEqual(after.fields);
    expect(several.notice).toBeNull();
    const none = setAlgorithms(catalog, form({ fields: { cgDamping: set('0.1') }, algorithms: ['trpo'] }), ['ppo', 'a2c']);
    expect(none.notice).toBe('Dropped the value of cgDamping: none of PPO, A2C has it.');
    expect(algorithms.setAlgorithms(catalog, before, ['a2c'], translate('zh-CN')).notice).toBe('已丢弃 nEpochs, clipRange 的取值：A2C 没有这些字段。 预设 cleanrl 不适用于 A2C：已改为 sb3-defaults。');
  });

  it('offers the presets every chosen algorithm has a version of', () => {
    expect(presetOptions(catalog, ['ppo']).map((p) => p.name)).toEqual(['sb3-defaults', 'zoo', 'cleanrl', 'seed-blog']);
    expect(presetOptions(catalog, ['reinforce']).map((p) => p.name)).toEqual(['defaults', 'tuned']);
    const shared = presetOptions(catalog, ['ppo', 'reinforce']);
    expect(shared.map((p) => p.name)).toEqual(['sb3-defaults', 'zoo']);
    expect(shared[1]?.versions.map((v) => [v.algorithm, v.preset])).toEqual([['ppo', 'zoo'], ['reinforce', 'tuned']]);
  });

  it('applies "PPO vs A2C vs TRPO" as the whole sweep definition: 15 trials', () => {
    const before = form({ name: 'mine', preset: 'cleanrl', fields: { nEpochs: set('4') }, seeds: '9' });
    const template = catalog.templates.find((t) => t.id === 'ppo-a2c-trpo');
    if (!template) throw new Error('no template');
    const after = applyTemplate(catalog, before, template);
    expect(after).toMatchObject({ name: 'mine', env: 'CartPole-v1', algorithms: ['ppo', 'a2c', 'trpo'], preset: 'zoo', seeds: '0, 1, 2, 3, 4', fields: {} });
    const { request, errors } = buildSweepRequest(after, formFields(catalog, after.algorithms).map((f) => f.spec));
    expect(errors).toEqual({});
    expect(request.grid).toEqual({ algorithm: ['ppo', 'a2c', 'trpo'] });
    expect(resolveTrials(request).trials).toHaveLength(15);
  });

  it('applies "REINFORCE with vs without baseline" with its grid and the tuned preset, naming an unnamed sweep', () => {
    const template = catalog.templates.find((t) => t.id === 'reinforce-baseline');
    if (!template) throw new Error('no template');
    const after = applyTemplate(catalog, form(), template);
    expect(after).toMatchObject({ name: 'REINFORCE with vs without baseline', algorithms: ['reinforce'], preset: 'tuned', fields: { useBaseline: { mode: 'grid', text: 'true, false' } } });
    const { request } = buildSweepRequest(after, formFields(catalog, after.algorithms).map((f) => f.spec));
    expect(request).toMatchObject({ grid: { useBaseline: [true, false] }, overrides: { algorithm: 'reinforce' }, seeds: [0, 1, 2, 3, 4] });
    expect(resolveTrials(request).trials).toHaveLength(10);
    // A template's name gives way to the next template's; a typed name stays. A template without a preset keeps a valid one.
    const clip = catalog.templates.find((t) => t.id === 'clip-vs-kl');
    if (!clip) throw new Error('no template');
    const next = applyTemplate(catalog, after, clip);
    expect(next).toMatchObject({ name: 'Clip vs adaptive KL', algorithms: ['ppo'], preset: 'zoo', fields: { objective: { mode: 'grid' } } });
    expect(Object.keys(next.fields)).toEqual(['objective']);
  });

  it("shows a field's preset value once when the algorithms agree, per algorithm when they differ", () => {
    const resolved = { ppo: { nSteps: 32, gamma: 0.99 }, a2c: { nSteps: 5, gamma: 0.99 } };
    expect(presetValueText({ name: 'gamma', owners: ['ppo', 'a2c'] }, resolved)).toBe('0.99');
    expect(presetValueText({ name: 'nSteps', owners: ['ppo', 'a2c'] }, resolved)).toBe('PPO 32 · A2C 5');
    expect(presetValueText({ name: 'nSteps', owners: ['ppo', 'trpo'] }, resolved)).toBe('');
  });
});

describe('templates, defaults and the tuned-preset hint', () => {
  const template = (id: string) => catalog.templates.find((t) => t.id === id)!;

  it('says a template replaced the sweep definition, and what it kept', () => {
    const before = form({ name: 'my sweep', env: 'Acrobot-v1' });
    expect(templateNotice(catalog, before, template('entropy-on-off'))).toBe(
      'Template “Entropy bonus on vs off” replaced the sweep definition: its algorithms, config fields, preset and seeds took the place of what the form had; the environment (Acrobot-v1) and the name you typed stayed. Reset form goes back to the defaults.',
    );
    // A template's own name is not one the user typed.
    const named = applyTemplate(catalog, form(), template('clip-vs-kl'));
    expect(templateNotice(catalog, named, template('entropy-on-off'))).toMatch(/; the environment \(CartPole-v1\) stayed\./);
  });

  it("selects a demonstration template's own environment, and says so", () => {
    const entropy = template('entropy-exploration');
    expect(entropy.env).toBe('MountainCarContinuous-v0');
    const after = applyTemplate(catalog, form({ env: 'CartPole-v1' }), entropy);
    expect(after.env).toBe('MountainCarContinuous-v0');
    expect(templateNotice(catalog, form({ env: 'CartPole-v1' }), entropy)).toMatch(/its environment \(MountainCarContinuous-v0, where its figures were measured\), algorithms/);
    // A template for any environment keeps the chosen one.
    expect(applyTemplate(catalog, form({ env: 'Pendulum-v1' }), template('clip-vs-kl')).env).toBe('Pendulum-v1');
  });

  it('resets to the form as it first opens', () => {
    expect(defaultForm(catalog)).toEqual({ name: '', env: catalog.envs[0]!.id, algorithms: ['ppo'], preset: 'sb3-defaults', seeds: '0, 1, 2', samples: '8', fields: {} });
    // What a template left behind is gone.
    const afterTemplate = applyTemplate(catalog, form(), template('clip-vs-kl'));
    expect(afterTemplate.fields).not.toEqual({});
    expect(defaultForm(catalog).fields).toEqual({});
  });

  it('suggests RL Zoo’s tuned preset where the untuned defaults do not learn within the budget', () => {
    expect(tunedPresetHint(catalog, form({ env: 'Pendulum-v1' }))).toEqual({
      preset: 'zoo',
      action: 'Use RL Zoo (tuned)',
      message: 'With SB3 defaults, PPO does not learn Pendulum-v1 within the budget; RL Zoo (tuned) has hyperparameters tuned for this environment.',
    });
    expect(tunedPresetHint(catalog, form({ env: 'MountainCar-v0', algorithms: ['ppo', 'a2c'], preset: 'sb3-defaults' }))?.preset).toBe('zoo');
    // Not on the tuned preset already, not where the defaults learn, not for REINFORCE (no RL Zoo entry).
    expect(tunedPresetHint(catalog, form({ env: 'Pendulum-v1', preset: 'zoo' }))).toBeNull();
    expect(tunedPresetHint(catalog, form({ env: 'CartPole-v1' }))).toBeNull();
    expect(tunedPresetHint(catalog, form({ env: 'Pendulum-v1', algorithms: ['reinforce'], preset: 'defaults' }))).toBeNull();
    // Nor for presets that were not measured (CleanRL's continuous defaults train 1e6 steps with normalization).
    expect(tunedPresetHint(catalog, form({ env: 'Pendulum-v1', preset: 'cleanrl' }))).toBeNull();
  });
});
