/**
 * Replay players. `LivePlayer` drives a backend replay session (the env steps in the backend, the policy decides in
 * a trainer process holding the checkpoint); `RecordedPlayer` plays a saved episode's frames without the model.
 * Both step at `speed` frames per second; a live step never starts before the previous one answered. What a live
 * player sets up per run (the episode seed, deterministic actions, the recording's name) starts afresh for each run.
 */
import type { CheckpointInfo, ReplayFrame, ReplaySession, SavedReplay } from '../../../../core/api/contract';
import { TEMPERATURE_DEFAULT } from '../../../../core/math/temperature';
import { methodLabel } from '../../../../core/runs/method';
import { api } from '../api/client';
import { framePosition } from '../replay/position';
import { errorText } from '../api/errors';

export const SPEEDS = [1, 5, 15, 30, 60];

/**
 * What a live replay starts each run with: episode seed 0, deterministic actions, sampling temperature 1 (the policy as
 * trained, once deterministic is off), no recording name.
 */
export const LIVE_DEFAULTS = Object.freeze({ seed: 0, deterministic: true, temperature: TEMPERATURE_DEFAULT, recordingName: '' });

abstract class Player {
  frame = $state.raw<ReplayFrame | null>(null);
  /** The action taken before `frame` (for renderers that draw it). */
  lastAction = $state.raw<number | number[] | null>(null);
  playing = $state(false);
  speed = $state(15);
  error = $state<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;

  protected abstract advance(): Promise<boolean>;

  /** One step; false when the episode is over (or the step failed). */
  async stepOnce(): Promise<boolean> {
    try {
      const more = await this.advance();
      this.error = null;
      return more;
    } catch (error) {
      this.error = errorText(error);
      return false;
    }
  }

  play(): void {
    if (this.playing) return;
    this.playing = true;
    const tick = async (): Promise<void> => {
      if (!this.playing) return;
      const started = performance.now();
      const more = await this.stepOnce();
      if (!more) {
        this.playing = false;
        return;
      }
      this.timer = setTimeout(() => void tick(), Math.max(0, 1_000 / this.speed - (performance.now() - started)));
    };
    void tick();
  }

  pause(): void {
    this.playing = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export class LivePlayer extends Player {
  runId = $state<number | null>(null);
  step = $state<number | null>(null);
  envId = $state('');
  checkpoints = $state.raw<CheckpointInfo[]>([]);
  /** The chosen run's method (`PPO · clip`, `TRPO`), once known. */
  method = $state<string | null>(null);
  session = $state.raw<ReplaySession | null>(null);
  seed = $state(LIVE_DEFAULTS.seed);
  deterministic = $state(LIVE_DEFAULTS.deterministic);
  /** The temperature actions are drawn at when not deterministic (0 = greedy, 1 = as trained). */
  temperature = $state<number>(LIVE_DEFAULTS.temperature);
  /** The name the next saved episode gets (empty = one made of the run, checkpoint and seed). */
  recordingName = $state(LIVE_DEFAULTS.recordingName);
  opening = $state(false);
  /** The episode saved last (the pane says so), until the next one starts. */
  saved = $state.raw<Pick<SavedReplay, 'name' | 'length' | 'totalReturn'> | null>(null);

  /** Opens `runId` at checkpoint `step` (its latest when null). Another run than the current one starts from the defaults. */
  async choose(runId: number, step: number | null): Promise<void> {
    this.pause();
    if (runId !== this.runId) {
      this.seed = LIVE_DEFAULTS.seed;
      this.deterministic = LIVE_DEFAULTS.deterministic;
      this.temperature = LIVE_DEFAULTS.temperature;
      this.recordingName = LIVE_DEFAULTS.recordingName;
      this.saved = null;
    }
    this.runId = runId;
    this.error = null;
    this.method = null;
    try {
      const [checkpoints, [run]] = await Promise.all([api.call('checkpoints.list', { runId }), api.call('runs.list', { runIds: [runId], includeHidden: true })]);
      this.checkpoints = checkpoints;
      if (run && runId === this.runId) this.method = methodLabel(run.algorithm, run.objective);
      this.step = step ?? this.checkpoints.at(-1)?.step ?? null;
    } catch (error) {
      this.error = errorText(error);
      return;
    }
    await this.open();
  }

  async open(): Promise<void> {
    if (this.runId === null) return;
    this.pause();
    this.opening = true;
    await this.close();
    try {
      this.session = await api.call('replay.open', { runId: this.runId, step: this.step ?? undefined });
      this.envId = this.session.envId;
      await this.reset();
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.opening = false;
    }
  }

  async reset(): Promise<void> {
    if (!this.session) return;
    this.pause();
    this.saved = null;
    try {
      this.frame = await api.call('replay.reset', { sessionId: this.session.sessionId, seed: this.seed });
      this.lastAction = null;
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  protected async advance(): Promise<boolean> {
    if (!this.session) return false;
    if (this.frame && (this.frame.terminated || this.frame.truncated)) return false;
    const frame = await api.call('replay.step', { sessionId: this.session.sessionId, deterministic: this.deterministic, temperature: this.temperature });
    this.lastAction = frame.action;
    this.frame = frame;
    return !(frame.terminated || frame.truncated);
  }

  async save(name: string): Promise<void> {
    if (!this.session) return;
    try {
      const replay = await api.call('replays.save', { sessionId: this.session.sessionId, name });
      this.saved = replay;
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (session) await api.call('replay.close', { sessionId: session.sessionId }).catch(() => undefined);
  }
}

export class RecordedPlayer extends Player {
  replays = $state.raw<SavedReplay[]>([]);
  replay = $state.raw<(SavedReplay & { frames: ReplayFrame[] }) | null>(null);
  index = $state(0);

  async refresh(): Promise<void> {
    try {
      this.replays = await api.call('replays.list', {});
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async load(replayId: number): Promise<void> {
    this.pause();
    try {
      this.replay = await api.call('replays.get', { replayId });
      this.seek(0);
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** Where the player is, as the replay's own time: `t` of the shown frame and the episode's length in steps. */
  get position(): { t: number; steps: number } {
    return framePosition(this.frame, this.replay?.frames.length ?? 0);
  }

  seek(index: number): void {
    const frames = this.replay?.frames ?? [];
    this.index = Math.max(0, Math.min(frames.length - 1, index));
    this.frame = frames[this.index] ?? null;
    this.lastAction = this.frame?.action ?? null;
  }

  protected async advance(): Promise<boolean> {
    const frames = this.replay?.frames ?? [];
    if (this.index + 1 >= frames.length) return false;
    this.seek(this.index + 1);
    return this.index + 1 < frames.length;
  }
}
