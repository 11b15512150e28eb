/**
 * Evaluation on a separate env (SB3 `evaluate_policy`): run `episodes` whole episodes with the current policy
 * (greedy by default), observations normalized with the frozen training statistics, raw rewards.
 * Returns mean and population std (np.std) of the episode returns.
 */
import type { VectorEnvLike } from '../../core/envs/vector-env';
import type { VecNormalize } from '../../core/training/vec-normalize';
import { forwardJs, type Layout } from '../nn/actor-critic';
import type { Prng } from '../nn/prng';
import type { PolicyDistribution, SampleOut } from './distributions';
import { stepActions } from './actions';

export interface EvalResult {
  mean: number;
  std: number;
  episodes: number;
  returns: number[];
  lengths: number[];
}

export function evaluatePolicy(
  env: VectorEnvLike,
  layout: Layout,
  params: Float32Array,
  distribution: PolicyDistribution,
  normalize: VecNormalize | null,
  episodes: number,
  deterministic: boolean,
  prng: Prng,
): EvalResult {
  const nEnvs = env.numEnvs;
  const dim = distribution.actionDim;
  const sample: SampleOut = { actions: new Float32Array(nEnvs * dim), logProbs: new Float32Array(nEnvs) };
  const envActions = new Float32Array(nEnvs * dim);
  const returns: number[] = [];
  const lengths: number[] = [];
  let obs = env.reset();
  distribution.resetNoise(params, prng, nEnvs);
  while (returns.length < episodes) {
    const input = normalize ? normalize.normalizeObsBatch(obs, false) : obs;
    const forward = forwardJs(layout, params, input, nEnvs);
    distribution.sample(params, forward, nEnvs, deterministic, prng, sample);
    const result = env.step(stepActions(layout.spec.action, sample.actions, envActions));
    for (const episode of result.finishedEpisodes) {
      if (returns.length < episodes) {
        returns.push(episode.return);
        lengths.push(episode.length);
      }
    }
    obs = result.observations;
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
  return { mean, std, episodes: returns.length, returns, lengths };
}
