/**
 * Performance collapse of a learning curve, as the "Why clip?" demonstration counts it: the curve's best evaluation
 * return reached at least `minBest` (the policy had learned), and the mean of its last `tail` evaluations is at
 * least `drop` (a fraction) below that best — it fell and did not recover. A dip early in learning that the curve
 * climbs out of is not a collapse. Meant for returns that are non-negative and grow with learning (CartPole-v1's
 * episode length).
 */
export interface CollapseCriterion {
  /** Fraction of the best the tail's mean must have lost, in (0, 1]; 0.5: "falls by ≥ 50%". */
  drop: number;
  /** The best must have reached this for a fall to count. */
  minBest: number;
  /** Number of last evaluations whose mean is compared with the best (a positive integer). */
  tail: number;
}

export interface Collapse {
  /** The best evaluation return, and the index of its first occurrence. */
  best: number;
  bestIndex: number;
  /** Mean of the last `tail` evaluations. */
  tailMean: number;
}

/**
 * The collapse of `returns` (evaluation returns in step order) under `criterion`, or null when there is none
 * (including a curve shorter than `tail` + 1, or whose best comes within the tail: it had no time to fall after it).
 */
export function collapseOf(returns: readonly number[], criterion: CollapseCriterion): Collapse | null {
  const { drop, minBest, tail } = criterion;
  if (!(drop > 0 && drop <= 1)) throw new Error(`drop must be in (0, 1], got ${drop}`);
  if (!Number.isInteger(tail) || tail < 1) throw new Error(`tail must be a positive integer, got ${tail}`);
  if (returns.length <= tail) return null;
  let bestIndex = 0;
  for (let i = 1; i < returns.length; i++) if (returns[i] > returns[bestIndex]) bestIndex = i;
  const best = returns[bestIndex];
  if (best < minBest || bestIndex >= returns.length - tail) return null;
  const tailMean = returns.slice(-tail).reduce((a, b) => a + b, 0) / tail;
  return tailMean <= (1 - drop) * best ? { best, bestIndex, tailMean } : null;
}
