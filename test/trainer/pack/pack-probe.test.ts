import { expect, it } from 'vitest';
import { parsePpoConfig } from '../../../src/core/training/config';
import { resolvePreset } from '../../../src/core/training/presets';
import { initParams } from '../../../src/trainer/nn/actor-critic';
import { createPrng } from '../../../src/trainer/nn/prng';
import { createPack } from '../../../src/trainer/pack/pack';
import { packProbe } from '../../../src/trainer/pack/pack-probe';
import { backendProbe } from '../../../src/trainer/ppo/backend-probe';
import { initBackend } from '../../../src/trainer/tf-backend';

it('the pack probe is M solo probe gradients (fresh parameters per slice), and auto proves and times backends on it', async () => {
  const pack = createPack([1, 2, 3].map((seed) => parsePpoConfig(resolvePreset('zoo', 'CartPole-v1', { seed, backend: 'cpu' }))));
  const states = pack.members.map((m) => m.state);
  const size = states[0].layout.size;
  await initBackend('cpu');
  const packed = Float32Array.from(packProbe(states, 64)());
  states.forEach((s, m) => {
    const solo = backendProbe(s.layout, s.distribution, initParams(s.layout, true, s.config.logStdInit, createPrng(m)), 64)();
    const slice = packed.subarray(m * size, (m + 1) * size);
    let err = 0;
    let norm = 0;
    for (let i = 0; i < size; i++) {
      err += (slice[i] - solo[i]) ** 2;
      norm += solo[i] ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(1e-6);
  });
  const selection = await initBackend('auto', packProbe(states, 64));
  expect(selection.checks.filter((c) => c.status === 'ok').length).toBeGreaterThanOrEqual(2);
  expect(Object.keys(selection.calibration ?? {})).toContain(selection.backend);
});
