/**
 * Built-in sweep templates, each across 5 seeds and on any environment:
 * - `clip-vs-kl`: the clipped surrogate against the adaptive KL penalty (PPO paper §3 vs §4).
 * - `entropy-on-off`: no entropy bonus (SB3's default entCoef 0) against entCoef 0.01 (the Atari setting).
 * - `ppo-a2c-trpo`: PPO against its ancestors A2C and TRPO, each with its RL Zoo tuned hyperparameters (`zoo`), as
 *   the PPO paper compares them (Schulman et al. 2017, §6.1).
 * - `reinforce-baseline`: REINFORCE with a learned state-value baseline against without one (Williams 1992; Sutton &
 *   Barto 2018, §13.4), on REINFORCE's tuned preset.
 * - `ppo-vs-grpo`: PPO's learned critic against GRPO's group baseline (Shao et al. 2024: GRPO drops the value
 *   network and compares each episode with others from the same start), PPO's RL Zoo preset and GRPO's tuned one.
 * - `true-vs-learned-reward`: PPO on the environment's reward against PPO on a reward learned from at most 2,000
 *   preferences of a synthetic rater between pairs of its rollout segments (Christiano et al. 2017), RL Zoo preset.
 *
 * A template is a whole sweep definition but for the environment and the name: its algorithm(s) (a grid axis or an
 * override `algorithm`; PPO when it names none), its grid, overrides, preset and seeds.
 */
import { ALGORITHMS, isAlgorithm, type Algorithm } from '../training/config';
import type { AxisValue, SweepSpec } from './spec';

export interface SweepTemplate {
  id: string;
  label: string;
  description: string;
  grid: Record<string, AxisValue[]>;
  /** Fields set in every trial (e.g. `algorithm`). */
  overrides?: Record<string, unknown>;
  /** The preset the sweep starts from; when absent, whatever preset the sweep (or the form) already has. */
  preset?: string;
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
  {
    id: 'ppo-a2c-trpo',
    label: 'PPO vs A2C vs TRPO',
    description: 'PPO against its ancestors A2C and TRPO, each with its RL Zoo tuned hyperparameters, 5 seeds each.',
    grid: { algorithm: ['ppo', 'a2c', 'trpo'] },
    preset: 'zoo',
    seeds: FIVE_SEEDS,
  },
  {
    id: 'reinforce-baseline',
    label: 'REINFORCE with vs without baseline',
    description: 'REINFORCE with a learned state-value baseline against without one (the variance it removes), tuned preset, 5 seeds each.',
    grid: { useBaseline: [true, false] },
    overrides: { algorithm: 'reinforce' },
    preset: 'tuned',
    seeds: FIVE_SEEDS,
  },
  {
    id: 'ppo-vs-grpo',
    label: 'PPO (critic) vs GRPO (group baseline)',
    description:
      'PPO with its learned value network against GRPO, which has none: each episode is judged against others started from the same state. PPO on its RL Zoo preset, GRPO on its tuned one, 5 seeds each. Compare the steps each needs, and GRPO\'s share of groups with no spread (no signal).',
    grid: { algorithm: ['ppo', 'grpo'] },
    preset: 'zoo',
    seeds: FIVE_SEEDS,
  },
  {
    id: 'true-vs-learned-reward',
    label: 'True reward vs learned from 2,000 preferences',
    description:
      'PPO on the environment\'s reward against PPO on a reward learned from preferences: a simulated rater compares pairs of 25-step pieces of the rollouts by their true return (10 pairs per update, at most 2,000 in all), a small network learns a reward that explains its choices, and PPO maximizes that. RL Zoo preset, 5 seeds each. The episode returns shown are always the environment\'s: see how close the learned reward gets, and the held-out accuracy and labels used.',
    grid: { rewardSource: ['env', 'preferences'] },
    overrides: { preferenceLabelBudget: 2000, preferenceLabelsPerUpdate: 10, preferenceSegmentLength: 25 },
    preset: 'zoo',
    seeds: FIVE_SEEDS,
  },
]);

/**
 * The algorithms a template trains, in its order: its `algorithm` grid axis, else its `algorithm` override, else PPO.
 * Throws for a value that is no algorithm (a template bug).
 */
export function templateAlgorithms(template: Pick<SweepTemplate, 'grid' | 'overrides'>): Algorithm[] {
  const values = template.grid['algorithm'] ?? (template.overrides?.['algorithm'] !== undefined ? [template.overrides['algorithm']] : ['ppo']);
  return values.map((value) => {
    if (!isAlgorithm(value)) throw new Error(`template algorithm ${JSON.stringify(value)} is not one of ${ALGORITHMS.join(', ')}`);
    return value;
  });
}

/** A sweep spec from a template for `env`; throws for an unknown template id. */
export function sweepFromTemplate(
  id: string,
  env: string,
  options: { preset?: string; name?: string; overrides?: Record<string, unknown> } = {},
): SweepSpec {
  const template = SWEEP_TEMPLATES.find((t) => t.id === id);
  if (!template) throw new Error(`unknown sweep template '${id}' (known: ${SWEEP_TEMPLATES.map((t) => t.id).join(', ')})`);
  const overrides = { ...(template.overrides ?? {}), ...(options.overrides ?? {}) };
  return {
    name: options.name ?? `${template.label} on ${env}`,
    env,
    preset: options.preset ?? template.preset ?? 'zoo',
    description: template.description,
    grid: Object.fromEntries(Object.entries(template.grid).map(([key, values]) => [key, [...values]])),
    seeds: [...template.seeds],
    ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
  };
}
