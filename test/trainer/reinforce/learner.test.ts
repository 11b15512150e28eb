import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC } from '../../../src/core/metrics/keys';
import type { ReinforceConfig } from '../../../src/core/training/config';
import { resolvePreset } from '../../../src/core/training/presets';
import { forwardJs } from '../../../src/trainer/nn/actor-critic';
import { createPrng } from '../../../src/trainer/nn/prng';
import { createTrainingState, rolloutContext } from '../../../src/trainer/ppo/state';
import { collectEpisodes } from '../../../src/trainer/reinforce/collect';
import { reinforceLearner, reinforceUpdate } from '../../../src/trainer/reinforce/learner';
import { initBackend } from '../../../src/trainer/tf-backend';

/** A fresh CartPole state (perturbed weights, so V and the logits are far from 0) with one batch of 3 episodes on 2 envs. */
function collected(overrides: Partial<ReinforceConfig>) {
  const config = resolvePreset('defaults', 'CartPole-v1', { nEnvs: 2, episodesPerBatch: 3, gamma: 0.95, entCoef: 0.02, seed: 7, backend: 'cpu', ...overrides }, 'reinforce');
  const state = createTrainingState(config);
  const noise = createPrng(3);
  for (let i = 0; i < state.params.length; i++) state.params[i] += 0.2 * noise.normal();
  const params0 = Float32Array.from(state.params);
  const batch = collectEpisodes(rolloutContext(state, () => {}), state.rollout, state.buffer, config.episodesPerBatch, 10_000);
  return { config, state, params0, batch };
}

/** The batch's per-step figures computed by hand: G per episode, V and log π(a|s) with the weights before the update. */
function byHand(s: ReturnType<typeof collected>) {
  const { state, params0, batch, config } = s;
  const { buffer, layout } = state;
  const G: number[] = [];
  const V: number[] = [];
  const logp: number[] = [];
  const H: number[] = [];
  for (const { env, start, length } of batch.episodes) {
    const rows = Array.from({ length }, (_, t) => (start + t) * buffer.nEnvs + env);
    const rewards = rows.map((i) => buffer.rewards[i]);
    const episodeReturn = rewards.reduce((g, r, k) => g + config.gamma ** k * r, 0);
    rows.forEach((i, t) => {
      G.push(config.rewardToGo ? rewards.slice(t).reduce((g, r, k) => g + config.gamma ** k * r, 0) : episodeReturn);
      V.push(buffer.values[i]);
      const head = Array.from(forwardJs(layout, params0, buffer.observations.subarray(i * 4, i * 4 + 4), 1).head);
      const logSum = Math.log(head.reduce((acc, z) => acc + Math.exp(z), 0));
      const lp = head.map((z) => z - logSum);
      logp.push(lp[buffer.actions[i]]);
      H.push(-lp.reduce((acc, l) => acc + Math.exp(l) * l, 0));
    });
  }
  return { G, V, logp, H };
}

const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const popVar = (x: number[]) => mean(x.map((v) => (v - mean(x)) ** 2));

describe('reinforceUpdate', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('with a baseline and standardized reward-to-go returns: weights G − V, value loss mean((G − V)²), one Adam step', () => {
    const s = collected({ useBaseline: true, normalizeReturns: true, rewardToGo: true, vfCoef: 0.5 });
    const { G, V, logp, H } = byHand(s);
    const returnMean = mean(G);
    const std = Math.sqrt(G.reduce((a, g) => a + (g - returnMean) ** 2, 0) / (G.length - 1));
    const Gn = G.map((g) => (g - returnMean) / (std + 1e-8));
    const A = Gn.map((g, i) => g - V[i]);
    const stats = reinforceUpdate(s.state, s.batch, 1e-3, 0.02);
    const policyLoss = -mean(A.map((a, i) => a * logp[i]));
    const valueLoss = mean(A.map((a) => a * a));
    expect(stats.returnMean).toBeCloseTo(returnMean, 4);
    expect(stats.policyLoss).toBeCloseTo(policyLoss, 4);
    expect(stats.valueLoss).toBeCloseTo(valueLoss, 4);
    expect(stats.baselineError).toBeCloseTo(valueLoss, 4);
    expect(stats.entropy).toBeCloseTo(mean(H), 5);
    expect(stats.loss).toBeCloseTo(policyLoss - 0.02 * mean(H) + 0.5 * valueLoss, 4);
    expect(stats.returnVariance).toBeCloseTo(popVar(A), 4);
    expect(s.state.adam.t).toBe(1);
    expect(s.state.nUpdates).toBe(1);
    expect(s.state.params).not.toEqual(s.params0);
  });

  it('without a baseline: weights are the whole-episode returns G_0, and the value network is left untouched', () => {
    const s = collected({ useBaseline: false, normalizeReturns: false, rewardToGo: false });
    const { G, logp } = byHand(s);
    // Whole-episode weights: each episode's steps share one weight, Σ_k γ^k (CartPole's reward is 1 per step).
    let row = 0;
    for (const { length } of s.batch.episodes) {
      for (let t = 0; t < length; t++) expect(G[row + t]).toBeCloseTo((1 - s.config.gamma ** length) / (1 - s.config.gamma), 9);
      row += length;
    }
    const stats = reinforceUpdate(s.state, s.batch, 1e-3, 0.02);
    expect(stats.returnMean).toBeCloseTo(mean(G), 4);
    expect(stats.policyLoss).toBeCloseTo(-mean(G.map((g, i) => g * logp[i])), 3);
    expect(stats.returnVariance).toBeCloseTo(popVar(G), 3);
    expect(stats.baselineError).toBeNaN();
    const { valueHead, vf, actionHead } = s.state.layout;
    for (const layer of [...vf, valueHead]) {
      for (const slot of [layer.w, layer.b]) expect(s.state.params.subarray(slot.offset, slot.offset + slot.size)).toEqual(s.params0.subarray(slot.offset, slot.offset + slot.size));
    }
    expect(s.state.params.subarray(actionHead.b.offset, actionHead.b.offset + 2)).not.toEqual(s.params0.subarray(actionHead.b.offset, actionHead.b.offset + 2));
  });
});

describe('reinforceLearner', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('counts discarded steps in the budget and reports them; without a baseline leaves out the value metrics', () => {
    for (const useBaseline of [true, false]) {
      const config = resolvePreset('defaults', 'CartPole-v1', { nEnvs: 3, episodesPerBatch: 4, seed: 1, backend: 'cpu', useBaseline }, 'reinforce');
      const state = createTrainingState(config);
      const learner = reinforceLearner(state);
      const envSteps = learner.collect(rolloutContext(state, () => {}));
      expect(envSteps).toBe(state.buffer.nSteps * 3);
      state.stepsDone += envSteps;
      const metrics = learner.update().metrics({ fps: 0, rolloutSeconds: 0, updateSeconds: 0 });
      expect(metrics[METRIC.episodesPerUpdate]).toBe(4);
      expect(metrics[METRIC.discardedSteps]).toBeGreaterThan(0);
      expect(metrics[METRIC.discardedSteps]).toBeLessThan(envSteps);
      expect(metrics[METRIC.nUpdates]).toBe(1);
      for (const key of [METRIC.policyLoss, METRIC.entropy, METRIC.entropyLoss, METRIC.loss, METRIC.returnMean, METRIC.returnVariance, METRIC.gradNorm, METRIC.learningRate]) {
        expect(Number.isFinite(metrics[key]), key).toBe(true);
      }
      for (const key of [METRIC.valueLoss, METRIC.baselineError, METRIC.explainedVariance]) expect(key in metrics, key).toBe(useBaseline);
    }
  });
});
