/**
 * The adaptive KL penalty's rule as the Learn view reads it back from a run (Schulman et al. 2017, §4): after each
 * update, with d = KL(π_old‖π) measured over the rollout, β halves when d < d_targ/1.5 and doubles when
 * d > 1.5·d_targ. The trainer applies it in src/trainer/ppo/update.ts (`adaptBeta`; a test checks both agree).
 */

/** The KL band inside which β stays: [d_targ/1.5, 1.5·d_targ]. */
export function klBand(klTarget: number): { low: number; high: number } {
  return { low: klTarget / 1.5, high: klTarget * 1.5 };
}

export type BetaMove = 'halve' | 'double' | 'keep';

/** What the rule does to β after an update that measured `kl`. */
export function betaMove(kl: number, klTarget: number): BetaMove {
  const band = klBand(klTarget);
  if (kl < band.low) return 'halve';
  if (kl > band.high) return 'double';
  return 'keep';
}

/** A change of β between two consecutive updates. */
export interface BetaChange {
  /** Index of the update that used the new β (its predecessor's KL caused the change). */
  index: number;
  from: number;
  to: number;
  /** `halve` / `double` when the new β is half / twice the old (to 1e-9 relative), `other` for any other change. */
  kind: Exclude<BetaMove, 'keep'> | 'other';
}

/**
 * The changes in a series of β, one per update in order (the β each update used, as `train/beta` logs it). Non-finite
 * values are skipped (compared with the last finite one).
 */
export function betaChanges(betas: readonly number[]): BetaChange[] {
  const changes: BetaChange[] = [];
  let previous = NaN;
  for (let i = 0; i < betas.length; i++) {
    const beta = betas[i]!;
    if (!Number.isFinite(beta)) continue;
    if (Number.isFinite(previous) && beta !== previous) {
      const ratio = beta / previous;
      const kind = Math.abs(ratio - 0.5) < 1e-9 ? 'halve' : Math.abs(ratio - 2) < 1e-9 ? 'double' : 'other';
      changes.push({ index: i, from: previous, to: beta, kind });
    }
    previous = beta;
  }
  return changes;
}
