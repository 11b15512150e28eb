/**
 * Which trials can train together as one pack (src/trainer/pack/pack.ts: several PPO trials in one trainer process,
 * the network pass batched over members), and how a queue of trials forms packs. Pure: the trainer checks a pack
 * with these, the run queue forms packs with them.
 *
 * Members must share what fixes the shapes of the batched computation — environment (its spaces fix the network's
 * input and head), nEnvs, nSteps, batchSize, nEpochs, the network (shared / policy / value layers, activation, gSDE)
 * — and the backend (one per process). Every other field may differ: learning rate and schedules, clip range, ent/vf
 * coefficients, γ, λ, objective and its KL, β / d_targ, target KL, normalization, init, seed, totalTimesteps.
 */
import type { PpoConfig, TrainConfig } from './config';

/** Why `config` cannot be a pack member, or null when it can. */
export function packRefusal(config: TrainConfig): string | null {
  if (config.algorithm !== 'ppo') return `only PPO is packed (this trial is ${config.algorithm})`;
  if (config.rolloutMode !== 'steps') return 'whole-episode rollouts (rolloutMode "episodes") give members buffers of different sizes';
  if (config.rewardSource !== 'env') return 'rewards learned from preferences need a reward model per member, not packed yet';
  return null;
}

/** What trials of one pack must share; trials with equal keys (and no `packRefusal`) can train as one pack. */
export function packKey(config: PpoConfig): string {
  const { envId, nEnvs, nSteps, batchSize, nEpochs, sharedLayers, piLayers, vfLayers, activation, useSde, backend } = config;
  return JSON.stringify({ envId, nEnvs, nSteps, batchSize, nEpochs, sharedLayers, piLayers, vfLayers, activation, useSde, backend });
}

/** A group of trials to start in one trainer process: a pack (≥ 1 packable members) or one trial that cannot be packed. */
export interface TrialGroup<T> {
  trials: T[];
  /** Why these trials train alone (`packRefusal`); null for a pack. */
  solo: string | null;
}

/**
 * Groups `trials` (queue order kept within and across groups by each group's first trial) into packs of at most
 * `maxMembers` compatible trials; a trial that cannot be packed is a group of its own with the reason.
 */
export function formPacks<T>(trials: readonly T[], configOf: (trial: T) => TrainConfig, maxMembers: number): TrialGroup<T>[] {
  if (!(maxMembers >= 1)) throw new Error(`formPacks: maxMembers must be ≥ 1 (got ${maxMembers})`);
  const groups: TrialGroup<T>[] = [];
  const open = new Map<string, TrialGroup<T>>();
  for (const trial of trials) {
    const config = configOf(trial);
    const refusal = packRefusal(config);
    if (refusal) {
      groups.push({ trials: [trial], solo: refusal });
      continue;
    }
    const key = packKey(config as PpoConfig);
    let group = open.get(key);
    if (!group || group.trials.length >= maxMembers) {
      group = { trials: [], solo: null };
      groups.push(group);
      open.set(key, group);
    }
    group.trials.push(trial);
  }
  return groups;
}
