/** Placeholder until the reinforce learner lands (issue 14): a run of this algorithm fails with this message. */
import type { ReinforceConfig } from '../../core/training/config';
import type { Learner } from '../learner';
import type { TrainingState } from '../ppo/state';

export function reinforceLearner(_state: TrainingState<ReinforceConfig>): Learner {
  throw new Error('reinforce: not implemented yet');
}
