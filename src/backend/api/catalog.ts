/**
 * The catalog the New sweep form and the charts need: environments; per algorithm its presets and its config fields
 * (derived from that algorithm's schema, so the form follows the schemas, each field with its meaning for that
 * algorithm and its default); sweep templates; and metric meanings.
 */
import type { z } from 'zod';
import type { AlgorithmInfo, Catalog, ConfigFieldInfo } from '../../core/api/contract';
import { ALGORITHM_DOCS, CONFIG_FIELD_DOCS, fieldDoc, fieldDocId } from '../../core/api/config-fields';
import { ENV_IDS, getEnvSpec } from '../../core/envs';
import { METRIC_MEANINGS } from '../../core/metrics/keys';
import {
  a2cConfigSchema,
  ALGORITHM_LABELS,
  ALGORITHMS,
  CONFIG_DEFAULTS,
  grpoConfigSchema,
  ppoConfigSchema,
  reinforceConfigSchema,
  trpoConfigSchema,
  type Algorithm,
  type AnyConfigField,
} from '../../core/training/config';
import { ALGORITHM_PRESETS, presetLabel, TUNED_PRESET, type Preset } from '../../core/training/presets';
import { SWEEP_TEMPLATES, templateAlgorithms } from '../../core/sweep';

const SCHEMAS: Readonly<Record<Algorithm, z.ZodObject>> = {
  ppo: ppoConfigSchema,
  a2c: a2cConfigSchema,
  trpo: trpoConfigSchema,
  reinforce: reinforceConfigSchema,
  grpo: grpoConfigSchema,
};

/** Reads a zod field's kind (number/integer/boolean/enum/layers/string) and nullability. */
function describeField(schema: z.ZodType): Pick<ConfigFieldInfo, 'kind' | 'nullable' | 'options'> {
  let inner = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType } };
  let nullable = false;
  while (inner.def.type === 'nullable' || inner.def.type === 'optional' || inner.def.type === 'default') {
    nullable ||= inner.def.type === 'nullable';
    inner = inner.def.innerType as typeof inner;
  }
  switch (inner.def.type) {
    case 'number': {
      const integer = (inner as unknown as z.ZodNumber).format?.includes('int') ?? false;
      return { kind: integer ? 'integer' : 'number', nullable };
    }
    case 'boolean':
      return { kind: 'boolean', nullable };
    case 'enum':
      return { kind: 'enum', nullable, options: (inner as unknown as z.ZodEnum).options.map(String) };
    case 'array':
      return { kind: 'layers', nullable };
    default:
      return { kind: 'string', nullable };
  }
}

/** One algorithm's fields (schema order, `algorithm` left out), presets and tuned preset. */
function algorithmInfo(algorithm: Algorithm): AlgorithmInfo {
  const schema = SCHEMAS[algorithm];
  const defaults = CONFIG_DEFAULTS[algorithm] as Readonly<Record<string, unknown>>;
  const fields = (Object.keys(schema.shape) as AnyConfigField[])
    .filter((name) => name !== 'algorithm')
    .map((name) => ({ name, doc: fieldDoc(name, algorithm), docId: fieldDocId(name, algorithm), default: defaults[name], ...describeField(schema.shape[name] as z.ZodType) }));
  const presets = Object.entries(ALGORITHM_PRESETS[algorithm]).map(([name, preset]) => ({
    name,
    label: presetLabel(algorithm, name),
    description: (preset as Preset).description,
  }));
  return { id: algorithm, label: ALGORITHM_LABELS[algorithm], description: ALGORITHM_DOCS[algorithm], tunedPreset: TUNED_PRESET[algorithm], presets, fields };
}

/** Every field of any algorithm, in first-seen order, with its generic meaning, the first owner's kind and default. */
function allFields(algorithms: readonly AlgorithmInfo[]): Catalog['fields'] {
  const byName = new Map<string, Catalog['fields'][number]>();
  for (const info of algorithms) {
    for (const field of info.fields) {
      const known = byName.get(field.name);
      if (known) known.algorithms.push(info.id);
      else byName.set(field.name, { ...field, doc: CONFIG_FIELD_DOCS[field.name as AnyConfigField], docId: field.name, algorithms: [info.id] });
    }
  }
  return [...byName.values()];
}

export function buildCatalog(): Catalog {
  const envs = ENV_IDS.map((id) => {
    const spec = getEnvSpec(id);
    const action = spec.actionSpace;
    return {
      id,
      maxEpisodeSteps: spec.maxEpisodeSteps,
      rewardThreshold: spec.rewardThreshold,
      actionSpace:
        action.type === 'Discrete'
          ? { type: 'Discrete' as const, n: action.n }
          : { type: 'Box' as const, low: Array.from(action.low), high: Array.from(action.high) },
      observationDim: spec.observationSpace.shape.reduce((a, b) => a * b, 1),
    };
  });
  const algorithms = ALGORITHMS.map(algorithmInfo);
  return {
    envs,
    algorithms,
    templates: SWEEP_TEMPLATES.map((t) => ({
      id: t.id,
      label: t.label,
      description: t.description,
      algorithms: templateAlgorithms(t),
      grid: structuredClone(t.grid),
      ...(t.overrides ? { overrides: structuredClone(t.overrides) } : {}),
      ...(t.preset ? { preset: t.preset } : {}),
      ...(t.env ? { env: t.env } : {}),
      seeds: [...t.seeds],
    })),
    fields: allFields(algorithms),
    metrics: Object.entries(METRIC_MEANINGS).map(([key, meaning]) => ({ key, meaning })),
  };
}
