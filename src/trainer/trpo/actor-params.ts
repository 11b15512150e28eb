/**
 * TRPO's actor parameters: the part of the flat parameter buffer its natural-gradient step moves, packed into one
 * vector (sb3-contrib `TRPO._compute_actor_grad`: every policy parameter whose name does not contain "value" and
 * that the KL depends on, i.e. the shared trunk, the policy MLP, the action head and the log-std; the value MLP and
 * the value head are the critic's alone).
 */
import type { Layout, ParamSlot } from '../nn/actor-critic';

export interface ActorParams {
  /** Number of actor parameters. */
  readonly size: number;
  /** Copies the actor entries of a flat-layout vector into `out` [size]. */
  gather(full: ArrayLike<number>, out: Float64Array): Float64Array;
  /** Writes `packed` [size] into the actor entries of the flat-layout `full` (other entries untouched). */
  scatter(packed: ArrayLike<number>, full: Float32Array): void;
  /** Sets the actor entries of a flat-layout vector to 0 (sb3-contrib: `param.grad = None` before the critic's step). */
  zero(full: Float32Array): void;
}

/** The actor's slots in layout order: trunk, policy MLP, action head, log-std. */
export function actorSlots(layout: Layout): ParamSlot[] {
  const linear = [...layout.trunk, ...layout.pi, layout.actionHead].flatMap((l) => [l.w, l.b]);
  return layout.logStd ? [...linear, layout.logStd] : linear;
}

export function actorParams(layout: Layout): ActorParams {
  const slots = actorSlots(layout).sort((a, b) => a.offset - b.offset);
  const size = slots.reduce((n, s) => n + s.size, 0);
  return {
    size,
    gather(full, out) {
      let k = 0;
      for (const s of slots) for (let i = 0; i < s.size; i++) out[k++] = full[s.offset + i];
      return out;
    },
    scatter(packed, full) {
      let k = 0;
      for (const s of slots) for (let i = 0; i < s.size; i++) full[s.offset + i] = packed[k++];
    },
    zero(full) {
      for (const s of slots) full.fill(0, s.offset, s.offset + s.size);
    },
  };
}
