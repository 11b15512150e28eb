import { describe, expect, it } from 'vitest';
import { createPrng } from '../../../src/trainer/nn/prng';
import { conjugateGradient } from '../../../src/trainer/trpo/conjugate-gradient';

/**
 * A random n×n SPD matrix Q·diag(λ)·Qᵀ (row-major) with Q a random orthogonal matrix (Gram–Schmidt of a Gaussian one)
 * and eigenvalues λ spread over [1, 10], and its product.
 */
function spd(n: number, seed: number): { a: Float64Array; matVec: (v: Float64Array) => Float64Array; calls: () => number } {
  const prng = createPrng(seed);
  const q = Float64Array.from({ length: n * n }, () => prng.normal()); // column j at j·n
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[k * n + i] * q[j * n + i];
      for (let i = 0; i < n; i++) q[j * n + i] -= dot * q[k * n + i];
    }
    const norm = Math.sqrt(q.subarray(j * n, (j + 1) * n).reduce((s, v) => s + v * v, 0));
    for (let i = 0; i < n; i++) q[j * n + i] /= norm;
  }
  const lambda = Float64Array.from({ length: n }, (_, k) => 1 + (9 * k) / Math.max(1, n - 1));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[k * n + i] * lambda[k] * q[k * n + j];
      a[i * n + j] = s;
    }
  }
  let calls = 0;
  const matVec = (v: Float64Array): Float64Array => {
    calls += 1;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += a[i * n + j] * v[j];
    return out;
  };
  return { a, matVec, calls: () => calls };
}

const residualNorm = (matVec: (v: Float64Array) => Float64Array, x: Float64Array, b: Float64Array): number => {
  const ax = matVec(x);
  return Math.sqrt(b.reduce((s, bi, i) => s + (bi - ax[i]) ** 2, 0));
};

describe('conjugateGradient (sb3-contrib conjugate_gradient_solver)', () => {
  it('solves a random 20×20 SPD system to the residual tolerance (‖r‖² < 1e-10) within 20 iterations', () => {
    const n = 20;
    const system = spd(n, 1);
    const prng = createPrng(2);
    const b = Float64Array.from({ length: n }, () => prng.normal());
    const x0 = Float64Array.from({ length: n }, () => 1e-4 * prng.normal());
    const solved = conjugateGradient(system.matVec, b, x0, 100);
    expect(solved.products).toBeLessThanOrEqual(1 + n);
    expect(residualNorm(system.matVec, solved.x, b) ** 2).toBeLessThan(1e-10);
    // A·x comes accumulated from the iterations' products.
    const ax = system.matVec(solved.x);
    for (let i = 0; i < n; i++) expect(solved.ax[i]).toBeCloseTo(ax[i], 10);
    // Fewer iterations leave a larger residual: the solver is iterating, not solving directly.
    const { x: x3 } = conjugateGradient(system.matVec, b, x0, 3);
    const bNorm = Math.sqrt(b.reduce((s, v) => s + v * v, 0));
    expect(residualNorm(system.matVec, x3, b) / bNorm).toBeGreaterThan(1e-2);
  });

  it('returns on the last iteration right after updating x: maxIter iterations cost 1 + maxIter products', () => {
    const n = 6;
    const system = spd(n, 3);
    const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const x0 = new Float64Array(n).fill(1e-4);
    for (const maxIter of [0, 1, 2, 4]) {
      const before = system.calls();
      const result = conjugateGradient(system.matVec, b, x0, maxIter);
      expect(result.products).toBe(1 + maxIter);
      expect(system.calls() - before).toBe(1 + maxIter);
    }
    // maxIter 0: x₀ itself; maxIter 1: x₀ + α·r₀ with α = r₀ᵀr₀ / r₀ᵀAr₀ (one steepest-descent step).
    expect(Array.from(conjugateGradient(system.matVec, b, x0, 0).x)).toEqual(Array.from(x0));
    const ax0 = system.matVec(x0);
    const r0 = b.map((bi, i) => bi - ax0[i]);
    const ar0 = system.matVec(r0);
    const alpha = r0.reduce((s, r) => s + r * r, 0) / r0.reduce((s, r, i) => s + r * ar0[i], 0);
    const x1 = conjugateGradient(system.matVec, b, x0, 1).x;
    for (let i = 0; i < n; i++) expect(x1[i]).toBeCloseTo(x0[i] + alpha * r0[i], 12);
  });

  it('matches textbook CG iterate by iterate (Nocedal & Wright Alg. 5.2)', () => {
    const n = 8;
    const system = spd(n, 5);
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const x0 = Float64Array.from({ length: n }, (_, i) => 1e-4 * Math.cos(3 * i));
    // Textbook: r = b − Ax, p = r; x += αp, r −= αAp, p = r + βp.
    const x = Float64Array.from(x0);
    const ax = system.matVec(x);
    const r = b.map((bi, i) => bi - ax[i]);
    const p = Float64Array.from(r);
    for (let k = 1; k <= 5; k++) {
      const ap = system.matVec(p);
      const rr = r.reduce((s, v) => s + v * v, 0);
      const alpha = rr / p.reduce((s, v, i) => s + v * ap[i], 0);
      for (let i = 0; i < n; i++) {
        x[i] += alpha * p[i];
        r[i] -= alpha * ap[i];
      }
      const beta = r.reduce((s, v) => s + v * v, 0) / rr;
      for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
      const xk = conjugateGradient(system.matVec, b, x0, k).x;
      for (let i = 0; i < n; i++) expect(xk[i]).toBeCloseTo(x[i], 10);
    }
  });

  it('stops as soon as ‖r‖² < 1e-10, returning x₀ when it already solves the system', () => {
    const n = 5;
    const system = spd(n, 7);
    const xStar = Float64Array.from({ length: n }, (_, i) => i - 2);
    const b = system.matVec(xStar);
    const exact = conjugateGradient(system.matVec, b, xStar, 10);
    expect(exact.products).toBe(1);
    expect(Array.from(exact.x)).toEqual(Array.from(xStar));
    // From elsewhere, exact arithmetic needs at most n iterations; the early stop ends it there, not at maxIter.
    const far = conjugateGradient(system.matVec, b, new Float64Array(n), 50);
    expect(far.products).toBeLessThanOrEqual(1 + n + 1);
    for (let i = 0; i < n; i++) expect(far.x[i]).toBeCloseTo(xStar[i], 5);
  });
});
