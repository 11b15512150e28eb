/**
 * Returns and advantages over a rollout laid out `[step][env]` in flat arrays (index `t * nEnvs + e`).
 *
 * `episodeStarts[t, e] = 1` when the observation at step t is the first of an episode (so the transition at t − 1
 * ended one). `lastEpisodeStarts[e] = 1` when the last transition of the rollout ended an episode. Truncation is not
 * special here: the rollout adds γ·V(final observation) to the truncated step's reward beforehand (SB3).
 */

/** Shape of a rollout for the return functions. */
export interface RolloutShape {
  nSteps: number;
  nEnvs: number;
}

/**
 * GAE(γ, λ) (Schulman et al. 2016; SB3 `RolloutBuffer.compute_returns_and_advantage`):
 *   δ_t = r_t + γ·V(s_{t+1})·(1 − done_t) − V(s_t)
 *   A_t = δ_t + γ·λ·(1 − done_t)·A_{t+1}
 *   R_t = A_t + V(s_t)   (TD(λ) targets for the value function)
 * Writes `advantages` and `returns` in place.
 */
export function computeGae(
  shape: RolloutShape,
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  episodeStarts: ArrayLike<number>,
  lastValues: ArrayLike<number>,
  lastEpisodeStarts: ArrayLike<number>,
  gamma: number,
  gaeLambda: number,
  advantages: Float32Array,
  returns: Float32Array,
): void {
  const { nSteps, nEnvs } = shape;
  for (let e = 0; e < nEnvs; e++) {
    let lastGaeLam = 0;
    for (let t = nSteps - 1; t >= 0; t--) {
      const i = t * nEnvs + e;
      const last = t === nSteps - 1;
      const nextNonTerminal = 1 - (last ? lastEpisodeStarts[e] : episodeStarts[i + nEnvs]);
      const nextValue = last ? lastValues[e] : values[i + nEnvs];
      const delta = rewards[i] + gamma * nextValue * nextNonTerminal - values[i];
      lastGaeLam = delta + gamma * gaeLambda * nextNonTerminal * lastGaeLam;
      advantages[i] = lastGaeLam;
      returns[i] = lastGaeLam + values[i];
    }
  }
}

/** One recorded episode as GAE reads it: T steps, the value of each step's state, and how the episode ended. */
export interface EpisodeForGae {
  /** r_0 … r_{T−1}. */
  rewards: ArrayLike<number>;
  /** V(s_0) … V(s_{T−1}). */
  values: ArrayLike<number>;
  /** V(s_T), the bootstrap after the last step (read only when the episode did not terminate). */
  lastValue: number;
  /** The last step reached a terminal state (no bootstrap); false when it was truncated or the recording stops. */
  terminated: boolean;
}

/**
 * GAE(γ, λ) of one episode: `computeGae` (the trainer's own) on a rollout of one env and T steps, bootstrapped
 * from V(s_T) unless the episode terminated. λ = 0 gives the TD(0) advantages δ_t, λ = 1 the Monte-Carlo return
 * (bootstrapped at a truncation) minus V(s_t).
 */
export function episodeGae(episode: EpisodeForGae, gamma: number, gaeLambda: number): { advantages: Float32Array; returns: Float32Array } {
  const nSteps = episode.rewards.length;
  if (episode.values.length !== nSteps) throw new Error(`episodeGae: ${nSteps} rewards but ${episode.values.length} values`);
  const advantages = new Float32Array(nSteps);
  const returns = new Float32Array(nSteps);
  computeGae(
    { nSteps, nEnvs: 1 },
    episode.rewards,
    episode.values,
    new Float32Array(nSteps),
    [episode.lastValue],
    [episode.terminated ? 1 : 0],
    gamma,
    gaeLambda,
    advantages,
    returns,
  );
  return { advantages, returns };
}

/**
 * n-step returns: R_t = Σ_{k<n} γ^k r_{t+k} + γ^n V(s_{t+n}), cut at episode ends (no bootstrap past a terminal)
 * and at the rollout end (bootstrap from `lastValues` there). Advantages A_t = R_t − V(s_t).
 */
export function computeNStepReturns(
  shape: RolloutShape,
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  episodeStarts: ArrayLike<number>,
  lastValues: ArrayLike<number>,
  lastEpisodeStarts: ArrayLike<number>,
  gamma: number,
  n: number,
  advantages: Float32Array,
  returns: Float32Array,
): void {
  const { nSteps, nEnvs } = shape;
  for (let e = 0; e < nEnvs; e++) {
    for (let t = 0; t < nSteps; t++) {
      let g = 0;
      let discount = 1;
      let k = 0;
      let bootstrap = 0;
      for (; k < n; k++) {
        const s = t + k;
        const i = s * nEnvs + e;
        g += discount * rewards[i];
        discount *= gamma;
        const last = s === nSteps - 1;
        const ended = last ? lastEpisodeStarts[e] : episodeStarts[i + nEnvs];
        if (ended) break;
        if (last) {
          bootstrap = lastValues[e];
          break;
        }
        if (k === n - 1) bootstrap = values[i + nEnvs];
      }
      const i = t * nEnvs + e;
      returns[i] = g + discount * bootstrap;
      advantages[i] = returns[i] - values[i];
    }
  }
}

/** Mean and population std of `x[indices]` (all of x if no indices). */
export function meanStd(x: ArrayLike<number>, indices?: ArrayLike<number>): { mean: number; std: number } {
  const n = indices ? indices.length : x.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let sum = 0;
  for (let j = 0; j < n; j++) sum += x[indices ? indices[j] : j];
  const mean = sum / n;
  let sq = 0;
  for (let j = 0; j < n; j++) {
    const d = x[indices ? indices[j] : j] - mean;
    sq += d * d;
  }
  return { mean, std: Math.sqrt(sq / n) };
}

/**
 * Advantage normalization (A − mean) / (std + 1e-8), as SB3 and CleanRL do per minibatch. torch's `std()` is the
 * unbiased (n − 1) estimate, so this uses it too. Writes into `out` (may alias `x`); a batch of one is left as is.
 */
export function normalizeAdvantages(x: ArrayLike<number>, out: Float32Array): void {
  const n = x.length;
  if (n < 2) {
    for (let j = 0; j < n; j++) out[j] = x[j];
    return;
  }
  let sum = 0;
  for (let j = 0; j < n; j++) sum += x[j];
  const mean = sum / n;
  let sq = 0;
  for (let j = 0; j < n; j++) sq += (x[j] - mean) ** 2;
  const std = Math.sqrt(sq / (n - 1));
  for (let j = 0; j < n; j++) out[j] = (x[j] - mean) / (std + 1e-8);
}

/** Explained variance 1 − Var[y − ŷ]/Var[y] (SB3 `explained_variance`); NaN when Var[y] = 0. */
export function explainedVariance(predicted: ArrayLike<number>, target: ArrayLike<number>): number {
  const n = target.length;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += target[i];
    md += target[i] - predicted[i];
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (target[i] - my) ** 2;
    vd += (target[i] - predicted[i] - md) ** 2;
  }
  return vy === 0 ? NaN : 1 - vd / vy;
}

/**
 * Monte-Carlo returns without bootstrapping (REINFORCE: Williams 1992; Sutton & Barto 2018, §13.3), per env over a
 * `[step][env]` rollout whose episodes are cut at `episodeStarts` (1 where step t begins an episode). The rollout's
 * end closes each env's last segment: a segment still running there gets the sum of the rewards it has (callers
 * train only on whole episodes).
 * - `rewardToGo` true: G_t = Σ_{k=t}^{T−1} γ^{k−t} r_k, the return from t to the end of t's episode ("reward to go",
 *   Spinning Up's VPG; actions are credited only with the rewards that follow them).
 * - `rewardToGo` false: every step of an episode gets the episode's discounted return from its start,
 *   G_0 = Σ_k γ^k r_k (Williams' original whole-trajectory weight).
 * Writes `returns` [nSteps·nEnvs] in place.
 */
export function monteCarloReturns(
  shape: RolloutShape,
  rewards: ArrayLike<number>,
  episodeStarts: ArrayLike<number>,
  gamma: number,
  rewardToGo: boolean,
  returns: Float32Array,
): void {
  const { nSteps, nEnvs } = shape;
  for (let e = 0; e < nEnvs; e++) {
    // Backward: the discounted sum from t to the end of t's episode (reset after an episode's first step).
    let g = 0;
    for (let t = nSteps - 1; t >= 0; t--) {
      const i = t * nEnvs + e;
      const continues = t < nSteps - 1 && episodeStarts[i + nEnvs] === 0;
      g = rewards[i] + (continues ? gamma * g : 0);
      returns[i] = g;
    }
    if (rewardToGo) continue;
    // Forward: each step takes the value at its episode's first step, G_0.
    let episodeReturn = 0;
    for (let t = 0; t < nSteps; t++) {
      const i = t * nEnvs + e;
      if (t === 0 || episodeStarts[i] === 1) episodeReturn = returns[i];
      returns[i] = episodeReturn;
    }
  }
}
