/**
 * Gymnasium's `NormalizeObservation` (wrappers/stateful_observation.py): updates a running mean/variance with every
 * observation (from reset and step) while `updateRunningMean` is true, and returns
 * float32((obs - mean) / sqrt(var + epsilon)). No clipping (ClipObservation does that). The observation space becomes
 * Box(-inf, inf). As in Gymnasium the statistics are float32 arrays (`RunningMeanStd(dtype=float32)`), emulated exactly.
 */
import type { Action, Env, ResetOptions, ResetResult, StepResult } from '../env';
import { BoxSpace } from '../spaces';
import { Wrapper } from '../time-limit';
import { RunningMeanStd, type RunningMeanStdJSON } from './running-mean-std';

export class NormalizeObservation extends Wrapper {
  obsRms: RunningMeanStd;
  /** While true, every observation updates the statistics; set false to freeze them (evaluation, replay). */
  updateRunningMean = true;
  private readonly space: BoxSpace;

  constructor(
    env: Env,
    readonly epsilon = 1e-8,
  ) {
    super(env);
    const dim = env.observationSpace.size;
    this.space = new BoxSpace(-Infinity, Infinity, [dim]);
    this.obsRms = new RunningMeanStd(dim, 1e-4, 'float32');
  }

  override get observationSpace(): BoxSpace {
    return this.space;
  }

  override reset(options?: ResetOptions): ResetResult {
    const [obs, info] = this.env.reset(options);
    return [this.observation(obs), info];
  }

  override step(action: Action): StepResult {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    return [this.observation(obs), reward, terminated, truncated, info];
  }

  /** Normalizes one observation (and updates the statistics first, when enabled). */
  observation(obs: Float32Array): Float32Array {
    if (this.updateRunningMean) this.obsRms.update(obs, 1);
    const f = Math.fround;
    const out = new Float32Array(obs.length);
    const eps = f(this.epsilon);
    for (let i = 0; i < obs.length; i++) {
      out[i] = f(f(obs[i] - this.obsRms.mean[i]) / f(Math.sqrt(f(this.obsRms.var[i] + eps))));
    }
    return out;
  }

  /** The statistics, to store with a trained policy. */
  exportStats(): RunningMeanStdJSON {
    return this.obsRms.toJSON();
  }

  /** Restores exported statistics (for replay, usually with `updateRunningMean = false`). */
  importStats(stats: RunningMeanStdJSON): void {
    const rms = RunningMeanStd.fromJSON(stats);
    if (rms.dim !== this.obsRms.dim) throw new RangeError(`Observation statistics have dim ${rms.dim}, the env has ${this.obsRms.dim}`);
    this.obsRms = rms;
  }
}
