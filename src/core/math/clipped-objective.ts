/**
 * PPO's clipped surrogate objective for one sample, as the Learn view draws it (Schulman et al. 2017, eq. 7 and
 * Figure 1): L(r) = min(r·A, clip(r, 1−ε, 1+ε)·A), with r = π(a|s)/π_old(a|s) the probability ratio and A the
 * advantage. This is the one definition: the trainers' loss (src/trainer/ppo/losses.ts `clippedSurrogate`, used by
 * PPO and GRPO) is its negation, and test/core/math/clipped-objective.test.ts pins the two equal, gradients included.
 * Also: where L is flat (its gradient in r is zero), and the clipped fraction read off a ratio histogram.
 */

/** clip(r, 1−ε, 1+ε). */
export function clipRatio(ratio: number, clipRange: number): number {
  return Math.min(Math.max(ratio, 1 - clipRange), 1 + clipRange);
}

/** L^CLIP(r) = min(r·A, clip(r, 1−ε, 1+ε)·A) of one sample (to maximize). */
export function clippedObjective(ratio: number, advantage: number, clipRange: number): number {
  return Math.min(ratio * advantage, clipRatio(ratio, clipRange) * advantage);
}

/**
 * ∂L/∂r: A where the unclipped term r·A is the minimum, 0 where the clipped term is (the flat region). At the kink
 * itself both terms are equal and the unclipped one counts, as in the trainer's gradient.
 */
export function clippedObjectiveGrad(ratio: number, advantage: number, clipRange: number): number {
  return ratio * advantage <= clipRatio(ratio, clipRange) * advantage ? advantage : 0;
}

/** An interval of r, open-ended where a bound is infinite. */
export interface RatioInterval {
  from: number;
  to: number;
}

/**
 * Where L is flat: r > 1+ε for A > 0 (a good action already made more likely gains nothing more), r < 1−ε for A < 0
 * (a bad action already made less likely); nowhere for A = 0 (L is 0 everywhere, no gradient at all).
 */
export function flatRegion(advantage: number, clipRange: number): RatioInterval | null {
  if (advantage > 0) return { from: 1 + clipRange, to: Infinity };
  if (advantage < 0) return { from: -Infinity, to: 1 - clipRange };
  return null;
}

/** A ratio histogram: equal bins over [low, high), with the mass below `low` and at or above `high` apart. */
export interface RatioHistogram {
  low: number;
  high: number;
  /** Fraction of the samples in each bin (bins.length equal bins over [low, high)). */
  bins: readonly number[];
  underflow: number;
  overflow: number;
}

/**
 * The fraction of a histogram's mass outside [1−ε, 1+ε], i.e. |r − 1| > ε (the samples clipping acts on for one sign
 * of A or the other), with the mass of a bin cut by a bound split in proportion (samples taken as spread evenly
 * within a bin). Under/overflow count entirely when the bound lies inside [low, high]; a bound outside that range
 * splits nothing it cannot see, so the result is then a bound on the truth, not the truth.
 */
export function clippedFraction(histogram: RatioHistogram, clipRange: number): { below: number; above: number; total: number } {
  const below = massBelow(histogram, 1 - clipRange);
  const above = totalMass(histogram) - massBelow(histogram, 1 + clipRange);
  return { below, above, total: below + above };
}

function totalMass(h: RatioHistogram): number {
  return h.underflow + h.overflow + h.bins.reduce((sum, b) => sum + b, 0);
}

/** Histogram mass below x (bins cut by x split linearly). */
function massBelow(h: RatioHistogram, x: number): number {
  if (x <= h.low) return h.underflow;
  const width = (h.high - h.low) / h.bins.length;
  let mass = h.underflow;
  for (let i = 0; i < h.bins.length; i++) {
    const start = h.low + i * width;
    if (x >= start + width) mass += h.bins[i]!;
    else {
      if (x > start) mass += (h.bins[i]! * (x - start)) / width;
      return mass;
    }
  }
  return mass;
}
