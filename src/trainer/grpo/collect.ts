/**
 * GRPO's batch: `groupsPerUpdate` groups of `groupSize` whole episodes, the episodes of a group all begun from one
 * start state. Each group draws a reset seed from the run's random stream; every episode of the group begins with
 * its env reset with that seed (`VectorEnv.resetEnv`), so the group's start states are identical bit for bit and its
 * episodes differ only by the policy's sampling — DeepSeekMath's G outputs for one question (Shao et al. 2024, §4.1).
 *
 * The episodes are slots (group, member) handed out in order to the envs as they come free: at the batch's start
 * every env takes the next slot; an env whose episode ends takes the next one on the following step. All envs step
 * together (ppo/rollout.ts `rolloutStep`, each transition at [step][env]); an env with no slot left runs on until
 * the batch's last episode ends, and those steps count toward the budget but are not trained on (reported as
 * discarded; none with one env). The envs' running episodes are abandoned at the batch's end: the next batch resets
 * every env with its own groups' seeds.
 *
 * No truncation bootstrap (there is no value function): the rollout context has `bootstrapTruncated` false for GRPO
 * (ppo/state.ts), so the rewards stay as received. With observation normalization the start observation of a reset
 * env is normalized with the statistics of the moment without updating them (the step that ended the previous
 * episode already counted one start observation for that env), so the policy sees a group's identical states
 * through slightly different statistics.
 */
import type { VectorEnv } from '../../core/envs/vector-env';
import type { RolloutBuffer, RolloutContext, RolloutState } from '../ppo/rollout';
import { rolloutStep, stepScratch } from '../ppo/rollout';

/** Reset seeds are drawn uniformly from [0, 2³¹). */
const SEED_RANGE = 2 ** 31;

/** One trained episode: rows `[start, start + length)` of column `env` of the buffer. */
export interface GroupEpisode {
  env: number;
  start: number;
  length: number;
  /** Its group (0 … groupsPerUpdate − 1) and place in the group (0 … groupSize − 1). */
  group: number;
  member: number;
}

export interface GroupBatch {
  /** Per group, its episodes in member order. */
  groups: GroupEpisode[][];
  /** Each group's reset seed. */
  seeds: number[];
  /** Env steps taken (buffer.nSteps × nEnvs), trained on or not. */
  envSteps: number;
  /** Env steps not trained on: envs with no slot left waiting for the batch's last episode. */
  discardedSteps: number;
}

/** Collects one batch of groups into `buffer` (see the file comment). */
export function collectGroups(
  ctx: RolloutContext,
  env: VectorEnv,
  state: RolloutState,
  buffer: RolloutBuffer,
  groupSize: number,
  groupsPerUpdate: number,
): GroupBatch {
  const { params, distribution, prng, normalize } = ctx;
  const nEnvs = env.numEnvs;
  const obsDim = env.obsDim;
  const slots = groupSize * groupsPerUpdate;
  const seeds = Array.from({ length: groupsPerUpdate }, () => prng.integer(SEED_RANGE));
  const groups: GroupEpisode[][] = Array.from({ length: groupsPerUpdate }, () => new Array<GroupEpisode>(groupSize));
  const slotOf = new Int32Array(nEnvs).fill(-1);
  const startOf = new Int32Array(nEnvs);
  let nextSlot = 0;

  /** Env `e` takes the next slot from step `step` on (reset with its group's seed), or idles when none is left. */
  const begin = (e: number, step: number): void => {
    if (nextSlot >= slots) {
      slotOf[e] = -1;
      return;
    }
    slotOf[e] = nextSlot;
    startOf[e] = step;
    const raw = env.resetEnv(e, seeds[Math.floor(nextSlot / groupSize)]);
    nextSlot += 1;
    state.observations.set(normalize ? normalize.normalizeObsBatch(raw, false) : raw, e * obsDim);
    state.episodeStarts[e] = 1;
  };

  buffer.reset();
  distribution.resetNoise(params, prng, nEnvs);
  for (let e = 0; e < nEnvs; e++) begin(e, 0);
  const scratch = stepScratch(nEnvs, distribution.actionDim);
  let finished = 0;
  let trained = 0;
  for (let step = 0; finished < slots; step++) {
    const result = rolloutStep(ctx, state, buffer, step, scratch);
    for (let e = 0; e < nEnvs; e++) {
      if (!(result.terminated[e] || result.truncated[e]) || slotOf[e] < 0) continue;
      const slot = slotOf[e];
      const length = step + 1 - startOf[e];
      groups[Math.floor(slot / groupSize)][slot % groupSize] = { env: e, start: startOf[e], length, group: Math.floor(slot / groupSize), member: slot % groupSize };
      finished += 1;
      trained += length;
      begin(e, step + 1);
    }
  }
  const envSteps = buffer.nSteps * nEnvs;
  return { groups, seeds, envSteps, discardedSteps: envSteps - trained };
}
