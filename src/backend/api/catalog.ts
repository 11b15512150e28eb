/**
 * The catalog the New sweep form and the charts need: environments, presets, sweep templates, the config form's
 * fields (derived from the PpoConfig schema, so the form follows the schema), and metric meanings.
 */
import type { z } from 'zod';
import type { Catalog } from '../../core/api/contract';
import { CONFIG_FIELD_DOCS } from '../../core/api/config-fields';
import { ENV_IDS, getEnvSpec } from '../../core/envs';
import { METRIC_MEANINGS } from '../../core/metrics/keys';
import { PPO_DEFAULTS, ppoConfigSchema, type PpoConfig } from '../../core/training/config';
import { PRESETS } from '../../core/training/presets';
import { SWEEP_TEMPLATES } from '../../core/sweep';

const PRESET_LABELS: Record<string, string> = {
  zoo: 'RL Zoo (tuned)',
  'sb3-defaults': 'SB3 defaults',
  cleanrl: 'CleanRL defaults',
  'seed-blog': 'Seed blog',
};

type Field = Catalog['fields'][number];

/** Reads a zod field's kind (number/integer/boolean/enum/layers/string) and nullability. */
function describeField(schema: z.ZodType): Pick<Field, 'kind' | 'nullable' | 'options'> {
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
  const fields = (Object.keys(ppoConfigSchema.shape) as (keyof PpoConfig)[]).map((name) => ({
    name,
    doc: CONFIG_FIELD_DOCS[name],
    default: PPO_DEFAULTS[name],
    ...describeField(ppoConfigSchema.shape[name] as z.ZodType),
  }));
  return {
    envs,
    presets: Object.entries(PRESETS).map(([name, preset]) => ({
      name,
      label: PRESET_LABELS[name] ?? name,
      description: preset.description,
    })),
    templates: SWEEP_TEMPLATES.map((t) => ({ ...t })),
    fields,
    metrics: Object.entries(METRIC_MEANINGS).map(([key, meaning]) => ({ key, meaning })),
  };
}
