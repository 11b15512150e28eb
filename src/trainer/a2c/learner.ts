/** Placeholder until the a2c learner lands (issue 14): a run of this algorithm fails with this message. */
import type { A2cConfig } from '../../core/training/config';
import type { Learner } from '../learner';
import type { TrainingState } from '../ppo/state';

export function a2cLearner(_state: TrainingState<A2cConfig>): Learner {
  throw new Error('a2c: not implemented yet');
}
