/**
 * A trained policy as a tfjs model directory: `model.json` (tfjs ModelArtifacts JSON: `format`, `generatedBy`,
 * `modelTopology` describing the actor-critic, `weightsManifest` with the checkpoint's weight specs, and
 * `userDefinedMetadata` holding the config and the observation-normalization statistics the policy needs) and
 * `weights.bin` (the flat float32 weights). `tf.io` loaders read it as they read any tfjs model's weights.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROXIMA_VERSION } from '../../core/version';
import type { Checkpoint } from '../store/types';

export function writePolicyDirectory(checkpoint: Checkpoint, dir: string): { modelJson: string; weightsBin: string } {
  const meta = checkpoint.meta as { weightSpecs?: unknown; model?: unknown; config?: unknown; format?: unknown };
  if (!Array.isArray(meta.weightSpecs)) {
    throw new Error(`checkpoint at step ${checkpoint.step} of run ${checkpoint.runId} has no weight specs`);
  }
  mkdirSync(dir, { recursive: true });
  const modelJson = join(dir, 'model.json');
  const weightsBin = join(dir, 'weights.bin');
  writeFileSync(weightsBin, checkpoint.weights);
  const artifacts = {
    format: 'proxima-ppo-policy',
    generatedBy: `Proxima ${PROXIMA_VERSION}`,
    convertedBy: null,
    modelTopology: { checkpointFormat: meta.format ?? null, actorCritic: meta.model ?? null },
    weightsManifest: [{ paths: ['weights.bin'], weights: meta.weightSpecs }],
    userDefinedMetadata: {
      runId: checkpoint.runId,
      step: checkpoint.step,
      config: meta.config ?? null,
      normalization: checkpoint.normalization ?? null,
    },
  };
  writeFileSync(modelJson, `${JSON.stringify(artifacts, null, 2)}\n`);
  return { modelJson, weightsBin };
}
