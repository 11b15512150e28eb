/**
 * What the Learn view's episode figures (GAE; entropy and temperature) compute from a saved Replay recording. Pure:
 * the maths is core's (the trainer's `computeGae` through `episodeGae`; core/math/temperature), this module only
 * reads the frames.
 *
 * Frame t shows state s_t with V(s_t) and the policy's distribution there; the reward r_t of the step taken from s_t
 * is on frame t + 1. The last frame T closes the episode: terminated (no bootstrap), truncated (its V(s_T) is the
 * bootstrap) or still running when the recording was saved (its V(s_T) too).
 */
import type { ReplayFrame } from '../../../../core/api/contract';
import { episodeGae, type EpisodeForGae } from '../../../../core/math/returns';
import { std } from '../../../../core/math/stats';
import { categoricalEntropy, gaussianDensity, gaussianEntropy, temperedProbs, temperedStd } from '../../../../core/math/temperature';

/** GAE's input from a recording; `bootstrapMissing` when a truncated episode was saved without V(s_T) (read as 0). */
export type GaeEpisode = EpisodeForGae & { bootstrapMissing: boolean };

/** The recording as GAE reads it, or null when it has no steps or no V(s) (a policy without a critic, as GRPO's). */
export function gaeEpisode(frames: readonly ReplayFrame[]): GaeEpisode | null {
  if (frames.length < 2) return null;
  const steps = frames.slice(0, -1);
  if (steps.some((f) => f.value === null)) return null;
  const last = frames.at(-1)!;
  return {
    rewards: frames.slice(1).map((f) => f.reward),
    values: steps.map((f) => f.value!),
    lastValue: last.value ?? 0,
    terminated: last.terminated,
    bootstrapMissing: !last.terminated && last.value === null,
  };
}

export interface GaeCurves {
  /** A_t at the chosen λ, TD(0) (λ = 0) and Monte-Carlo (λ = 1), for t = 0 … T − 1. */
  gae: number[];
  td0: number[];
  monteCarlo: number[];
}

export function gaeCurves(episode: EpisodeForGae, gamma: number, gaeLambda: number): GaeCurves {
  const of = (lambda: number): number[] => Array.from(episodeGae(episode, gamma, lambda).advantages);
  return { gae: of(gaeLambda), td0: of(0), monteCarlo: of(1) };
}

/** Population std of the advantages over the episode: how much they vary from step to step (the variance side). */
export const advantageSpread = (advantages: readonly number[]): number => std(advantages);

/** A frame's action distribution at T = 1, as the recording stored it. */
export type FrameDistribution = { kind: 'categorical'; probs: number[] } | { kind: 'gaussian'; mean: number[]; std: number[] };

export function frameDistribution(frame: ReplayFrame | undefined): FrameDistribution | null {
  if (frame?.probs) return { kind: 'categorical', probs: frame.probs };
  if (frame?.mean && frame.std) return { kind: 'gaussian', mean: frame.mean, std: frame.std };
  return null;
}

/** The indices of the frames that carry a distribution (every state the policy decided at). */
export const decisionFrames = (frames: readonly ReplayFrame[]): number[] => frames.flatMap((f, i) => (frameDistribution(f) ? [i] : []));

/** The distribution at temperature T with its entropy in nats (−∞ for a Gaussian at T = 0). */
export function tempered(distribution: FrameDistribution, temperature: number): FrameDistribution & { entropy: number } {
  if (distribution.kind === 'categorical') {
    const probs = temperedProbs(distribution.probs, temperature);
    return { kind: 'categorical', probs, entropy: categoricalEntropy(probs) };
  }
  const scaled = temperedStd(distribution.std, temperature);
  return { kind: 'gaussian', mean: distribution.mean, std: scaled, entropy: gaussianEntropy(scaled) };
}

/**
 * The density of one action dimension at `std` on a fixed window, mean ± 4·σ·√maxTemperature (so the curve visibly
 * widens and flattens as T rises, on unchanged axes). A zero std (T = 0) is drawn as a spike at the mean.
 */
export function densityCurve(mean: number, std: number, baseStd: number, maxTemperature: number, points = 161): { x: number; y: number }[] {
  const half = 4 * baseStd * Math.sqrt(maxTemperature);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < points; i++) {
    const x = mean - half + (2 * half * i) / (points - 1);
    out.push({ x, y: std > 0 ? gaussianDensity(x, mean, std) : 0 });
  }
  if (std === 0) out.splice(Math.floor(points / 2), 1, { x: mean, y: gaussianDensity(0, 0, baseStd) * 10 });
  return out;
}
