/**
 * Packing (issue 19, part 1): several PPO trials of a sweep trained in ONE trainer process as one batched
 * computation, the batch dimension being the member.
 *
 * Why: on the zoo presets a run's update spends most of its time on the fixed cost of each tiny tfjs kernel
 * (≈ 17–19 µs per op on tfjs-node, README "Benchmarks"), not on arithmetic. M trials with the same network shape can
 * share every kernel launch: one [M, B, in]·[M, in, out] matMul costs little more than one [B, in]·[in, out].
 *
 * Design:
 * - A member is a whole solo `TrainingState` (ppo/state.ts): its own envs (a vector env per member), parameters,
 *   Adam moments and step count, VecNormalize statistics, random streams (training and evaluation), rollout buffer,
 *   counters and episode window. So a member checkpoints, resumes and evaluates exactly as a solo run
 *   (`toCheckpoint`, `createTrainingState(config, checkpoint)`, `evaluatePolicy`), and can leave a pack (done,
 *   cancelled, failed) without touching the others.
 * - What is batched is the only part that pays per-op dispatch: the networks' forward and backward pass of a
 *   minibatch (pack/packed-backprop.ts). Each layer's weights go up as one [M, in + 1, out] tensor built on the host
 *   from the members' flat buffers (weights are stored per member, stacked only for the pass: Adam updates each
 *   member's buffer in place, as solo), and every matMul is a rank-3 batched one. Rollout inference is already plain
 *   JS (nn/inference.ts) and runs per member; so do GAE (core/math/returns via ppo/advantages.ts), the minibatch
 *   gather, the distribution's log-probs and chain rule, the loss and its output gradients, and Adam — all host
 *   loops whose cost is per row, which batching would not cut.
 * - Per-member scalar hyperparameters therefore need no [M] tensors at all: learning rate and its schedule, clip
 *   range and its schedule, ent/vf coefficients, value clipping, γ, λ, advantage normalization, max grad norm,
 *   Adam ε, target KL, seed, normalization, init — each member's host code reads its own config. Should the loss
 *   move onto the device (issue 19 part 2), these become [M, 1, 1] tensors broadcast over rows.
 * - Objectives may differ between members: clip, none, kl-fixed, clip+kl and kl-adaptive, with the k3 or the exact
 *   KL (the loss, π_old's recorded distributions and the KL's chain rule are host code per member on the packed
 *   pass's outputs; the β rule runs per member after the epochs). Refused, with the reason (`packRefusal`):
 *   whole-episode rollouts (members' buffers would differ in size), rewards learned from preferences (a reward model
 *   per member: not yet), other algorithms.
 * - Compatibility (core/training/packing.ts `packKey`, `packRefusal`; the queue forms packs with its `formPacks`):
 *   environment, nEnvs, nSteps, batchSize, nEpochs, network shape (shared / policy / value layers, activation, gSDE)
 *   and backend must be equal; every other field may differ. totalTimesteps may differ: a member that is done simply
 *   leaves the pass.
 * - Backends: tfjs-node's batched matMul runs each member's product at about its 2-D speed; tfjs-wasm's is ≈ 5× slower
 *   per member for a batch dimension > 1, so there a pack runs each member's solo pass instead
 *   (packed-backprop.ts `batchedPassPays`): no gain, no loss. `auto` therefore times the pack's own minibatch
 *   gradient on each backend (pack/pack-probe.ts), not one member's.
 * - Exactness: a member's update is its solo update op for op — same permutations from its own stream, same kernels
 *   (tfjs's 2-D matMul is its batched matMul with one batch), same host code — so its metrics and weights equal its
 *   solo run's within float32 round-off (test/trainer/pack/packed-update.test.ts).
 *
 * Not in this slice (issue 19): the queue forming packs and each member being its own run in the store (live
 * progress, cancel / resume one member, `--no-pack`); see the report of branch wt-pack.
 */
import type { PpoConfig } from '../../core/training/config';
import { packKey, packRefusal } from '../../core/training/packing';
import { scheduledValues } from '../../core/training/schedules';
import type { IterationTiming } from '../learner';
import { computeAdvantages } from '../ppo/advantages';
import type { Checkpoint } from '../ppo/checkpoint';
import { logMetrics } from '../ppo/metrics';
import { collectRollout, type RolloutContext } from '../ppo/rollout';
import { createTrainingState, rolloutContext, type TrainingState } from '../ppo/state';
import type { UpdateSchedule, UpdateStats } from '../ppo/update';
import { batchedPassPays } from './packed-backprop';
import { packedUpdate } from './packed-update';

/** One member: its solo training state and the rollout's view of it. */
export interface PackMember {
  readonly state: TrainingState<PpoConfig>;
  readonly rollout: RolloutContext;
}

export interface Pack {
  readonly key: string;
  readonly members: PackMember[];
}

/**
 * A pack of fresh members, or members resumed from their checkpoints (`resumes[m]`). `onEpisode(m, step, episode)`
 * gets each member's finished training episodes, at the step the solo loop reports them.
 */
export function createPack(
  configs: readonly PpoConfig[],
  opts: { resumes?: readonly (Checkpoint | undefined)[]; onEpisode?: (member: number, step: number, episode: { return: number; length: number }) => void } = {},
): Pack {
  if (configs.length === 0) throw new Error('createPack: a pack needs at least one member');
  const key = packKey(configs[0]);
  configs.forEach((config, m) => {
    const refusal = packRefusal(config);
    if (refusal) throw new Error(`createPack: member ${m} cannot be packed: ${refusal}`);
    if (packKey(config) !== key) throw new Error(`createPack: member ${m} differs from member 0 in environment, rollout shape, epochs, network or backend`);
  });
  const members = configs.map((config, m) => {
    const state = createTrainingState(config, opts.resumes?.[m]);
    const rollout = rolloutContext(state, (episode) => opts.onEpisode?.(m, state.stepsDone + state.buffer.nSteps * config.nEnvs, episode));
    return { state, rollout };
  });
  return { key, members };
}

/** What one member did in a pack iteration. */
export interface MemberIteration {
  readonly member: number;
  readonly schedule: UpdateSchedule;
  readonly stats: UpdateStats;
  /** The member's metric record (ppo/metrics.ts `logMetrics`) once timed. */
  metrics(timing: IterationTiming): Record<string, number>;
  /** Seconds this member's rollout took. */
  readonly rolloutSeconds: number;
}

/**
 * One iteration of the members in `active` (all by default; a member already at its totalTimesteps is skipped):
 * each collects its rollout and computes its advantages as solo (ppo/learner.ts), then one packed update.
 * Returns the iterations of the members that took part and the update's wall and CPU time (this process, every
 * thread), shared by them.
 */
export function packIteration(
  pack: Pack,
  active: readonly number[] = pack.members.map((_, m) => m),
  batched: boolean = batchedPassPays(),
): { members: MemberIteration[]; updateSeconds: number; updateCpuSeconds: number } {
  const taking = active.filter((m) => pack.members[m].state.stepsDone < pack.members[m].state.config.totalTimesteps);
  const rolloutSeconds: number[] = [];
  const schedules: UpdateSchedule[] = [];
  for (const m of taking) {
    const { state, rollout } = pack.members[m];
    const start = performance.now();
    // ---- Rollout: nSteps per env with the member's current policy ----
    state.stepsDone += collectRollout(rollout, state.rollout, state.buffer, { kind: 'steps', nSteps: state.config.nSteps });
    state.iteration += 1;
    // ---- Schedules (SB3: progress_remaining after the rollout), advantages: GAE(γ, λ) or n-step ----
    schedules.push(scheduledValues(state.config, state.stepsDone));
    computeAdvantages(state.config, state.buffer);
    rolloutSeconds.push((performance.now() - start) / 1000);
  }
  // ---- Update: every member's epochs of minibatches, the network passes batched ----
  const updateStart = performance.now();
  const cpuStart = process.cpuUsage();
  const stats = packedUpdate(taking.map((m) => pack.members[m].state), schedules, batched);
  const cpu = process.cpuUsage(cpuStart);
  const updateSeconds = (performance.now() - updateStart) / 1000;
  return {
    updateSeconds,
    updateCpuSeconds: (cpu.user + cpu.system) / 1e6,
    members: taking.map((m, i) => ({
      member: m,
      schedule: schedules[i],
      stats: stats[i],
      rolloutSeconds: rolloutSeconds[i],
      metrics: (timing) => logMetrics(pack.members[m].state, stats[i], schedules[i], timing),
    })),
  };
}
