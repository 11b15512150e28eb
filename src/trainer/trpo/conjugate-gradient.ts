/**
 * Conjugate gradient for A·x = b with A symmetric positive definite, given only products A·v: sb3-contrib
 * `conjugate_gradient_solver` (sb3_contrib/common/utils.py, after joschu/modular_rl and ajlangley/trpo-pytorch), step
 * for step. It starts from a small random x₀ (1e-4·N(0, 1), "because of the instability issues when the gradient
 * becomes small"), stops early once ‖r‖² < residualTol, and on its last iteration returns right after updating x,
 * without updating the residual: `maxIter` iterations cost 1 + maxIter products.
 *
 * Besides x it returns A·x, accumulated from the products it computed (A·x = A·x₀ + Σ αᵢ·A·pᵢ): TRPO's step size
 * needs xᵀA·x, which sb3-contrib gets from one more product; the two agree up to rounding.
 */

/** The residual tolerance on ‖r‖² sb3-contrib uses (`residual_tol=1e-10`). */
export const CG_RESIDUAL_TOL = 1e-10;

export interface ConjugateGradientResult {
  x: Float64Array;
  /** A·x, accumulated from the iterations' products. */
  ax: Float64Array;
  /** Products A·v computed (the one of x₀ included). */
  products: number;
}

/**
 * Approximately solves A·x = b in `maxIter` iterations from `x0` (not modified). `matVec(v)` returns A·v (it may
 * reuse its output buffer between calls: CG reads it before the next call).
 */
export function conjugateGradient(
  matVec: (v: Float64Array) => ArrayLike<number>,
  b: ArrayLike<number>,
  x0: ArrayLike<number>,
  maxIter: number,
  residualTol = CG_RESIDUAL_TOL,
): ConjugateGradientResult {
  const n = b.length;
  const x = Float64Array.from(x0);
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += u[i] * v[i];
    return s;
  };
  let products = 1;
  const ax = Float64Array.from(matVec(x));
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = b[i] - ax[i];
  let residualSquaredNorm = dot(residual, residual);
  // The gradient is extremely small: the denominator of α would vanish.
  if (residualSquaredNorm < residualTol) return { x, ax, products };

  const p = Float64Array.from(residual);
  for (let iter = 0; iter < maxIter; iter++) {
    const aDotP = matVec(p);
    products += 1;
    const alpha = residualSquaredNorm / dot(p, aDotP);
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      ax[i] += alpha * aDotP[i];
    }
    if (iter === maxIter - 1) return { x, ax, products };

    for (let i = 0; i < n; i++) residual[i] -= alpha * aDotP[i];
    const newResidualSquaredNorm = dot(residual, residual);
    if (newResidualSquaredNorm < residualTol) return { x, ax, products };

    const beta = newResidualSquaredNorm / residualSquaredNorm;
    residualSquaredNorm = newResidualSquaredNorm;
    for (let i = 0; i < n; i++) p[i] = residual[i] + beta * p[i];
  }
  // Only reached when maxIter is 0.
  return { x, ax, products };
}
