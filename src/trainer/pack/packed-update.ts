/**
 * The PPO update (ppo/update.ts) of M pack members at once: each member runs its own epochs of its own shuffled
 * minibatches on its own rollout, with its own schedule, coefficients, Adam state and random stream, exactly as its
 * solo `update` would; only the network's forward and backward pass of the k-th minibatch of every member still
 * training is one batched computation (pack/packed-backprop.ts). Everything per row on the host — gathering,
 * advantage normalization, the distribution's log-probs and chain rule, the loss and its output gradients, Adam —
 * is the solo code, called once per member.
 *
 * A member that hits its target-KL early stop drops out of the remaining minibatches of that epoch and of the later
 * epochs (the solo update's `break`s): it draws no further permutation from its stream, so its state after the
 * update is its solo state. The others go on in a smaller pass.
 */
import { normalizeAdvantages } from '../../core/math/returns';
import { mean } from '../../core/math/stats';
import { RatioRecorder } from '../../core/metrics/ratio-stats';
import type { PpoConfig } from '../../core/training/config';
import { adamStep } from '../nn/adam';
import { ppoLoss, usesExactKl, type LossCoefficients, type LossOutput } from '../ppo/losses';
import type { Layout } from '../nn/actor-critic';
import type { PolicyDistribution } from '../ppo/distributions';
import { batchKl, gather, gatherRows, minibatchGradient, oldStatsOf, permutation, type MinibatchArrays } from '../ppo/minibatch';
import type { TrainingState } from '../ppo/state';
import { adaptBeta, type UpdateSchedule, type UpdateStats } from '../ppo/update';
import { batchedPassPays, packedNetworkForward } from './packed-backprop';

/** One member's running totals through the update (ppo/update.ts's locals). */
interface MemberProgress {
  readonly state: TrainingState<PpoConfig>;
  readonly coefs: LossCoefficients;
  readonly learningRate: number;
  /** π_old's distribution per rollout row [size, oldStatsDim] (exact KL penalty), and the minibatch's rows of it. */
  readonly old: Float64Array | null;
  readonly mbOld: Float64Array | null;
  readonly ratios: RatioRecorder;
  readonly sums: { policyLoss: number; valueLoss: number; entropy: number; clipFraction: number; ratioMean: number; gradNorm: number };
  ratioMax: number;
  minibatches: number;
  lastLoss: number;
  epochKl: number[];
  epochKlK1: number[];
  epochsDone: number;
  order: Uint32Array;
  /** Stopped by target KL in the current epoch (and so for the rest of the update). */
  stopped: boolean;
}

/**
 * Runs the update on each member's rollout (advantages computed), changing its params, Adam state, β and nUpdates
 * as ppo/update.ts `update(members[m], schedules[m])` would; returns each member's statistics. The members must
 * share the network layout, buffer size, batch size and epochs (pack/pack.ts `packKey`) and use fixed-length
 * rollouts (`packRefusal`). `batched`: one batched network pass per minibatch (default where it pays on the active
 * backend, pack/packed-backprop.ts `batchedPassPays`), or each member's solo pass.
 */
export function packedUpdate(
  members: readonly TrainingState<PpoConfig>[],
  schedules: readonly UpdateSchedule[],
  batched: boolean = batchedPassPays(),
): UpdateStats[] {
  if (members.length === 0) return [];
  if (schedules.length !== members.length) throw new Error(`packedUpdate: ${members.length} members, ${schedules.length} schedules`);
  const first = members[0];
  const { layout } = first;
  const size = first.buffer.size;
  const { batchSize, nEpochs } = first.config;
  const progress: MemberProgress[] = members.map((state, m) => {
    const { config } = state;
    if (config.rolloutMode !== 'steps') throw new Error('packedUpdate: members need fixed-length rollouts (rolloutMode "steps")');
    if (state.buffer.size !== size || config.batchSize !== batchSize || config.nEpochs !== nEpochs || state.layout.size !== layout.size) {
      throw new Error(`packedUpdate: member ${m} differs from member 0 in rollout size, batch size, epochs or network`);
    }
    const coefs: LossCoefficients = {
      objective: config.objective, clipRange: schedules[m].clipRange, clipRangeVf: config.clipRangeVf,
      entCoef: schedules[m].entCoef, vfCoef: config.vfCoef, beta: state.beta, klEstimator: config.klEstimator,
    };
    // The exact KL penalty needs π_old's whole distribution per row: recorded before the first step changes θ.
    const old = usesExactKl(coefs) ? oldStatsOf(state.layout, state.distribution, state.params, state.buffer) : null;
    return {
      state, coefs, learningRate: schedules[m].learningRate,
      old, mbOld: old ? new Float64Array(batchSize * state.distribution.oldStatsDim) : null,
      ratios: new RatioRecorder(size, schedules[m].clipRange),
      sums: { policyLoss: 0, valueLoss: 0, entropy: 0, clipFraction: 0, ratioMean: 0, gradNorm: 0 },
      ratioMax: 0, minibatches: 0, lastLoss: NaN, epochKl: [], epochKlK1: [], epochsDone: 0,
      order: new Uint32Array(0), stopped: false,
    };
  });

  // ---- Epochs of shuffled minibatches, each member on its own permutation ----
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    const inEpoch = progress.filter((p) => !p.stopped);
    if (inEpoch.length === 0) break;
    for (const p of inEpoch) {
      p.epochKl = [];
      p.epochKlK1 = [];
      p.order = permutation(size, p.state.prng);
    }
    for (let start = 0; start + batchSize <= size; start += batchSize) {
      const live = inEpoch.filter((p) => !p.stopped);
      if (live.length === 0) break;
      for (const p of live) {
        const mb = p.state.minibatch;
        const rows = p.order.subarray(start, start + batchSize);
        gather(p.state.buffer, rows, mb);
        if (p.old && p.mbOld) gatherRows(p.old, p.state.distribution.oldStatsDim, rows, p.mbOld);
        // Advantage normalization at the minibatch level (SB3/CleanRL default; the 37 details #7).
        if (p.state.config.normalizeAdvantage === 'per-minibatch') normalizeAdvantages(mb.advantages.subarray(0, batchSize), mb.advantages);
      }
      const losses = packedMinibatchGradients(
        layout,
        live.map((p) => ({ params: p.state.params, distribution: p.state.distribution, mb: p.state.minibatch, coefs: p.coefs, grad: p.state.grad, old: p.mbOld })),
        batchSize,
        batched,
      );
      for (let i = 0; i < live.length; i++) {
        const p = live[i];
        const loss = losses[i];
        const { config } = p.state;
        p.epochKl.push(loss.approxKl);
        p.epochKlK1.push(loss.approxKlK1);
        p.ratios.add(loss.ratio, batchSize);
        // Target-KL early stopping, SB3: checked before the step; the offending minibatch is not applied.
        if (config.targetKl !== null && loss.approxKl > 1.5 * config.targetKl) {
          p.stopped = true;
          continue;
        }
        p.sums.policyLoss += loss.policyLoss;
        p.sums.valueLoss += loss.valueLoss;
        p.sums.entropy += loss.entropy;
        p.sums.clipFraction += loss.clipFraction;
        p.sums.ratioMean += loss.ratioMean;
        p.ratioMax = Math.max(p.ratioMax, loss.ratioMax);
        p.lastLoss = loss.loss;
        // Global gradient-norm clipping and the Adam step, fused over the member's flat buffer.
        p.sums.gradNorm += adamStep(p.state.params, p.state.grad, p.state.adam, p.learningRate, config.maxGradNorm, config.adamEps);
        p.minibatches += 1;
      }
    }
    for (const p of inEpoch) {
      p.ratios.endEpoch();
      // SB3 counts the epoch in n_updates before it acts on the early stop, so a stopped epoch counts too.
      p.state.nUpdates += 1;
      if (!p.stopped) p.epochsDone += 1;
    }
  }

  return progress.map((p) => {
    const { state } = p;
    // ---- Adaptive KL penalty (paper §4): the KL over the whole rollout (exact or k3, as the penalty's) sets β next ----
    const beta = state.beta;
    let klAfter = NaN;
    if (state.config.objective === 'kl-adaptive') {
      klAfter = batchKl(state.layout, state.distribution, state.params, state.buffer, p.old);
      state.beta = adaptBeta(beta, klAfter, state.config.klTarget);
    }
    const perMinibatch = (sum: number): number => (p.minibatches > 0 ? sum / p.minibatches : NaN);
    return {
      policyLoss: perMinibatch(p.sums.policyLoss),
      valueLoss: perMinibatch(p.sums.valueLoss),
      entropy: perMinibatch(p.sums.entropy),
      clipFraction: perMinibatch(p.sums.clipFraction),
      ratioMean: perMinibatch(p.sums.ratioMean),
      gradNorm: perMinibatch(p.sums.gradNorm),
      ratioMax: p.ratioMax,
      loss: p.lastLoss,
      approxKl: mean(p.epochKl),
      approxKlK1: mean(p.epochKlK1),
      epochsDone: p.epochsDone,
      beta,
      klAfter,
      distributions: p.ratios.metrics(),
    };
  });
}

/** One member's minibatch as the gradient sees it: its parameters, distribution, rows, coefficients and outputs. */
export interface MemberMinibatch {
  params: Float32Array;
  distribution: PolicyDistribution;
  mb: MinibatchArrays;
  coefs: LossCoefficients;
  /** ∂L/∂θ is written here. */
  grad: Float32Array;
  /** The rows' old distributions for the exact KL penalty, null otherwise. */
  old: Float64Array | null;
}

/**
 * Each member's PPO loss and gradient (into its `grad`) on its `batch` minibatch rows: one packed network pass and
 * per member the solo host side of ppo/minibatch.ts `networkGradient` with `ppoLoss`; or, `batched` false (where
 * batching does not pay), each member's solo `minibatchGradient` in turn. (Solo passes cannot overlap: a pass's
 * tensors may hold nn/backprop.ts's staging buffers, which the next pass of the same layout overwrites.)
 */
export function packedMinibatchGradients(layout: Layout, members: readonly MemberMinibatch[], batch: number, batched: boolean): LossOutput[] {
  if (!batched) return members.map((m) => minibatchGradient(layout, m.distribution, m.params, m.mb, batch, m.coefs, m.grad, m.old));
  const pass = packedNetworkForward(layout, members.map((m) => m.params), members.map((m) => m.mb.observations), batch);
  try {
    const dHeads: Float32Array[] = [];
    const dValues: Float32Array[] = [];
    const losses = members.map(({ params, distribution, mb, coefs, grad, old }, i) => {
      const input = { head: pass.heads[i], latentPi: pass.latentPi[i], batch };
      const logProb = new Float64Array(batch);
      const entropy = new Float64Array(batch);
      distribution.evaluate(params, input, mb.actions, logProb, entropy);
      let klExact: Float64Array | undefined;
      if (old) {
        klExact = new Float64Array(batch);
        distribution.klFromOld(params, input, old, klExact);
      }
      const out = ppoLoss({ batch, logProb, logProbOld: mb.logProbOld, advantages: mb.advantages, entropy, values: pass.values[i], valuesOld: mb.valuesOld, returns: mb.returns, klExact }, coefs);
      grad.fill(0);
      const dHead = new Float32Array(batch * layout.headDim);
      distribution.backward(params, input, mb.actions, out.dLogProb, out.dEntropy, dHead, grad);
      if (old && out.dKl) distribution.klFromOldBackward(params, input, old, out.dKl, dHead, grad);
      dHeads.push(dHead);
      dValues.push(out.dValues);
      return out;
    });
    pass.backward(dHeads, dValues, members.map((m) => m.grad));
    return losses;
  } finally {
    pass.dispose();
  }
}
