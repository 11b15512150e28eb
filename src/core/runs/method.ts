/**
 * A run's method as every view names it: the algorithm (a stored config without `algorithm`, i.e. every run before
 * the ancestors were added, is PPO) and, for PPO, its policy objective (`PPO · clip`; `A2C`, `TRPO`, `REINFORCE`).
 */
import { ALGORITHM_LABELS, isAlgorithm, type Algorithm } from '../training/config';

/**
 * The algorithm of a stored config: its `algorithm`, or PPO when it has none. (A value this build does not know
 * cannot be stored: configs are validated on the way in, by sweeps and by bundle import.)
 */
export function algorithmOf(config: Readonly<Record<string, unknown>>): Algorithm {
  const algorithm = config['algorithm'];
  return isAlgorithm(algorithm) ? algorithm : 'ppo';
}

/**
 * The method label of a run: `PPO · <objective>` for PPO, the algorithm's display name otherwise (the runs table's
 * `objective` column holds the algorithm's id for those, so it adds nothing).
 */
export function methodLabel(algorithm: Algorithm, objective: string): string {
  return algorithm === 'ppo' ? `${ALGORITHM_LABELS.ppo} · ${objective}` : ALGORITHM_LABELS[algorithm];
}
