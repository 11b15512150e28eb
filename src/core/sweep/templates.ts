/**
 * Built-in sweep templates: classic PPO ablations that work on any environment, each across 5 seeds.
 * - `clip-vs-kl`: the clipped surrogate against the adaptive KL penalty (PPO paper §3 vs §4).
 * - `entropy-on-off`: no entropy bonus (SB3's default entCoef 0) against entCoef 0.01 (the Atari setting).
 */
import type { AxisValue, SweepSpec } from './spec';

export interface SweepTemplate {
  id: string;
  label: string;
  description: string;
  grid: Record<string, AxisValue[]>;
  seeds: number[];
}

const FIVE_SEEDS = [0, 1, 2, 3, 4];

export const SWEEP_TEMPLATES: readonly SweepTemplate[] = Object.freeze<SweepTemplate[]>([
  {
    id: 'clip-vs-kl',
    label: 'Clip vs adaptive KL',
    description: 'Clipped surrogate objective against the adaptive KL penalty (β halves/doubles around the KL target), 5 seeds each.',
    grid: { objective: ['clip', 'kl-adaptive'] },
    seeds: FIVE_SEEDS,
  },
  {
    id: 'entropy-on-off',
    label: 'Entropy bonus on vs off',
    description: 'No entropy bonus (entCoef 0) against entCoef 0.01, 5 seeds each.',
    grid: { entCoef: [0, 0.01] },
    seeds: FIVE_SEEDS,
  },
]);

/** A sweep spec from a template for `env`; throws for an unknown template id. */
export function sweepFromTemplate(
  id: string,
  env: string,
  options: { preset?: string; name?: string; overrides?: Record<string, unknown> } = {},
): SweepSpec {
  const template = SWEEP_TEMPLATES.find((t) => t.id === id);
  if (!template) throw new Error(`unknown sweep template '${id}' (known: ${SWEEP_TEMPLATES.map((t) => t.id).join(', ')})`);
  return {
    name: options.name ?? `${template.label} on ${env}`,
    env,
    preset: options.preset ?? 'zoo',
    description: template.description,
    grid: Object.fromEntries(Object.entries(template.grid).map(([key, values]) => [key, [...values]])),
    seeds: [...template.seeds],
    ...(options.overrides ? { overrides: { ...options.overrides } } : {}),
  };
}
