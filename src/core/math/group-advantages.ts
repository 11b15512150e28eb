/**
 * GRPO's group-relative advantages (Shao et al. 2024, DeepSeekMath §4.1.2–4.1.3): the baseline of an episode is the
 * other episodes of its group — G episodes from one start state — instead of a learned value.
 *
 * - Outcome (§4.1.2, outcome supervision): one score per episode, its return from the start
 *   Rᵢ = Σ_t γᵗ rᵢ,ₜ; every step of episode i gets Âᵢ,ₜ = (Rᵢ − mean(R)) / (std(R) + ε).
 * - Reward-to-go (the per-step form, after §4.1.3's process supervision, which sums normalized step rewards from t
 *   on): the return from t, Gᵢ,ₜ = Σ_{k≥t} γ^{k−t} rᵢ,ₖ, normalized over the group at the same time step t:
 *   Âᵢ,ₜ = (Gᵢ,ₜ − mean_j Gⱼ,ₜ) / (std_j Gⱼ,ₜ + ε). An episode that has ended before t counts with Gⱼ,ₜ = 0: it
 *   collects nothing more, which is its true return from t in the finite-horizon problem every member of a group
 *   shares (same start, same time limit).
 *
 * std is the sample standard deviation (n − 1), torch's `std` as TRL's GRPOTrainer applies it to each group, and ε is
 * TRL's 1e-4. A group whose values are all equal carries no signal: its advantages are exactly 0 (not 0/ε, which
 * rounding in the mean could turn into noise).
 */

/** ε added to the group's std (TRL GRPOTrainer: `(rewards - mean) / (std + 1e-4)`). */
export const GROUP_STD_EPS = 1e-4;

export interface GroupStats {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a zero-spread group. */
  std: number;
  /** All values equal: no signal, zero advantages. */
  zeroSpread: boolean;
}

/** Mean, sample std (n − 1) and whether all values are equal, of a group of at least two values. */
export function groupStats(values: ArrayLike<number>): GroupStats {
  const n = values.length;
  if (n < 2) throw new RangeError(`a group needs at least 2 values, got ${n}`);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  if (min === max) return { mean: min, std: 0, zeroSpread: true };
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / (n - 1)), zeroSpread: false };
}

/** (x − mean)/(std + ε) of every value of a group into `out`; exactly 0 everywhere for a zero-spread group. */
export function normalizeInGroup(values: ArrayLike<number>, out: Float64Array): GroupStats {
  const stats = groupStats(values);
  for (let i = 0; i < values.length; i++) out[i] = stats.zeroSpread ? 0 : (values[i] - stats.mean) / (stats.std + GROUP_STD_EPS);
  return stats;
}

/** The discounted returns from each step, G_t = r_t + γ·G_{t+1}, of one episode's rewards. */
export function rewardsToGo(rewards: ArrayLike<number>, gamma: number): Float64Array {
  const g = new Float64Array(rewards.length);
  let next = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    next = rewards[t] + gamma * next;
    g[t] = next;
  }
  return g;
}

export type GroupAdvantageMode = 'outcome' | 'reward-to-go';

export interface GroupAdvantages {
  /** Per episode, one advantage per step (the episode's length). */
  advantages: Float64Array[];
  /** Each episode's return from the start Rᵢ = Gᵢ,₀. */
  returns: Float64Array;
  /** Statistics of the returns Rᵢ over the group (zeroSpread: every episode scored the same). */
  stats: GroupStats;
}

/**
 * The advantages of one group's episodes, given each episode's rewards in order (see the file comment for the two
 * modes). Every episode must have at least one step.
 */
export function groupAdvantages(rewards: readonly ArrayLike<number>[], gamma: number, mode: GroupAdvantageMode): GroupAdvantages {
  const n = rewards.length;
  if (rewards.some((r) => r.length === 0)) throw new RangeError('every episode of a group needs at least one step');
  const toGo = rewards.map((r) => rewardsToGo(r, gamma));
  const returns = Float64Array.from(toGo, (g) => g[0]);
  const advantages = rewards.map((r) => new Float64Array(r.length));
  if (mode === 'outcome') {
    const normalized = new Float64Array(n);
    const stats = normalizeInGroup(returns, normalized);
    for (let i = 0; i < n; i++) advantages[i].fill(normalized[i]);
    return { advantages, returns, stats };
  }
  const horizon = Math.max(...rewards.map((r) => r.length));
  const atT = new Float64Array(n);
  const normalized = new Float64Array(n);
  for (let t = 0; t < horizon; t++) {
    for (let i = 0; i < n; i++) atT[i] = t < toGo[i].length ? toGo[i][t] : 0;
    normalizeInGroup(atT, normalized);
    for (let i = 0; i < n; i++) if (t < toGo[i].length) advantages[i][t] = normalized[i];
  }
  return { advantages, returns, stats: groupStats(returns) };
}
