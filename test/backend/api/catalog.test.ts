import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/backend/api/catalog';
import { fieldDoc } from '../../../src/core/api/config-fields';
import { ALGORITHM_FIELDS, ALGORITHMS, CONFIG_DEFAULTS, type AnyConfigField } from '../../../src/core/training/config';
import { ALGORITHM_PRESETS } from '../../../src/core/training/presets';

const catalog = buildCatalog();
const info = (id: string) => {
  const found = catalog.algorithms.find((a) => a.id === id);
  if (!found) throw new Error(`no ${id} in the catalog`);
  return found;
};

describe('the config catalog', () => {
  it('lists every algorithm with its schema fields (no `algorithm`), each with its own meaning and default', () => {
    expect(catalog.algorithms.map((a) => a.id)).toEqual([...ALGORITHMS]);
    for (const algorithm of ALGORITHMS) {
      const { fields } = info(algorithm);
      expect(fields.map((f) => f.name)).toEqual(ALGORITHM_FIELDS[algorithm].filter((f) => f !== 'algorithm'));
      for (const field of fields) {
        expect(field.doc).toBe(fieldDoc(field.name as AnyConfigField, algorithm));
        expect(field.default).toEqual((CONFIG_DEFAULTS[algorithm] as Record<string, unknown>)[field.name]);
      }
    }
    // The same field means different things: TRPO's learning rate is its critic's, A2C's a one-step RMSprop rate.
    const lr = (id: string) => info(id).fields.find((f) => f.name === 'learningRate')?.doc;
    expect(lr('trpo')).toMatch(/critic/);
    expect(lr('a2c')).toMatch(/RMSprop/);
    expect(lr('ppo')).toBe('Adam step size at the start of training.');
    // Kinds and options follow each algorithm's schema.
    expect(info('a2c').fields.find((f) => f.name === 'normalizeAdvantage')).toMatchObject({ kind: 'enum', options: ['per-batch', 'off'], default: 'off' });
    expect(info('ppo').fields.find((f) => f.name === 'normalizeAdvantage')?.options).toEqual(['per-minibatch', 'per-batch', 'off']);
    expect(info('trpo').fields.find((f) => f.name === 'cgMaxSteps')).toMatchObject({ kind: 'integer', default: 15, nullable: false });
    expect(info('reinforce').fields.find((f) => f.name === 'maxGradNorm')).toMatchObject({ kind: 'number', nullable: true, default: null });
  });

  it("gives each algorithm its presets with descriptions and its tuned preset", () => {
    for (const algorithm of ALGORITHMS) {
      expect(info(algorithm).presets.map((p) => [p.name, p.description])).toEqual(Object.entries(ALGORITHM_PRESETS[algorithm]).map(([name, p]) => [name, p?.description]));
    }
    expect(info('trpo').presets.map((p) => p.label)).toEqual(['sb3-contrib defaults', 'RL Zoo (tuned)']);
    expect(catalog.algorithms.map((a) => a.tunedPreset)).toEqual(['zoo', 'zoo', 'zoo', 'tuned', 'tuned']);
    expect(info('grpo').description).toMatch(/DeepSeekMath/);
    expect(info('grpo').fields.map((f) => f.name)).toEqual(expect.arrayContaining(['groupSize', 'groupsPerUpdate', 'groupAdvantage', 'beta', 'refSyncInterval']));
    expect(info('grpo').fields.find((f) => f.name === 'groupAdvantage')).toMatchObject({ kind: 'enum', options: ['outcome', 'reward-to-go'], default: 'outcome' });
    expect(info('grpo').fields.find((f) => f.name === 'beta')?.doc).toMatch(/reference policy/);
    expect(info('reinforce').description).toMatch(/Williams 1992/);
  });

  it('lists every field of any algorithm once, with the algorithms that have it', () => {
    const byName = new Map(catalog.fields.map((f) => [f.name, f]));
    expect(byName.get('cgDamping')?.algorithms).toEqual(['trpo']);
    expect(byName.get('nEpochs')?.algorithms).toEqual(['ppo', 'grpo']);
    expect(byName.get('entCoef')?.algorithms).toEqual(['ppo', 'a2c', 'reinforce', 'grpo']);
    expect(byName.get('vfLayers')?.algorithms).toEqual(['ppo', 'a2c', 'trpo', 'reinforce']);
    expect(byName.get('gamma')?.algorithms).toEqual([...ALGORITHMS]);
    expect(byName.has('algorithm')).toBe(false);
    expect(catalog.fields).toHaveLength(new Set(ALGORITHMS.flatMap((a) => ALGORITHM_FIELDS[a])).size - 1);
  });

  it('describes the templates with their algorithms, grid, overrides and preset', () => {
    const ancestors = catalog.templates.find((t) => t.id === 'ppo-a2c-trpo');
    expect(ancestors).toMatchObject({ label: 'PPO vs A2C vs TRPO', algorithms: ['ppo', 'a2c', 'trpo'], grid: { algorithm: ['ppo', 'a2c', 'trpo'] }, preset: 'zoo', seeds: [0, 1, 2, 3, 4] });
    const baseline = catalog.templates.find((t) => t.id === 'reinforce-baseline');
    expect(baseline).toMatchObject({ algorithms: ['reinforce'], grid: { useBaseline: [true, false] }, overrides: { algorithm: 'reinforce' }, preset: 'tuned' });
    const grpo = catalog.templates.find((t) => t.id === 'ppo-vs-grpo');
    expect(grpo).toMatchObject({ label: 'PPO (critic) vs GRPO (group baseline)', algorithms: ['ppo', 'grpo'], preset: 'zoo' });
    const clip = catalog.templates.find((t) => t.id === 'clip-vs-kl');
    expect(clip?.algorithms).toEqual(['ppo']);
    expect(clip).not.toHaveProperty('preset');
  });
});
