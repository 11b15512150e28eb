/**
 * The Fisher-vector product of TRPO's natural-gradient step: sb3-contrib `TRPO.hessian_vector_product`
 * (trpo.py), (F + damping·I)·v with F = ∇²_θ meanKl(π_θ‖π_old) at θ = θ_old over the actor parameters.
 *
 * sb3-contrib gets F·v by differentiating ∇KL·v a second time with autograd. Here it is analytic: at θ_old the KL's
 * gradient in the distribution's parameters η vanishes (KL(π‖π_old) is minimal there), so the chain rule's
 * second-order term Σ ∂KL/∂η · ∇²η drops and F = Jᵀ·M·J exactly, with J = ∂η/∂θ (the network's linearization,
 * nn/linearization.ts, plus the log-std's own entries) and M = ∇²_η KL (the distribution's Fisher metric,
 * `OldDistribution.fisherProduct`). One forward pass at θ_old serves every product of an update.
 */
import type { Layout } from '../nn/actor-critic';
import type { PolicyLinearization } from '../nn/linearization';
import type { OldDistribution } from '../ppo/distributions';
import type { ActorParams } from './actor-params';

/** v ↦ (F + damping·I)·v on packed actor vectors; the returned buffer is reused by the next call. */
export type FisherVectorProduct = (v: ArrayLike<number>) => Float64Array;

export function fisherVectorProduct(
  layout: Layout,
  actor: ActorParams,
  linearization: PolicyLinearization,
  old: OldDistribution,
  damping: number,
): FisherVectorProduct {
  const tangent = new Float32Array(layout.size);
  const grad = new Float32Array(layout.size);
  const dHead = new Float32Array(old.batch * layout.headDim);
  const out = new Float64Array(actor.size);
  return (v) => {
    actor.scatter(v, tangent);
    // J·v → M·(J·v) → Jᵀ·M·J·v.
    const headTangent = linearization.jvp(tangent);
    grad.fill(0);
    old.fisherProduct(headTangent, tangent, dHead, grad);
    linearization.vjp(dHead, grad);
    actor.gather(grad, out);
    for (let i = 0; i < out.length; i++) out[i] += damping * v[i];
    return out;
  };
}
