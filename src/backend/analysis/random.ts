/** The fixed-seed generator behind every bootstrap of the analysis: the same selection gives the same intervals. */
import { createRng } from '../../core/rng';

const BOOTSTRAP_SEED = 0;

/** A uniform [0, 1) generator seeded with `BOOTSTRAP_SEED`. */
export function seededRandom(): () => number {
  const rng = createRng(BOOTSTRAP_SEED);
  return () => rng.random();
}
