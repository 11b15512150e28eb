/** Placeholder until the trpo learner lands (issue 14): a run of this algorithm fails with this message. */
import type { TrpoConfig } from '../../core/training/config';
import type { Learner } from '../learner';
import type { TrainingState } from '../ppo/state';

export function trpoLearner(_state: TrainingState<TrpoConfig>): Learner {
  throw new Error('trpo: not implemented yet');
}
