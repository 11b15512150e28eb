/**
 * The arithmetic of training, counted from the layer shapes: how many floating-point operations the actor-critic
 * needs per observation, per PPO update and per environment step. What the speed benchmark divides by time to show
 * how far a run is from the machine's limit (issue 19).
 *
 * Convention (as papers count training FLOPs): 2 per multiply-add of the layer matmuls, nothing else — biases,
 * activations, the distribution's log-prob and entropy, the loss and the optimiser are ignored (each is O(units),
 * not O(units²)). A Linear [in → out] costs 2·in·out per row forward; backward 2·in·out for ∂W and, unless its input
 * is the observation (nothing needs ∂obs), 2·in·out more for ∂x. A shared trunk is counted once.
 */
import type { Layout, Linear } from './network-layout';

/** FLOPs of one observation (one row) through the network. */
export interface NetworkFlops {
  /** Forward pass through trunk, both MLPs and both heads (rollout inference costs this per env step). */
  forward: number;
  /** Backward pass of the same (∂W of every layer, ∂x of every layer not fed by the observation). */
  backward: number;
}

export function networkFlops(layout: Layout): NetworkFlops {
  const macs = (layer: Linear): number => layer.w.rows * layer.w.cols;
  let forward = 0;
  let backward = 0;
  const add = (layers: Linear[], fedByObservation: boolean): void => {
    layers.forEach((layer, i) => {
      forward += 2 * macs(layer);
      backward += 2 * macs(layer) * (i === 0 && fedByObservation ? 1 : 2);
    });
  };
  add(layout.trunk, true);
  const trunkless = layout.trunk.length === 0;
  add([...layout.pi, layout.actionHead], trunkless);
  add([...layout.vf, layout.valueHead], trunkless);
  return { forward, backward };
}

/** The rollout and update shape of an on-policy run (PPO's config fields of the same names). */
export interface UpdateShape {
  nEnvs: number;
  nSteps: number;
  batchSize: number;
  nEpochs: number;
}

export interface PpoFlops {
  network: NetworkFlops;
  /** Rows one epoch trains on: the whole minibatches of batchSize in the nSteps × nEnvs rollout (ppo/update.ts). */
  rowsPerEpoch: number;
  /** Forward + backward over every epoch of one update (all epochs run, no target-KL stop). */
  perUpdate: number;
  /** perUpdate shared over the update's nSteps × nEnvs env steps. */
  updatePerEnvStep: number;
  /** One forward per env step (the rollout's inference; the final-observation bootstraps left out). */
  rolloutPerEnvStep: number;
  /** updatePerEnvStep + rolloutPerEnvStep. */
  perEnvStep: number;
}

export function ppoFlops(layout: Layout, shape: UpdateShape): PpoFlops {
  const network = networkFlops(layout);
  const bufferSize = shape.nSteps * shape.nEnvs;
  const rowsPerEpoch = Math.floor(bufferSize / shape.batchSize) * shape.batchSize;
  const perUpdate = shape.nEpochs * rowsPerEpoch * (network.forward + network.backward);
  const updatePerEnvStep = perUpdate / bufferSize;
  return {
    network,
    rowsPerEpoch,
    perUpdate,
    updatePerEnvStep,
    rolloutPerEnvStep: network.forward,
    perEnvStep: updatePerEnvStep + network.forward,
  };
}
