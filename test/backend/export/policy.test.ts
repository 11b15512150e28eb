import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';

describe('policy export as a tfjs model directory', () => {
  it('writes model.json and weights.bin that tfjs decodes into the checkpoint weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxima-export-'));
    const store = await openStore(join(dir, 'p.db'));
    const service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: 1 });
    const launched = await service.handle('sweeps.launch', {
      name: 'export',
      env: 'Pendulum-v1',
      preset: 'zoo',
      seeds: [0],
      overrides: { totalTimesteps: 512, nEnvs: 1, nSteps: 256, batchSize: 64, nEpochs: 1, evalFreq: 0, finalEvalEpisodes: 1, backend: 'cpu' },
    });
    expect(launched.ok).toBe(true);
    await service.queue.idle();
    const runId = (launched as { value: { runIds: number[] } }).value.runIds[0] as number;
    await service.exportPolicy(runId, join(dir, 'policy'));

    const model = JSON.parse(readFileSync(join(dir, 'policy/model.json'), 'utf8')) as {
      format: string;
      weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      userDefinedMetadata: { config: { envId: string } };
    };
    expect(model.format).toBe('proxima-ppo-policy');
    expect(model.weightsManifest[0]?.paths).toEqual(['weights.bin']);
    expect(model.userDefinedMetadata.config.envId).toBe('Pendulum-v1');
    const bin = readFileSync(join(dir, 'policy/weights.bin'));
    const specs = model.weightsManifest[0]?.weights ?? [];
    const expectedBytes = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
    expect(bin.byteLength).toBe(expectedBytes);
    const tensors = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), specs);
    expect(Object.keys(tensors)).toEqual(specs.map((s) => s.name));
    const checkpoint = await store.getCheckpoint(runId);
    const first = specs[0] as tf.io.WeightsManifestEntry;
    const firstValues = Array.from((tensors[first.name] as tf.Tensor).dataSync());
    const fromCheckpoint = Array.from(new Float32Array(checkpoint!.weights.slice().buffer, 0, firstValues.length));
    expect(firstValues).toEqual(fromCheckpoint);
    await service.close();
  });
});
