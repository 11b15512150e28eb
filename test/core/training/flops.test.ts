import { describe, expect, it } from 'vitest';
import { networkFlops, ppoFlops } from '../../../src/core/training/flops';
import { buildLayout, type ModelSpec } from '../../../src/core/training/network-layout';

const cartPole: ModelSpec = {
  obsDim: 4, action: { kind: 'discrete', n: 2 }, sharedLayers: [], piLayers: [64, 64], vfLayers: [64, 64], activation: 'tanh', useSde: false,
};

describe('networkFlops', () => {
  it('counts 2 per multiply-add forward, and backward ∂W everywhere plus ∂x except from the observation', () => {
    // π: 4·64 + 64·64 + 64·2 = 4480 multiply-adds; V: 4·64 + 64·64 + 64·1 = 4416.
    const { forward, backward } = networkFlops(buildLayout(cartPole));
    expect(forward).toBe(2 * (4480 + 4416));
    expect(backward).toBe(2 * (4480 + 4416) + 2 * (4480 - 256 + 4416 - 256));
  });

  it('counts a shared trunk once, and only its first layer skips ∂x', () => {
    const { forward, backward } = networkFlops(buildLayout({ ...cartPole, sharedLayers: [32], piLayers: [], vfLayers: [8] }));
    // trunk 4·32; π head 32·2; V 32·8 + 8·1.
    expect(forward).toBe(2 * (128 + 64 + 256 + 8));
    expect(backward).toBe(2 * 128 + 4 * (64 + 256 + 8));
  });
});

describe('ppoFlops', () => {
  it('gives the RL Zoo CartPole-v1 preset ≈ 1.07 MFLOP per env step (20 epochs of the whole 256-row rollout)', () => {
    const flops = ppoFlops(buildLayout(cartPole), { nEnvs: 8, nSteps: 32, batchSize: 256, nEpochs: 20 });
    const row = flops.network.forward + flops.network.backward;
    expect(flops.rowsPerEpoch).toBe(256);
    expect(flops.perUpdate).toBe(20 * 256 * row);
    expect(flops.updatePerEnvStep).toBe(20 * row);
    expect(flops.perEnvStep).toBeCloseTo(1.065e6, -4);
  });

  it('trains only whole minibatches, as the update does', () => {
    const flops = ppoFlops(buildLayout(cartPole), { nEnvs: 1, nSteps: 100, batchSize: 64, nEpochs: 10 });
    expect(flops.rowsPerEpoch).toBe(64);
  });
});
