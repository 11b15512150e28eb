/**
 * Sampling temperature of a policy's action distribution, as Replay samples it and the Learn view draws it.
 *
 * Temperature T rescales a distribution p into p_T ∝ p^(1/T) (the Boltzmann form of softmax temperature; Sutton &
 * Barto 2018, §2.3 and §13.1 on soft-max action preferences):
 * - categorical: p_T = softmax(logits / T). Since log p = logits − logsumexp(logits), softmax(log p / T) is the same
 *   distribution, so a policy described by its probabilities is tempered exactly (no logits needed);
 * - diagonal Gaussian: N(μ, σ²)^(1/T) ∝ exp(−(x − μ)² / (2σ²T)) = N(μ, σ²T), so σ_T = σ·√T. This is the standard
 *   choice because it is the same p^(1/T) as the categorical's, and the variance (not the std) scales with T, as the
 *   energy of a Boltzmann distribution does. (Scaling σ by T instead would be another family, with no such reading.)
 * T = 1 is the policy as trained; T → 0 is greedy: the most probable action (categorical) or the mean (Gaussian);
 * T → ∞ is uniform over a categorical's actions and ever wider for a Gaussian.
 *
 * Entropies are in nats. Ties of the greedy action go to the lowest index, as the trainer's argmax does.
 */

/** Replay's temperature range (the API validates it): 0 = greedy, 1 = the trained policy. */
export const TEMPERATURE_MIN = 0;
export const TEMPERATURE_MAX = 10;
export const TEMPERATURE_DEFAULT = 1;

const HALF_LOG_2PI_E = 0.5 * Math.log(2 * Math.PI * Math.E);

function checkTemperature(temperature: number): void {
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new Error(`temperature must be a finite number ≥ 0, got ${temperature}`);
}

/** Index of the largest entry (the first of ties); -1 for an empty list. */
export function argmax(xs: ArrayLike<number>): number {
  let best = -1;
  for (let k = 0; k < xs.length; k++) if (best < 0 || xs[k] > xs[best]) best = k;
  return best;
}

/** softmax(logits / T) [n]; T = 0 gives the one-hot of the greedy action. Entries of −∞ get probability 0. */
export function softmaxWithTemperature(logits: ArrayLike<number>, temperature: number): number[] {
  checkTemperature(temperature);
  const n = logits.length;
  if (temperature === 0) {
    const a = argmax(logits);
    return Array.from({ length: n }, (_, k) => (k === a ? 1 : 0));
  }
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logits[k] / temperature);
  const out = new Array<number>(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    // Subtracting the max keeps exp in range (the usual stable softmax).
    out[k] = Math.exp(logits[k] / temperature - max);
    sum += out[k];
  }
  for (let k = 0; k < n; k++) out[k] /= sum;
  return out;
}

/** The categorical p tempered: p^(1/T) normalised, i.e. softmax(log p / T). `probs` must sum to 1. */
export function temperedProbs(probs: ArrayLike<number>, temperature: number): number[] {
  return softmaxWithTemperature(Array.from(probs, Math.log), temperature);
}

/** Entropy −Σ p log p of a categorical (0·log 0 = 0); between 0 (one action) and log n (uniform). */
export function categoricalEntropy(probs: ArrayLike<number>): number {
  let h = 0;
  for (let k = 0; k < probs.length; k++) if (probs[k] > 0) h -= probs[k] * Math.log(probs[k]);
  return h;
}

/** σ·√T per action dimension: the std of N(μ, σ²)^(1/T). */
export function temperedStd(std: ArrayLike<number>, temperature: number): number[] {
  checkTemperature(temperature);
  const scale = Math.sqrt(temperature);
  return Array.from(std, (s) => s * scale);
}

/**
 * Differential entropy of a diagonal Gaussian, Σ_j ½·log(2πe·σ_j²) (SB3 `DiagGaussianDistribution.entropy`); −∞ when
 * any σ_j is 0 (the deterministic limit T → 0). It can be negative: it is a density's entropy.
 */
export function gaussianEntropy(std: ArrayLike<number>): number {
  let h = 0;
  for (let j = 0; j < std.length; j++) h += std[j] > 0 ? HALF_LOG_2PI_E + Math.log(std[j]) : -Infinity;
  return h;
}

/** Density of N(mean, std²) at x (one dimension). */
export function gaussianDensity(x: number, mean: number, std: number): number {
  const z = (x - mean) / std;
  return Math.exp(-0.5 * z * z) / (std * Math.sqrt(2 * Math.PI));
}

/** Inverse-CDF draw from a categorical with one uniform u in [0, 1) (the trainer's sampler does the same). */
export function sampleCategorical(probs: ArrayLike<number>, u: number): number {
  const n = probs.length;
  let a = 0;
  let c = probs[0];
  while (a < n - 1 && u >= c) c += probs[++a];
  return a;
}

/**
 * A Gaussian action drawn at T = 1 moved to temperature T: μ + √T·(a − μ), which is distributed as N(μ, σ²T) when a is
 * distributed as N(μ, σ²) (also for gSDE's state-dependent noise). T = 0 gives μ.
 */
export function temperedGaussianAction(mean: ArrayLike<number>, sampled: ArrayLike<number>, temperature: number): number[] {
  checkTemperature(temperature);
  const scale = Math.sqrt(temperature);
  return Array.from(mean, (m, j) => m + scale * (sampled[j] - m));
}
