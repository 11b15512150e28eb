/**
 * Evaluation on a separate env (SB3 `evaluate_policy`): run `episodes` whole episodes with the current policy
 * (greedy by default), observations normalized with the frozen training statistics, raw rewards.
 * Returns mean and population std (np.std) of the episode returns.
 *
 * `prng` must be the evaluation's own stream, never the training's: a sampled (or gSDE) evaluation then leaves what
 * training draws untouched, so evaluating more or less often does not change a run. With `maxSeconds`, the
 * evaluation stops once that much wall time has passed and at least one episode has finished (fewer episodes then).
 */
import type { VectorEnvLike } from '../../core/envs/vector-env';
import type { VecNormalize } from '../../core/training/vec-normalize';
import type { Layout } from '../nn/actor-critic';
import { loadInference } from '../nn/inference';
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
  maxSeconds: number | null = null,
): EvalResult {
  const deadline = maxSeconds === null ? Infinity : performance.now() + maxSeconds * 1000;
  const nEnvs = env.numEnvs;
  const dim = distribution.actionDim;
  const sample: SampleOut = { actions: new Float32Array(nEnvs * dim), logProbs: new Float32Array(nEnvs) };
  const envActions = new Float32Array(nEnvs * dim);
  const returns: number[] = [];
  const lengths: number[] = [];
  const inference = loadInference(layout, params);
  let obs = env.reset();
  // A greedy policy uses no exploration noise (and gSDE's noise matrix belongs to the training envs' rollout).
  if (!deterministic) distribution.resetNoise(params, prng, nEnvs);
  while (returns.length < episodes && !(returns.length > 0 && performance.now() >= deadline)) {
    const input = normalize ? normalize.normalizeObsBatch(obs, false) : obs;
    const forward = inference.forward(input, nEnvs);
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
