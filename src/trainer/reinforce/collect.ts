/**
 * REINFORCE's batch: `episodesPerBatch` whole episodes, every one begun and finished inside the batch, so each is
 * complete and sampled by one policy (Williams 1992; Spinning Up's VPG collects the same way on one env).
 *
 * All envs step together (ppo/rollout.ts `rolloutStep`, which stores every env's transition at [step][env]); an env's
 * transitions belong to the batch only while its current episode began inside it:
 * - at the batch's start, an env whose observation starts an episode (`state.episodeStarts`) records from step 0;
 *   one that is mid-episode (its episode began in an earlier batch and was cut there) records from its next episode;
 * - the batch ends on the step on which its `episodesPerBatch`-th recorded episode finishes (episodes finishing on
 *   the same step are taken in env order; past the count they are discarded too);
 * - episodes still running then are not trained on. Their steps, like those of the episodes cut at the batch's start,
 *   count toward the budget and are reported as discarded. With one env nothing is discarded.
 * The envs' episode-start flags carry the "which env records" state to the next batch and into checkpoints.
 *
 * A caveat of several envs: the episodes cut at the batch's end are more often the long ones (the inspection
 * paradox), so the batch under-represents long episodes relative to one env's stream; the fewer episodes per env in a
 * batch, the stronger the effect.
 *
 * No truncation bootstrap: the rollout context has `bootstrapTruncated` false for REINFORCE (ppo/state.ts), so the
 * rewards stay as received and the returns are pure Monte-Carlo sums.
 */
import type { RolloutBuffer, RolloutContext, RolloutState } from '../ppo/rollout';
import { rolloutStep, stepScratch } from '../ppo/rollout';

/** One trained episode: rows `[start, start + length)` of column `env` of the buffer. */
export interface BatchEpisode {
  env: number;
  start: number;
  length: number;
}

export interface EpisodeBatch {
  /** The batch's whole episodes, in the order they finished. */
  episodes: BatchEpisode[];
  /** Env steps taken (buffer.nSteps × nEnvs), trained on or not. */
  envSteps: number;
  /** Env steps not trained on: episodes begun before the batch or still running at its end. */
  discardedSteps: number;
}

/**
 * Collects one batch of `episodesPerBatch` whole episodes into `buffer` (see the file comment); stops early, with the
 * episodes finished so far, after `maxSteps` steps per env.
 */
export function collectEpisodes(
  ctx: RolloutContext,
  state: RolloutState,
  buffer: RolloutBuffer,
  episodesPerBatch: number,
  maxSteps: number,
): EpisodeBatch {
  const { env, params, distribution, prng } = ctx;
  const nEnvs = env.numEnvs;
  const scratch = stepScratch(nEnvs, distribution.actionDim);
  // Step at which each env's recorded episode began; -1 while its episode began before the batch.
  const recordingFrom = Int32Array.from(state.episodeStarts, (start) => (start === 1 ? 0 : -1));
  const episodes: BatchEpisode[] = [];
  buffer.reset();
  distribution.resetNoise(params, prng, nEnvs);

  for (let step = 0; step < maxSteps && episodes.length < episodesPerBatch; step++) {
    const result = rolloutStep(ctx, state, buffer, step, scratch);
    for (let e = 0; e < nEnvs; e++) {
      if (!(result.terminated[e] || result.truncated[e])) continue;
      const start = recordingFrom[e];
      if (start >= 0 && episodes.length < episodesPerBatch) episodes.push({ env: e, start, length: step + 1 - start });
      // Its next episode begins at the next step, inside the batch.
      recordingFrom[e] = step + 1;
    }
  }

  const envSteps = buffer.nSteps * nEnvs;
  let trained = 0;
  for (const episode of episodes) trained += episode.length;
  return { episodes, envSteps, discardedSteps: envSteps - trained };
}
