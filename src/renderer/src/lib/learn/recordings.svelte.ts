/**
 * The saved Replay recordings the Learn view's episode figures read (GAE; entropy and temperature): the list, the
 * one chosen with its frames and its run's γ (the user's choice is remembered across tabs and reloads in
 * `learnNavigation`; otherwise the newest), and what the empty state offers — record an episode of the newest
 * finished run here (the policy sampling at T = 1, as in training), or launch a tiny run when there is none.
 */
import type { ReplayFrame, SavedReplay } from '../../../../core/api/contract';
import { api } from '../api/client';
import { errorText } from '../api/errors';
import { workbench } from '../state/workbench.svelte';
import { learnNavigation } from './navigation.svelte';

/** The tiny run the empty state launches when no run has a checkpoint yet: CartPole-v1, about half a minute. */
export const TINY_LEARN_RUN = Object.freeze({
  name: 'Learn: a tiny CartPole-v1 run to record',
  env: 'CartPole-v1',
  preset: 'zoo',
  seeds: [0],
  overrides: { totalTimesteps: 8_192, backend: 'wasm' },
});

/** The longest episode the empty state records (every classic-control env's time limit is at most this). */
const RECORD_STEPS = 1_000;

export type Recording = SavedReplay & { frames: ReplayFrame[] };

export class EpisodeRecordings {
  /** Saved recordings, newest first; null until listed. */
  list = $state.raw<SavedReplay[] | null>(null);
  chosen = $state.raw<Recording | null>(null);
  /** γ of the chosen recording's run (null when its config has none). */
  runGamma = $state<number | null>(null);
  /** The newest finished run, which the empty state can record an episode of (null: none, or not known yet). */
  recordableRunId = $state<number | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  async refresh(): Promise<void> {
    try {
      const [list, runs] = await Promise.all([
        api.call('replays.list', {}),
        api.call('runs.list', { filter: 'status=completed', includeHidden: true, limit: 1, sort: { by: 'createdAt', dir: 'desc' } }),
      ]);
      this.list = list;
      this.recordableRunId = runs[0]?.id ?? null;
      this.error = null;
      const shown = list.find((r) => r.id === learnNavigation.recording) ?? list[0];
      if (!this.chosen && shown) await this.choose(shown.id);
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** The user's choice: shown, and remembered. */
  async pick(replayId: number): Promise<void> {
    learnNavigation.recording = replayId;
    await this.choose(replayId);
  }

  async choose(replayId: number): Promise<void> {
    try {
      const recording = await api.call('replays.get', { replayId });
      this.chosen = recording;
      const gamma = (await api.call('runs.get', { runId: recording.runId }).catch(() => null))?.config['gamma'];
      this.runGamma = typeof gamma === 'number' ? gamma : null;
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** Plays one episode of the newest finished run (seed 0, sampled at T = 1), saves it under `name` and chooses it. */
  async recordEpisode(name: string): Promise<void> {
    const runId = this.recordableRunId;
    if (runId === null) return;
    this.busy = true;
    let sessionId: string | null = null;
    try {
      sessionId = (await api.call('replay.open', { runId })).sessionId;
      let frame = await api.call('replay.reset', { sessionId, seed: 0 });
      for (let t = 0; t < RECORD_STEPS && !frame.terminated && !frame.truncated; t++) {
        frame = await api.call('replay.step', { sessionId, deterministic: false, temperature: 1 });
      }
      const saved = await api.call('replays.save', { sessionId, name });
      // Shown (and remembered) as the user's choice: refresh chooses it from the new list.
      learnNavigation.recording = saved.id;
      this.chosen = null;
      await this.refresh();
    } catch (error) {
      this.error = errorText(error);
    } finally {
      if (sessionId) await api.call('replay.close', { sessionId }).catch(() => undefined);
      this.busy = false;
    }
  }

  /** Launches the tiny run and shows it in Runs (its episodes can be recorded once it finished). */
  async launchTinyRun(): Promise<void> {
    this.busy = true;
    try {
      workbench.watchSweep((await api.call('sweeps.launch', { ...TINY_LEARN_RUN, seeds: [...TINY_LEARN_RUN.seeds] })).sweepId);
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }
}
