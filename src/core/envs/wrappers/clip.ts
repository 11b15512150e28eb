/**
 * Clipping wrappers: Gymnasium's `ClipAction` (wrappers/stateless_action.py) and `ClipReward`
 * (wrappers/stateless_reward.py), and `ClipObservation` (a `TransformObservation` with np.clip, as CleanRL uses after
 * NormalizeObservation).
 */
import type { Action, Env, ResetOptions, ResetResult, StepResult } from '../env';
import { BoxSpace, type Space } from '../spaces';
import { Wrapper } from '../time-limit';

/** Clips a Box action into the env's bounds (float32), and advertises an unbounded action space. */
export class ClipAction extends Wrapper {
  private readonly space: BoxSpace;
  private readonly inner: BoxSpace;

  constructor(env: Env) {
    super(env);
    if (env.actionSpace.type !== 'Box') throw new TypeError(`ClipAction needs a Box action space, got ${env.actionSpace.toString()}`);
    this.inner = env.actionSpace;
    this.space = new BoxSpace(-Infinity, Infinity, this.inner.shape);
  }

  override get actionSpace(): Space {
    return this.space;
  }

  override step(action: Action): StepResult {
    if (!(action instanceof Float32Array || Array.isArray(action)) || action.length !== this.inner.size) {
      throw new TypeError(`Invalid action ${String(action)}: action space ${this.space.toString()} takes ${this.inner.size} numbers`);
    }
    const clipped = new Float32Array(action.length);
    for (let i = 0; i < action.length; i++) {
      const a = action[i];
      // np.clip keeps NaN; the env then rejects it.
      clipped[i] = a < this.inner.low[i] ? this.inner.low[i] : a > this.inner.high[i] ? this.inner.high[i] : a;
    }
    return this.env.step(clipped);
  }
}

/** np.clip(reward, minReward, maxReward). */
export class ClipReward extends Wrapper {
  constructor(
    env: Env,
    readonly minReward = -Infinity,
    readonly maxReward = Infinity,
  ) {
    super(env);
    if (!(minReward <= maxReward)) throw new RangeError(`ClipReward: minReward ${minReward} > maxReward ${maxReward}`);
  }

  override step(action: Action): StepResult {
    const result = this.env.step(action);
    result[1] = Math.min(Math.max(result[1], this.minReward), this.maxReward);
    return result;
  }
}

/** np.clip(observation, low, high) element-wise in float32; the observation space becomes Box(low, high). */
export class ClipObservation extends Wrapper {
  private readonly space: BoxSpace;

  constructor(env: Env, low: number, high: number) {
    super(env);
    this.space = new BoxSpace(low, high, [env.observationSpace.size]);
  }

  override get observationSpace(): BoxSpace {
    return this.space;
  }

  override reset(options?: ResetOptions): ResetResult {
    const [obs, info] = this.env.reset(options);
    return [this.clip(obs), info];
  }

  override step(action: Action): StepResult {
    const result = this.env.step(action);
    result[0] = this.clip(result[0]);
    return result;
  }

  private clip(obs: Float32Array): Float32Array {
    const out = new Float32Array(obs.length);
    const { low, high } = this.space;
    for (let i = 0; i < obs.length; i++) out[i] = Math.min(Math.max(obs[i], low[i]), high[i]);
    return out;
  }
}
