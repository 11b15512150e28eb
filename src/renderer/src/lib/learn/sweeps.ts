/**
 * The small sweep each data figure's empty state offers: a built-in template (src/core/sweep/templates.ts) with one
 * seed and a budget of 20,480 steps on CartPole-v1, so it trains in well under a minute per run on two cores.
 */
import type { SweepRequest } from '../../../../core/api/contract';
import { sweepFromTemplate } from '../../../../core/sweep/templates';

/** The figures that need runs, and so have an empty state with a sweep. */
export type DataFigure = 'clip' | 'epochs' | 'beta' | 'trust';

const BUDGET = 20_480;

/** Template id, and the grid values kept where a figure needs only some of the template's trials. */
const TEMPLATES: Record<DataFigure, { template: string; grid?: SweepRequest['grid'] }> = {
  // Clipped against unclipped: the unclipped runs' ratios spread far past 1 ± ε, the clipped ones' stay near.
  clip: { template: 'why-clip' },
  // 20 epochs per update: the spread grows epoch by epoch.
  epochs: { template: 'why-clip' },
  beta: { template: 'kl-targets' },
  trust: { template: 'ppo-a2c-trpo', grid: { algorithm: ['ppo', 'trpo'] } },
};

/** The template a figure's empty state launches (its id, for the label from the catalog). */
export const learnTemplateOf = (figure: DataFigure): string => TEMPLATES[figure].template;

/** The sweep request of a figure's empty state. */
export function learnSweep(figure: DataFigure, env = 'CartPole-v1'): SweepRequest {
  const { template, grid } = TEMPLATES[figure];
  const spec = sweepFromTemplate(template, env, { overrides: { totalTimesteps: BUDGET } });
  return { ...spec, grid: { ...spec.grid, ...grid }, seeds: [0] };
}
