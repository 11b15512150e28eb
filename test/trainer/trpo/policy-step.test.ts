import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolvePreset } from '../../../src/core/training/presets';
import type { TrpoConfig } from '../../../src/core/training/config';
import { networkForward, POLICY_PATH } from '../../../src/trainer/nn/backprop';
import { computeAdvantages } from '../../../src/trainer/ppo/advantages';
import { collectRollout } from '../../../src/trainer/ppo/rollout';
import { createTrainingState, rolloutContext, type TrainingState } from '../../../src/trainer/ppo/state';
import { initBackend } from '../../../src/trainer/tf-backend';
import { actorParams, actorSlots } from '../../../src/trainer/trpo/actor-params';
import { criticUpdate } from '../../../src/trainer/trpo/critic';
import {
  backtrackingLineSearch,
  gatherPolicyBatch,
  policyBatch,
  policyRows,
  policyStep,
  surrogateObjective,
  type PolicyBatch,
} from '../../../src/trainer/trpo/policy-step';

const options = { targetKl: 0.01, lineSearchShrinkingFactor: 0.8, lineSearchMaxIter: 10 };

describe('backtrackingLineSearch (sb3-contrib TRPO.train)', () => {
  /** Runs the search on `f(c)`, recording the coefficients it tried. */
  const search = (f: (c: number) => { objective: number; kl: number }, objectiveOld = 0, opts = options) => {
    const tried: number[] = [];
    const result = backtrackingLineSearch((c) => {
      tried.push(c);
      return f(c);
    }, objectiveOld, opts);
    return { result, tried };
  };

  it('shrinks by the factor until the KL is under the bound, and takes the first candidate that is', () => {
    // KL grows as c²: 0.02 at c = 1, so c = 1 and 0.8 break the bound of 0.01 and 0.64 is the first inside it.
    const { result, tried } = search((c) => ({ objective: c, kl: 0.02 * c * c }));
    expect(tried).toEqual([1, 0.8, 0.8 * 0.8]);
    expect(result).toEqual({ success: true, steps: 3, coefficient: 0.8 * 0.8, objective: 0.8 * 0.8, kl: 0.02 * (0.8 * 0.8) ** 2 });
  });

  it('rejects a candidate that lowers or only keeps the surrogate, however small its KL', () => {
    // Candidates 1–3 lower the surrogate (old: 0.5), the 4th keeps it exactly, the 5th improves it.
    const objectives = [-1, 0, 0.4, 0.5, 0.7];
    let call = 0;
    const { result, tried } = search(() => ({ objective: objectives[call++], kl: 0 }), 0.5);
    expect(tried.length).toBe(5);
    expect(result).toMatchObject({ success: true, steps: 5, objective: 0.7 });
    expect(result.coefficient).toBeCloseTo(0.8 ** 4, 12);
    const worse = search((c) => ({ objective: -c, kl: 1e-9 }));
    expect(worse.result.success).toBe(false);
    const equal = search(() => ({ objective: 0, kl: 1e-9 }));
    expect(equal.result.success).toBe(false);
  });

  it('gives up after lineSearchMaxIter candidates, NaN included', () => {
    const { result, tried } = search(() => ({ objective: NaN, kl: NaN }), 0, { ...options, lineSearchMaxIter: 4 });
    expect(tried).toEqual([1, 0.8, 0.8 ** 2, 0.8 ** 3].map((c) => expect.closeTo(c, 12)));
    expect(result).toMatchObject({ success: false, steps: 4, coefficient: 0 });
  });
});

/** A state with one collected rollout (advantages computed) and its policy batch. */
function rolloutState(overrides: Partial<TrpoConfig>, seed = 1): { state: TrainingState<TrpoConfig>; batch: PolicyBatch } {
  const config = resolvePreset('zoo', 'CartPole-v1', { nEnvs: 2, nSteps: 64, batchSize: 48, backend: 'cpu', seed, ...overrides }, 'trpo') as TrpoConfig;
  const state = createTrainingState(config);
  collectRollout(rolloutContext(state, () => {}), state.rollout, state.buffer, { kind: 'steps', nSteps: config.nSteps });
  computeAdvantages({ advantageEstimator: 'gae', gamma: config.gamma, gaeLambda: config.gaeLambda, nStepHorizon: 1, normalizeAdvantage: 'off' }, state.buffer);
  const batch = policyBatch(policyRows(state.buffer.size, config.subSamplingFactor), state.layout.spec.obsDim, state.distribution.actionDim);
  gatherPolicyBatch(state.buffer, config.subSamplingFactor, config.normalizeAdvantage, state.prng, batch);
  return { state, batch };
}

/** Indices of the flat layout that are not the actor's. */
function valueOnly(state: TrainingState): number[] {
  const actor = new Set(actorSlots(state.layout).flatMap((s) => Array.from({ length: s.size }, (_, i) => s.offset + i)));
  return Array.from({ length: state.layout.size }, (_, i) => i).filter((i) => !actor.has(i));
}

describe('TRPO policy step and critic', () => {
  beforeAll(async () => {
    expect((await initBackend('cpu')).backend).toBe('cpu');
  });

  it('normalizes the batch advantages with the unbiased std and subsamples every k-th row of a shuffle', () => {
    const { batch } = rolloutState({});
    const mean = batch.advantages.reduce((a, b) => a + b, 0) / batch.size;
    const variance = batch.advantages.reduce((a, b) => a + (b - mean) ** 2, 0) / (batch.size - 1);
    expect(mean).toBeCloseTo(0, 5);
    expect(Math.sqrt(variance)).toBeCloseTo(1, 5);
    const sub = rolloutState({ subSamplingFactor: 3, normalizeAdvantage: 'off' });
    expect(sub.batch.size).toBe(Math.ceil(128 / 3));
    // Rows of the shuffled rollout: distinct, both envs represented (not buffer order, which would be one env's rows).
    const buffer = sub.state.buffer;
    const rows = new Set<number>();
    for (let k = 0; k < sub.batch.size; k++) {
      const row = Array.from({ length: buffer.size }, (_, i) => i).find((i) => buffer.logProbs[i] === sub.batch.logProbOld[k] && buffer.advantages[i] === sub.batch.advantages[k]);
      expect(row).toBeDefined();
      rows.add(row!);
    }
    expect(rows.size).toBe(sub.batch.size);
    expect(new Set([...rows].map((i) => i % 2)).size).toBe(2);
  });

  it('an accepted step stays inside the trust region, improves the surrogate and moves only the actor parameters', () => {
    const { state, batch } = rolloutState({ cgDamping: 0.01 });
    const before = Float32Array.from(state.params);
    const tensors = tf.memory().numTensors;
    const stats = policyStep(state.layout, state.distribution, state.params, batch, state.config, state.prng);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(stats.success).toBe(true);
    expect(stats.kl).toBeGreaterThan(0);
    expect(stats.kl).toBeLessThan(state.config.targetKl);
    expect(stats.surrogateImprovement).toBeGreaterThan(0);
    expect(stats.stepFraction).toBeCloseTo(0.8 ** (stats.lineSearchSteps - 1), 12);
    expect(stats.cgResidual).toBeLessThan(0.5);
    // The reported KL and objective are those of the new parameters.
    const oldPass = networkForward(state.layout, before, batch.observations, batch.size, POLICY_PATH);
    const old = state.distribution.freeze(before, { head: oldPass.head, latentPi: oldPass.latentPi, batch: batch.size });
    oldPass.dispose();
    const newPass = networkForward(state.layout, state.params, batch.observations, batch.size, POLICY_PATH);
    const input = { head: newPass.head, latentPi: newPass.latentPi, batch: batch.size };
    const logProb = new Float64Array(batch.size);
    state.distribution.evaluate(state.params, input, batch.actions, logProb, new Float64Array(batch.size));
    expect(old.meanKl(state.params, input)).toBeCloseTo(stats.kl, 12);
    expect(surrogateObjective(logProb, batch)).toBeCloseTo(stats.objective, 12);
    newPass.dispose();
    for (const i of valueOnly(state)) expect(state.params[i]).toBe(before[i]);
    const actor = actorParams(state.layout);
    const moved = actor.gather(state.params, new Float64Array(actor.size)).some((p, i) => p !== actor.gather(before, new Float64Array(actor.size))[i]);
    expect(moved).toBe(true);
  });

  it('restores θ_old exactly when no candidate improves the surrogate, and reports the old objective and KL 0', () => {
    const { state, batch } = rolloutState({ lineSearchMaxIter: 3 });
    batch.advantages.fill(0);
    const before = Float32Array.from(state.params);
    const stats = policyStep(state.layout, state.distribution, state.params, batch, state.config, state.prng);
    expect(stats).toMatchObject({ success: false, kl: 0, objective: 0, lineSearchSteps: 3, stepFraction: 0, surrogateImprovement: 0 });
    expect(Array.from(state.params)).toEqual(Array.from(before));
  });

  it('the critic moves only the value-only parameters (a shared trunk stays), one Adam step per minibatch, and fits the returns', () => {
    const { state } = rolloutState({ sharedLayers: [16], piLayers: [8], vfLayers: [8], nCriticUpdates: 3, batchSize: 48 });
    const actor = actorParams(state.layout);
    const before = Float32Array.from(state.params);
    const first = criticUpdate(state, actor, 1e-3);
    // 128 transitions in minibatches of 48: 48, 48, 32 per pass (SB3: the last one shorter).
    expect(state.adam.t).toBe(3 * 3);
    const actorBefore = actor.gather(before, new Float64Array(actor.size));
    expect(Array.from(actor.gather(state.params, new Float64Array(actor.size)))).toEqual(Array.from(actorBefore));
    expect(valueOnly(state).every((i) => state.params[i] !== before[i])).toBe(true);
    expect(actor.gather(state.adam.m, new Float64Array(actor.size)).every((m) => m === 0)).toBe(true);
    let last = first;
    for (let i = 0; i < 20; i++) last = criticUpdate(state, actor, 1e-2);
    expect(last).toBeLessThan(0.5 * first);
  });
});
