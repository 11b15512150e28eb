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
 * - `why-clip`, `kl-targets`, `entropy-exploration`: the study notes' demonstrations (issue 16), each on the
 *   environment and budget it was measured on (`env`); their descriptions quote what `bench/demos.ts` measured, and
 *   their `expect` is the claim it checks.
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
  /**
   * The environment the description's figures were measured on (a demonstration's), or absent for a template that
   * fits any environment. Other environments still run; only the figures are not theirs.
   */
  env?: string;
  /** A demonstration's claim, checked over its seeds by `bench/demos.ts` (the pass thresholds' one home). */
  expect?: DemoExpectation;
}

/**
 * What counts for one seed of a demonstration, on its evaluation curve (the periodic evaluations' mean returns in step
 * order) or its updates:
 * - `collapse`: the curve collapses (`firstCollapse` in core/math/collapse: once the running best has reached
 *   `minBest`, an evaluation at or below (1 − `drop`) × that best);
 * - `reaches`: some evaluation's mean return exceeds `above`;
 * - `kl-tracks`: the median of `train/kl_after_update` over the second half of the updates lies within
 *   [d_targ / `band`, `band` · d_targ] of the run's own `klTarget`.
 */
export type DemoCriterion =
  | { kind: 'collapse'; drop: number; minBest: number }
  | { kind: 'reaches'; above: number }
  | { kind: 'kl-tracks'; band: number };

/**
 * A demonstration's claim: for each value of its one grid axis, how many of its seeds must (`atLeast`) or may at most
 * (`atMost`) meet `criterion`.
 */
export interface DemoExpectation {
  criterion: DemoCriterion;
  seedsMeeting: { value: AxisValue; atLeast?: number; atMost?: number }[];
}

const FIVE_SEEDS = [0, 1, 2, 3, 4];

const WHY_CLIP: SweepTemplate = {
  id: 'why-clip',
  label: 'Why clip? (clipped vs unclipped surrogate)',
  description: 
    'PPO\'s clipped surrogate against the unclipped one (objective "none") on CartPole-v1, on settings that invite large policy steps: RL Zoo\'s CartPole preset with a constant learning rate of 0.001 and minibatches of 64 (20 epochs × 4 minibatches per rollout of 256 steps), 50,000 steps, an evaluation every 2,048 steps, 5 seeds each. A run collapses when, once its best evaluation so far has reached 400, an evaluation falls to half of that best or lower. You should see the unclipped runs rise and then drop sharply (measured: 5 of 5 seeds collapse, e.g. 500 → 123) while the clipped runs rise to 500 and stay (measured: 0 of 5 collapse).',
  grid: { objective: ['clip', 'none'] },
  overrides: { totalTimesteps: 50_000, learningRate: 1e-3, learningRateSchedule: 'constant', batchSize: 64, evalFreq: 2_048 },
  preset: 'zoo',
  seeds: FIVE_SEEDS,
  env: 'CartPole-v1',
  expect: {
    criterion: { kind: 'collapse', drop: 0.5, minBest: 400 },
    seedsMeeting: [
      { value: 'clip', atMost: 0 },
      { value: 'none', atLeast: 4 },
    ],
  },
};

const KL_TARGETS: SweepTemplate = {
  id: 'kl-targets',
  label: 'What β does (adaptive KL targets)',
  description: 
    'The adaptive KL penalty (objective kl-adaptive, β starting at 1) with three KL targets d_targ — 0.003, 0.01 and 0.03 — on CartPole-v1: RL Zoo\'s preset with a constant learning rate (an annealed one shrinks the steps by itself and hides what β does), 50,000 steps, 1 seed each. After each update β doubles when the KL after it exceeds 1.5·d_targ and halves below d_targ/1.5. In Compare, chart "train/kl_after_update" and "train/beta": you should see each run\'s KL hover around its own target while β settles lower the looser the target (measured: median KL over the second half 0.93, 1.00 and 0.95 × d_targ; β ranged 0.25–8, 0.125–4 and 0.008–1). Single updates scatter: about a quarter of them land within d_targ/1.5 to 1.5·d_targ.',
  grid: { klTarget: [0.003, 0.01, 0.03] },
  overrides: { objective: 'kl-adaptive', totalTimesteps: 50_000, learningRateSchedule: 'constant' },
  preset: 'zoo',
  seeds: [0],
  env: 'CartPole-v1',
  expect: {
    criterion: { kind: 'kl-tracks', band: 1.5 },
    seedsMeeting: [0.003, 0.01, 0.03].map((value) => ({ value, atLeast: 1 })),
  },
};

const ENTROPY_EXPLORATION: SweepTemplate = {
  id: 'entropy-exploration',
  label: 'Entropy bonus and exploration',
  description:
    'No entropy bonus (entCoef 0) against a large one (entCoef 0.2) on MountainCarContinuous-v0, where every unit of force costs reward and only reaching the flag pays (+100): a policy that narrows too early learns that standing still is cheapest and never finds the flag. SB3\'s PPO defaults with observations and rewards normalized, a constant learning rate of 0.001, 60,000 steps, an evaluation every 10,000 steps, 5 seeds each. A seed reaches the goal when an evaluation\'s return exceeds 0 (only reaching the flag can make it positive). You should see every entCoef 0 run flat at about 0 from the first evaluation on — the car hardly moves, which costs nothing — while the entCoef 0.2 runs jump to about +92 within 10,000–20,000 steps and stay (measured: 0 of 5 seeds without the bonus reach the goal, 5 of 5 with it; final returns −0.0 against 91.9–92.7). In Replay, untick deterministic and move the sampling temperature (0 = greedy, 1 = the policy as trained, above 1 wider) to see how wide the bonus kept the policy; Learn\'s "Entropy and temperature" figure draws its action distribution at any state of a saved episode.',
  grid: { entCoef: [0, 0.2] },
  overrides: { totalTimesteps: 60_000, evalFreq: 10_000, normalizeObs: true, normalizeReward: true, learningRate: 1e-3, learningRateSchedule: 'constant' },
  preset: 'sb3-defaults',
  seeds: FIVE_SEEDS,
  env: 'MountainCarContinuous-v0',
  expect: {
    criterion: { kind: 'reaches', above: 0 },
    seedsMeeting: [
      { value: 0, atMost: 1 },
      { value: 0.2, atLeast: 4 },
    ],
  },
};

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
  WHY_CLIP,
  KL_TARGETS,
  ENTROPY_EXPLORATION,
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
