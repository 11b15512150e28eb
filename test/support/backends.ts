/**
 * The tfjs backends the numeric tests run on: cpu and wasm always, tfjs-node where it is installed
 * (`npm run setup:tfjs-node` builds it offline). Where it is absent its cases are skipped, and their titles say so
 * and why; under PROXIMA_REQUIRE_TFJS_NODE=1 (set by .ci/run once it has built tfjs-node) absence is an error.
 */
import { createRequire } from 'node:module';
import { describe } from 'vitest';
import type { BackendName } from '../../src/core/protocol/trainer';

export const nativeInstalled = ((): boolean => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node/package.json');
    return true;
  } catch {
    return false;
  }
})();

export const NATIVE_SKIP_REASON = '@tensorflow/tfjs-node is not installed (npm run setup:tfjs-node builds it offline)';

if (!nativeInstalled && process.env['PROXIMA_REQUIRE_TFJS_NODE'] === '1') {
  throw new Error(`PROXIMA_REQUIRE_TFJS_NODE=1, but ${NATIVE_SKIP_REASON}`);
}

export const ALL_BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'tfjs-node'];

/** `describe(title on backend)` for every backend; tfjs-node's is skipped, saying why, where it is absent. */
export function describeOnBackends(title: string, body: (backend: BackendName) => void): void {
  for (const backend of ALL_BACKENDS) {
    const skip = backend === 'tfjs-node' && !nativeInstalled;
    describe.skipIf(skip)(skip ? `${title} on tfjs-node (skipped: ${NATIVE_SKIP_REASON})` : `${title} on ${backend}`, () => body(backend));
  }
}

/** `describe(title)` that runs only where tfjs-node is installed, and otherwise says it was skipped and why. */
export function describeNative(title: string, body: () => void): void {
  describe.skipIf(!nativeInstalled)(nativeInstalled ? title : `${title} (skipped: ${NATIVE_SKIP_REASON})`, body);
}
