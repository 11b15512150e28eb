import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { buildLayout, forwardJs, initParams, type ModelSpec } from '../../../src/trainer/nn/actor-critic';
import { BOTH_PATHS, networkForward, POLICY_PATH } from '../../../src/trainer/nn/backprop';
import { createPrng } from '../../../src/trainer/nn/prng';
import { makeDistribution } from '../../../src/trainer/ppo/distributions';
import { initBackend } from '../../../src/trainer/tf-backend';
import { actorParams } from '../../../src/trainer/trpo/actor-params';
import { fisherVectorProduct } from '../../../src/trainer/trpo/fisher';
import { describeOnBackends } from '../../support/backends';

/**
 * The Fisher-vector product of the TRPO step (network linearization + the distribution's Fisher metric) against the
 * Hessian of the mean KL(π_θ‖π_old) at θ_old by mixed second differences of an independent KL (torch's formulas,
 * sb3-contrib's mean over the KL tensor's elements), for categorical, Gaussian and gSDE policies and shared trunks.
 */
const B = 10;
const TEMPERATURE = 1.3;
const SDE_EPS = 1e-6;

function setup(spec: ModelSpec, seed: number) {
  const prng = createPrng(seed);
  const layout = buildLayout(spec);
  const params = initParams(layout, true, -0.4, prng);
  // Larger weights than the init so every layer's Jacobian matters.
  for (let i = 0; i < params.length; i++) params[i] += 0.4 * prng.normal();
  const distribution = makeDistribution(layout, spec.useSde, TEMPERATURE);
  const observations = Float32Array.from({ length: B * spec.obsDim }, () => prng.normal());
  return { layout, params, distribution, observations, prng };
}

type Setup = ReturnType<typeof setup>;

/** sb3-contrib's mean KL(π_θ‖π_old) written out independently; gSDE's features at `detachedAt` (SB3 detaches them). */
function referenceKl(s: Setup, theta: Float32Array, thetaOld: Float32Array): number {
  const { layout } = s;
  const next = forwardJs(layout, theta, s.observations, B);
  const old = forwardJs(layout, thetaOld, s.observations, B);
  const n = layout.headDim;
  if (layout.spec.action.kind === 'discrete') {
    let kl = 0;
    for (let b = 0; b < B; b++) {
      const logSoftmax = (h: Float32Array) => {
        const z = Array.from(h.subarray(b * n, (b + 1) * n), (x) => x / TEMPERATURE);
        const max = Math.max(...z);
        const lse = Math.log(z.reduce((acc, x) => acc + Math.exp(x - max), 0)) + max;
        return z.map((x) => x - lse);
      };
      const lp = logSoftmax(next.head);
      const lq = logSoftmax(old.head);
      for (let k = 0; k < n; k++) kl += Math.exp(lp[k]) * (lp[k] - lq[k]);
    }
    return kl / B;
  }
  const logStd = layout.logStd!;
  const variance = (params: Float32Array, b: number, j: number): number => {
    if (!layout.spec.useSde) return Math.exp(2 * params[logStd.offset + j]);
    let v = SDE_EPS;
    for (let l = 0; l < layout.latentPi; l++) v += old.latentPi[b * layout.latentPi + l] ** 2 * Math.exp(2 * params[logStd.offset + l * n + j]);
    return v;
  };
  let kl = 0;
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < n; j++) {
      const vp = variance(theta, b, j);
      const vq = variance(thetaOld, b, j);
      const d = next.head[b * n + j] - old.head[b * n + j];
      kl += 0.5 * (vp / vq + (d * d) / vq - 1 - Math.log(vp / vq));
    }
  }
  return kl / (B * n);
}

/** The policy head [B, headDim] in float64 (trunk → policy MLP → action head), for finite differences. */
function policyHead64(layout: Setup['layout'], params: Float64Array, observations: Float32Array): Float64Array {
  let x = Float64Array.from(observations);
  const layers = [...layout.trunk, ...layout.pi, layout.actionHead];
  layers.forEach((layer, index) => {
    const { w, b } = layer;
    const y = new Float64Array(B * w.cols);
    for (let r = 0; r < B; r++) {
      for (let c = 0; c < w.cols; c++) {
        let z = params[b.offset + c];
        for (let k = 0; k < w.rows; k++) z += x[r * w.rows + k] * params[w.offset + k * w.cols + c];
        const hidden = index < layers.length - 1;
        y[r * w.cols + c] = !hidden ? z : layout.spec.activation === 'tanh' ? Math.tanh(z) : Math.max(0, z);
      }
    }
    x = y;
  });
  return x;
}

const box = (dim: number, bound: number) => ({ kind: 'box' as const, dim, low: new Float32Array(dim).fill(-bound), high: new Float32Array(dim).fill(bound) });
const base = { sharedLayers: [] as number[], piLayers: [5, 4], vfLayers: [3], activation: 'tanh' as const, useSde: false };
const cases: { name: string; spec: ModelSpec }[] = [
  { name: 'categorical, separate tanh nets', spec: { ...base, obsDim: 3, action: { kind: 'discrete', n: 3 } } },
  { name: 'categorical, shared relu trunk', spec: { ...base, obsDim: 3, action: { kind: 'discrete', n: 2 }, sharedLayers: [6], piLayers: [4], vfLayers: [], activation: 'relu' } },
  { name: 'diagonal Gaussian, 2 dims', spec: { ...base, obsDim: 2, action: box(2, 1) } },
  { name: 'diagonal Gaussian, shared tanh trunk', spec: { ...base, obsDim: 2, sharedLayers: [4], piLayers: [], action: box(2, 1) } },
  { name: 'gSDE, 1 dim', spec: { ...base, obsDim: 3, useSde: true, action: box(1, 2) } },
  { name: 'gSDE, shared trunk, 2 dims', spec: { ...base, obsDim: 3, useSde: true, sharedLayers: [4], action: box(2, 2) } },
];

describeOnBackends('TRPO Fisher-vector product', (backend) => {
  beforeAll(async () => {
    expect((await initBackend(backend)).backend).toBe(backend);
  });

  it.each(cases)('equals the Hessian of the mean KL at θ_old times v; damping adds λv: $name', ({ spec }) => {
    const s = setup(spec, 11);
    const actor = actorParams(s.layout);
    const v = Float64Array.from({ length: actor.size }, () => s.prng.normal());
    const tensorsBefore = tf.memory().numTensors;
    const pass = networkForward(s.layout, s.params, s.observations, B, POLICY_PATH);
    const old = s.distribution.freeze(s.params, { head: pass.head, latentPi: pass.latentPi, batch: B });
    const fvp = fisherVectorProduct(s.layout, actor, pass.policyLinearization(), old, 0);
    const fv = Float64Array.from(fvp(v));
    const damped = Float64Array.from(fisherVectorProduct(s.layout, actor, pass.policyLinearization(), old, 0.37)(v));
    pass.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    for (let i = 0; i < actor.size; i++) expect(damped[i] - fv[i]).toBeCloseTo(0.37 * v[i], 5);

    // e_iᵀ·H·v by mixed second differences of the KL in (e_i, v).
    const theta64 = actor.gather(s.params, new Float64Array(actor.size));
    const at = (i: number, a: number, c: number): number => {
      const packed = Float64Array.from(theta64);
      packed[i] += a;
      for (let k = 0; k < actor.size; k++) packed[k] += c * v[k];
      const theta = Float32Array.from(s.params);
      actor.scatter(packed, theta);
      return referenceKl(s, theta, s.params);
    };
    const a = 1e-2;
    const c = 1e-2;
    let maxErr = 0;
    let scale = 0;
    for (let i = 0; i < actor.size; i++) {
      const numeric = (at(i, a, c) - at(i, a, -c) - at(i, -a, c) + at(i, -a, -c)) / (4 * a * c);
      maxErr = Math.max(maxErr, Math.abs(numeric - fv[i]));
      scale = Math.max(scale, Math.abs(numeric));
    }
    expect(scale).toBeGreaterThan(1e-3);
    expect(maxErr / scale).toBeLessThan(5e-3);
  });

  it.each(cases)('the linearization: J·t by finite differences, Jᵀ·u its adjoint and the backward pass’s gradient: $name', ({ spec }) => {
    const s = setup(spec, 5);
    const { layout } = s;
    const tangent = Float32Array.from({ length: layout.size }, () => s.prng.normal());
    const u = Float32Array.from({ length: B * layout.headDim }, () => s.prng.normal());
    const full = networkForward(layout, s.params, s.observations, B, BOTH_PATHS);
    const lin = full.policyLinearization();
    const jt = Float32Array.from(lin.jvp(tangent));
    const jtu = new Float32Array(layout.size);
    lin.vjp(u, jtu);
    const backward = new Float32Array(layout.size);
    full.backward(u, new Float32Array(B), backward);
    full.dispose();

    // Central differences in float64, with a step small enough that no relu unit changes side.
    const eps = 1e-6;
    const shifted = (sign: number) => policyHead64(layout, Float64Array.from(s.params, (p, i) => p + sign * eps * tangent[i]), s.observations);
    const plus = shifted(1);
    const minus = shifted(-1);
    for (let k = 0; k < jt.length; k++) expect(jt[k]).toBeCloseTo((plus[k] - minus[k]) / (2 * eps), 3);

    // ⟨u, J·t⟩ = ⟨Jᵀ·u, t⟩ over the policy path's parameters; Jᵀ·u = the backward pass's ∂(u·head)/∂θ there.
    const actor = actorParams(layout);
    const logStd = layout.logStd;
    let lhs = 0;
    for (let k = 0; k < u.length; k++) lhs += u[k] * jt[k];
    let rhs = 0;
    const packedJtu = actor.gather(jtu, new Float64Array(actor.size));
    const packedT = actor.gather(tangent, new Float64Array(actor.size));
    const packedBackward = actor.gather(backward, new Float64Array(actor.size));
    const logStdStart = logStd ? actor.size - logStd.size : actor.size;
    for (let k = 0; k < logStdStart; k++) {
      rhs += packedJtu[k] * packedT[k];
      expect(packedJtu[k]).toBeCloseTo(packedBackward[k], 4);
    }
    expect(lhs).toBeCloseTo(rhs, 3);
  });

  it.each(cases)('meanKl is sb3’s mean KL(π_new‖π_old): $name', ({ spec }) => {
    const s = setup(spec, 3);
    const theta = Float32Array.from(s.params, (p) => p + 0.05 * s.prng.normal());
    const oldPass = networkForward(s.layout, s.params, s.observations, B, POLICY_PATH);
    const old = s.distribution.freeze(s.params, { head: oldPass.head, latentPi: oldPass.latentPi, batch: B });
    oldPass.dispose();
    const next = forwardJs(s.layout, theta, s.observations, B);
    // gSDE's new distribution on the old features: the reference detaches them there.
    const latentPi = s.layout.spec.useSde ? forwardJs(s.layout, s.params, s.observations, B).latentPi : next.latentPi;
    const kl = old.meanKl(theta, { head: next.head, latentPi, batch: B });
    expect(kl).toBeGreaterThan(1e-5);
    expect(kl).toBeCloseTo(referenceKl(s, theta, s.params), 6);
    expect(old.meanKl(s.params, { head: forwardJs(s.layout, s.params, s.observations, B).head, latentPi, batch: B })).toBeCloseTo(0, 6);
  });
});
