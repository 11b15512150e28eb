/**
 * Policy inference from a checkpoint, for replay: `loadPolicy(checkpoint).act(obs, deterministic, temperature)`.
 * Runs the pure-JS forward (no tfjs needed); observations are normalized with the checkpoint's frozen statistics, and
 * V(s) is given back in the env's reward units. Sampling can be tempered (core/math/temperature): T = 1 is the policy
 * as trained (its own sampler), T = 0 the greedy action, and other T draw from p^(1/T) (categorical softmax(logits/T),
 * Gaussian σ·√T).
 */
import { sampleCategorical, temperedGaussianAction, temperedProbs } from '../../core/math/temperature';
import { VecNormalize } from '../../core/training/vec-normalize';
import { buildLayout, forwardJs, valueSaturated, type Layout } from '../nn/actor-critic';
import { createPrng, type Prng } from '../nn/prng';
import { bytesToFloats, CHECKPOINT_FORMAT, modelFromMeta, type Checkpoint } from './checkpoint';
import { stepActions } from './actions';
import { makeDistribution, type PolicyDistribution } from './distributions';

export interface ActResult {
  /** The action to step the env with: an integer (Discrete) or numbers clipped to the Box bounds. */
  action: number | number[];
  /**
   * V(s) in the env's reward units, the discounted (γ) return the critic expects from this state. When the run
   * normalized its rewards the network's output is scaled back with the checkpoint's return statistics
   * (VecNormalize.unnormalizeReward), so it reads beside the rewards the env pays. Absent when the run never trained
   * its value network (REINFORCE without a baseline, GRPO), so replay shows no value rather than an untrained network's
   * output.
   */
  value?: number;
  /** With `value`: the value network is saturated here, so nearby states get the same V(s) (nn `valueSaturated`). */
  valueSaturated?: boolean;
  /** Categorical probabilities. */
  probs?: number[];
  /** Gaussian mean and std per action dimension. */
  mean?: number[];
  std?: number[];
}

export interface LoadedPolicy {
  layout: Layout;
  stepsDone: number;
  envId: string;
  /**
   * One decision. `deterministic` (or `temperature` 0) takes the greedy action; otherwise the action is drawn at
   * `temperature` (default 1, the trained policy). `probs`, `mean` and `std` always describe the trained policy (T = 1).
   */
  act(observation: ArrayLike<number>, deterministic: boolean, temperature?: number): ActResult;
}

export function loadPolicy(checkpoint: Checkpoint, seed = 0): LoadedPolicy {
  const meta = checkpoint.meta;
  if (meta.format !== CHECKPOINT_FORMAT) throw new Error(`unknown checkpoint format ${String(meta.format)}`);
  const layout = buildLayout(modelFromMeta(meta.model));
  const params = bytesToFloats(checkpoint.weights);
  if (params.length !== layout.size) throw new Error(`checkpoint has ${params.length} parameters, its model needs ${layout.size}`);
  const distribution: PolicyDistribution = makeDistribution(layout, meta.model.useSde, meta.config.temperature);
  const normalize = meta.normalization ? VecNormalize.fromJSON(meta.normalization) : null;
  const prng: Prng = createPrng(seed);
  distribution.resetNoise(params, prng, 1);
  const spec = layout.spec;
  const dim = distribution.actionDim;
  const sample = { actions: new Float32Array(dim), logProbs: new Float32Array(1) };
  const envAction = new Float32Array(dim);
  // REINFORCE without a baseline never trains its value network; GRPO has none (only the layout's untrained head).
  const trainedCritic = !((meta.config.algorithm === 'reinforce' && !meta.config.useBaseline) || meta.config.algorithm === 'grpo');
  return {
    layout,
    stepsDone: meta.stepsDone,
    envId: meta.config.envId,
    act(observation, deterministic, temperature = 1) {
      if (observation.length !== spec.obsDim) throw new Error(`expected an observation of ${spec.obsDim} numbers, got ${observation.length}`);
      const raw = Float32Array.from(observation);
      const input = normalize ? normalize.normalizeObsBatch(raw, false) : raw;
      const forward = forwardJs(layout, params, input, 1);
      const greedy = deterministic || temperature === 0;
      const described = distribution.describe(params, forward, 0);
      if (greedy || temperature === 1 || spec.action.kind !== 'discrete') distribution.sample(params, forward, 1, greedy, prng, sample);
      if (!greedy && temperature !== 1) {
        // Tempered: a categorical draws from softmax(log p / T); a Gaussian's T = 1 draw moves to μ + √T·(a − μ).
        if (spec.action.kind === 'discrete') sample.actions[0] = sampleCategorical(temperedProbs(described.probs!, temperature), prng.random());
        else sample.actions.set(temperedGaussianAction(described.mean!, sample.actions, temperature));
      }
      const action = spec.action.kind === 'discrete' ? sample.actions[0] : Array.from(stepActions(spec.action, sample.actions, envAction));
      const critic = trainedCritic
        ? { value: normalize ? normalize.unnormalizeReward(forward.values[0]) : forward.values[0], valueSaturated: valueSaturated(layout, params, input) }
        : {};
      return { action, ...critic, ...described };
    },
  };
}
