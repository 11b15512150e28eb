/**
 * Gymnasium's `RecordEpisodeStatistics` (wrappers/common.py): on the step that ends an episode (terminated or
 * truncated) it adds `info.episode = { r, l, t }` (return, length, seconds since the episode started, rounded to
 * 6 decimals) and appends them to bounded queues of the last `bufferLength` episodes.
 */
import type { Action, Env, ResetOptions, ResetResult, StepResult } from '../env';
import { Wrapper } from '../time-limit';

export interface EpisodeStatistics {
  /** Undiscounted return. */
  r: number;
  /** Length in steps. */
  l: number;
  /** Wall-clock seconds from reset to the end, rounded to 6 decimals. */
  t: number;
}

function nowSeconds(): number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return (perf ? perf.now() : Date.now()) / 1000;
}

export class RecordEpisodeStatistics extends Wrapper {
  episodeReturns = 0.0;
  episodeLengths = 0;
  private episodeStartTime = nowSeconds();
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  readonly timeQueue: number[] = [];

  constructor(
    env: Env,
    readonly bufferLength = 100,
    readonly statsKey = 'episode',
  ) {
    super(env);
  }

  override reset(options?: ResetOptions): ResetResult {
    const result = this.env.reset(options);
    this.episodeStartTime = nowSeconds();
    this.episodeReturns = 0.0;
    this.episodeLengths = 0;
    return result;
  }

  override step(action: Action): StepResult {
    const result = this.env.step(action);
    const [, reward, terminated, truncated, info] = result;
    this.episodeReturns += reward;
    this.episodeLengths += 1;
    if (terminated || truncated) {
      if (this.statsKey in info) throw new Error(`Attempted to add episode stats with key '${this.statsKey}' but this key already exists in info`);
      const elapsed = Math.round((nowSeconds() - this.episodeStartTime) * 1e6) / 1e6;
      const stats: EpisodeStatistics = { r: this.episodeReturns, l: this.episodeLengths, t: elapsed };
      result[4] = { ...info, [this.statsKey]: stats };
      this.push(this.returnQueue, stats.r);
      this.push(this.lengthQueue, stats.l);
      this.push(this.timeQueue, stats.t);
    }
    return result;
  }

  private push(queue: number[], value: number): void {
    queue.push(value);
    if (queue.length > this.bufferLength) queue.shift();
  }
}
