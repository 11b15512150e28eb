/**
 * Performance collapse of a learning curve, as the "Why clip?" demonstration counts it: once the running best
 * evaluation return has reached `minBest` (the policy had learned), an evaluation falls by at least `drop` (a
 * fraction) from that running best. The running best includes every evaluation before the one tested, so a curve
 * that only rises never collapses; a sharp fall counts even if the curve climbs back later. Meant for returns that are
 * non-negative and grow with learning (CartPole-v1's episode length).
 */
export interface CollapseCriterion {
  /** Fraction of the running best the return must lose, in (0, 1]; 0.5: "falls by ≥ 50%". */
  drop: number;
  /** The running best must have reached this before a fall counts. */
  minBest: number;
}

export interface Collapse {
  /** Index into the curve of the first evaluation at or below (1 − drop) × running best. */
  index: number;
  /** The running best before the fall, and the return it fell to. */
  best: number;
  value: number;
}

/** The first collapse of `returns` (evaluation returns in step order) under `criterion`, or null when there is none. */
export function firstCollapse(returns: readonly number[], criterion: CollapseCriterion): Collapse | null {
  const { drop, minBest } = criterion;
  if (!(drop > 0 && drop <= 1)) throw new Error(`drop must be in (0, 1], got ${drop}`);
  let best = -Infinity;
  for (let index = 0; index < returns.length; index++) {
    const value = returns[index];
    if (best >= minBest && value <= (1 - drop) * best) return { index, best, value };
    best = Math.max(best, value);
  }
  return null;
}
