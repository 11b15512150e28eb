/** Gymnasium's wrappers, with its exact update rules. */
export { RunningMeanStd, type RunningMeanStdJSON } from './running-mean-std';
export { RecordEpisodeStatistics, type EpisodeStatistics } from './record-episode-statistics';
export { NormalizeObservation } from './normalize-observation';
export { NormalizeReward, type NormalizeRewardStats } from './normalize-reward';
export { ClipAction, ClipObservation, ClipReward } from './clip';
