/**
 * The training loop of a pack (train.ts's loop, once per pack iteration for every member still training): each member
 * has its own hooks (progress, metrics, episodes, evaluations, checkpoints: each member is its own run to its host),
 * its own cancel signal and its own end. A member leaves the pack when it reaches its totalTimesteps (final
 * evaluation, last checkpoint), when its signal aborts (last checkpoint, as a cancelled solo run), or when its
 * parameters become non-finite after an update (it fails alone: the others' numbers never mix with its own, since
 * every host computation is per member and each member's slice of the batched pass is its own product).
 */
import { derivedSizes } from '../../core/training/config';
import type { BackendSelection } from '../tf-backend';
import { initBackend } from '../tf-backend';
import { probeRows } from '../ppo/backend-probe';
import { evaluatePolicy } from '../ppo/evaluate';
import { toCheckpoint } from '../ppo/state';
import { checkpointSchedule, every, type TrainHooks, type TrainResult } from '../train';
import { packIteration, type Pack } from './pack';
import { packProbe } from './pack-probe';

/** A member's outcome: train.ts's result, or the reason it failed (its result up to then). */
export type MemberResult = TrainResult & { failed: string | null };

/**
 * Trains every member of `pack` to its end. `hooks[m]` and `signals[m]` are member m's (as train.ts's `hooks` and
 * `opts.signal`); the backend (`pack.members[0]`'s config, all members share it) is chosen once, proven and (`auto`)
 * timed on the pack's own minibatch gradient (pack/pack-probe.ts), and reported to every member.
 */
export async function trainPack(
  pack: Pack,
  hooks: readonly TrainHooks[] = [],
  opts: { signals?: readonly (AbortSignal | undefined)[] } = {},
): Promise<MemberResult[]> {
  const wallStart = performance.now();
  const { members } = pack;
  const first = members[0].state;
  const selection: BackendSelection = await initBackend(first.config.backend, packProbe(members.map((m) => m.state), probeRows(first.config.batchSize)));
  const { backend, calibration } = selection;
  members.forEach((_, m) => hooks[m]?.onBackend?.(selection));

  const runs = members.map(({ state }) => {
    const sizes = derivedSizes(state.config);
    return {
      sizes,
      stepsAtStart: state.stepsDone,
      evalDue: every(sizes.evalEvery, state.stepsDone),
      checkpointDue: checkpointSchedule(sizes.checkpointEvery, state.config.checkpointMinutes, state.stepsDone),
      evaluations: [] as TrainResult['evaluations'],
      rolloutSeconds: 0,
      updateSeconds: 0,
      result: null as MemberResult | null,
    };
  });
  const evaluate = (m: number, episodes: number, maxSeconds: number | null): ReturnType<typeof evaluatePolicy> => {
    const { state } = members[m];
    const result = evaluatePolicy(state.evalEnv, state.layout, state.params, state.distribution, state.normalize, episodes, state.config.evalDeterministic, state.evalPrng, maxSeconds);
    runs[m].evaluations.push({ step: state.stepsDone, mean: result.mean, std: result.std });
    hooks[m]?.onEval?.(state.stepsDone, result);
    return result;
  };
  /** Member m leaves the pack: its last checkpoint (as train.ts, also when cancelled) and its result. */
  const finish = (m: number, how: { cancelled: boolean; failed: string | null }): void => {
    const { state } = members[m];
    const finalEval = how.cancelled || how.failed ? null : evaluate(m, state.config.finalEvalEpisodes, null);
    if (!how.failed) hooks[m]?.onCheckpoint?.(toCheckpoint(state, backend, calibration));
    runs[m].result = {
      finalEval: finalEval && { mean: finalEval.mean, std: finalEval.std, episodes: finalEval.episodes },
      stepsDone: state.stepsDone,
      wallSeconds: (performance.now() - wallStart) / 1000,
      backend,
      calibration,
      cancelled: how.cancelled,
      rolloutSeconds: runs[m].rolloutSeconds,
      updateSeconds: runs[m].updateSeconds,
      evaluations: runs[m].evaluations,
      failed: how.failed,
    };
  };

  for (;;) {
    const active: number[] = [];
    members.forEach(({ state }, m) => {
      if (runs[m].result) return;
      if (opts.signals?.[m]?.aborted) finish(m, { cancelled: true, failed: null });
      else if (state.stepsDone >= state.config.totalTimesteps) finish(m, { cancelled: false, failed: null });
      else active.push(m);
    });
    if (active.length === 0) break;
    // ---- One iteration of every active member: rollouts, advantages, one packed update ----
    const iteration = packIteration(pack, active);
    const updateShare = iteration.updateSeconds / iteration.members.length;
    const now = performance.now();
    for (const it of iteration.members) {
      const m = it.member;
      const { state } = members[m];
      const run = runs[m];
      run.rolloutSeconds += it.rolloutSeconds;
      run.updateSeconds += updateShare;
      const fps = (state.stepsDone - run.stepsAtStart) / ((now - wallStart) / 1000);
      hooks[m]?.onUpdate?.(state.stepsDone, it.metrics({ fps, rolloutSeconds: it.rolloutSeconds, updateSeconds: updateShare }), it.stats.distributions);
      hooks[m]?.onProgress?.({ stepsDone: state.stepsDone, totalSteps: state.config.totalTimesteps, fps });
      // A member whose parameters diverged fails alone; the others go on.
      if (!state.params.every(Number.isFinite)) {
        finish(m, { cancelled: false, failed: `parameters became non-finite after the update at step ${state.stepsDone}` });
        continue;
      }
      // ---- Periodic evaluation and checkpoints (train.ts `afterIteration`) ----
      if (state.stepsDone >= state.config.totalTimesteps) continue;
      if (run.evalDue(state.stepsDone)) evaluate(m, state.config.evalEpisodes, run.sizes.evalSecondsLimit);
      if (run.checkpointDue(state.stepsDone)) hooks[m]?.onCheckpoint?.(toCheckpoint(state, backend, calibration));
    }
    // Yield after every iteration so a member's cancel or a host message gets through before the next one.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return runs.map((run) => run.result!);
}
