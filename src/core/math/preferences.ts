/**
 * Preferences between trajectory segments (Christiano et al. 2017, "Deep reinforcement learning from human
 * preferences", §2.2.3): the Bradley–Terry model of a preference from the segments' summed rewards, its
 * cross-entropy loss and gradient, and the synthetic rater that stands in for a human.
 *
 * A label μ is the probability that segment 1 is preferred: 1 (segment 1), 0 (segment 2) or ½ (a tie, "equally
 * preferable" in the paper, which spreads the label uniformly over the two).
 */
import type { Rng } from '../rng';

/** log(1 + eˣ) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * P̂[σ¹ ≻ σ²] = exp Σr̂(σ¹) / (exp Σr̂(σ¹) + exp Σr̂(σ²)) = sigmoid(sum1 − sum2), from the segments' summed predicted
 * rewards `sum1`, `sum2` (Christiano et al. 2017, eq. 1).
 */
export function preferenceProbability(sum1: number, sum2: number): number {
  const d = sum1 - sum2;
  return d >= 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d));
}

/**
 * The cross-entropy loss of one label: −[μ log P̂[σ¹ ≻ σ²] + (1 − μ) log P̂[σ² ≻ σ¹]] (Christiano et al. 2017,
 * §2.2.3), computed stably as μ·softplus(−d) + (1 − μ)·softplus(d) with d = sum1 − sum2.
 */
export function preferenceLoss(sum1: number, sum2: number, label: number): number {
  const d = sum1 - sum2;
  return label * softplus(-d) + (1 - label) * softplus(d);
}

/** ∂loss/∂sum1 and ∂loss/∂sum2 of `preferenceLoss`: P̂ − μ and μ − P̂. */
export function preferenceLossGradient(sum1: number, sum2: number, label: number): { dSum1: number; dSum2: number } {
  const p = preferenceProbability(sum1, sum2);
  return { dSum1: p - label, dSum2: label - p };
}

/** The synthetic rater's two knobs. */
export interface RaterSettings {
  /**
   * Bradley–Terry temperature on the true returns: segment 1 is preferred with probability
   * sigmoid((R¹ − R²) / temperature); 0 = always the segment with the higher true return.
   */
  temperature: number;
  /** Probability, in [0, 1], that the label is flipped afterwards (a rater's mistake; Christiano et al. use 10%). */
  errorRate: number;
}

/**
 * The label a synthetic rater gives a pair of segments with true returns `return1`, `return2`: equal returns are a
 * tie (½, never flipped: a flipped tie is the same tie); otherwise 1 or 0 drawn from the Bradley–Terry probability at
 * `temperature` (deterministic at 0), then flipped with probability `errorRate`. Draws from `rng` only when the
 * outcome is random, so a deterministic rater leaves the stream where it was.
 */
export function rateSegments(return1: number, return2: number, settings: RaterSettings, rng: Rng): number {
  if (return1 === return2) return 0.5;
  let label: number;
  if (settings.temperature === 0) label = return1 > return2 ? 1 : 0;
  else label = rng.random() < preferenceProbability(return1 / settings.temperature, return2 / settings.temperature) ? 1 : 0;
  if (settings.errorRate > 0 && rng.random() < settings.errorRate) label = 1 - label;
  return label;
}
