/**
 * The workload a pack's tfjs backend is proven and timed on (tf-backend.ts `initBackend`): one minibatch gradient of
 * every member at once, as the pack computes it on the candidate backend (the batched pass where it pays there,
 * `batchedPassPays`, else each member's solo gradient), on ppo/backend-probe.ts's fixed inputs. `auto` thus picks the
 * backend fastest for the pack, not for one member alone (on tfjs-wasm a pack gains nothing). The gradient returned
 * is every member's, concatenated, so the check against the cpu backend covers each member's slice of the pass.
 * Each slice has its own freshly initialised parameters (seed m), not the member's: a member that has diverged (or
 * resumes diverged) then fails alone in training instead of failing the whole pack's backend check.
 */
import { initParams } from '../nn/actor-critic';
import { createPrng } from '../nn/prng';
import type { ProbeWorkload } from '../tf-backend';
import { probeMinibatch } from '../ppo/backend-probe';
import type { TrainingState } from '../ppo/state';
import { batchedPassPays } from './packed-backprop';
import { packedMinibatchGradients } from './packed-update';

/** The probe of a pack of `members` on `rows` rows per member (probeRows of the batch size). */
export function packProbe(members: readonly TrainingState[], rows: number): ProbeWorkload {
  const { layout, distribution } = members[0];
  const { mb, coefs } = probeMinibatch(layout, distribution, rows);
  const grads = new Float32Array(members.length * layout.size);
  const inputs = members.map((state, m) => ({
    params: initParams(layout, true, state.config.logStdInit, createPrng(m)), distribution: state.distribution, mb, coefs, grad: grads.subarray(m * layout.size, (m + 1) * layout.size), old: null,
  }));
  return () => {
    packedMinibatchGradients(layout, inputs, rows, batchedPassPays());
    return grads;
  };
}
