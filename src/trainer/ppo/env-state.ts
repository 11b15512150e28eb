/**
 * Snapshot and restore of a vector env's exact position (physics state, RNG stream, time-limit counters), so a
 * resumed run continues the same episodes with the same random draws as an uninterrupted one.
 */
import type { Pcg64State } from '../../core/rng/index';
import type { VectorEnv } from '../../core/envs/vector-env';

export interface VectorEnvSnapshot {
  states: number[][];
  rngs: (Pcg64State | null)[];
  elapsedSteps: number[];
  episodeReturns: number[];
}

/** The vector env's per-episode counters are private; this narrow view reads them for checkpoints. */
interface VectorEnvCounters {
  elapsedSteps: Int32Array;
  episodeReturns: Float64Array;
  hasReset: boolean;
}

export function snapshotVectorEnv(env: VectorEnv): VectorEnvSnapshot {
  const counters = env as unknown as VectorEnvCounters;
  return {
    states: env.envs.map((e) => e.state),
    rngs: env.envs.map((e) => e.npRandom?.getState() ?? null),
    elapsedSteps: Array.from(counters.elapsedSteps),
    episodeReturns: Array.from(counters.episodeReturns),
  };
}

export function restoreVectorEnv(env: VectorEnv, snapshot: VectorEnvSnapshot): void {
  const counters = env as unknown as VectorEnvCounters;
  if (snapshot.states.length !== env.numEnvs) throw new Error(`env snapshot has ${snapshot.states.length} envs, this run has ${env.numEnvs}`);
  env.envs.forEach((e, i) => {
    e.state = snapshot.states[i];
    const rng = snapshot.rngs[i];
    if (rng) {
      e.resetRng(0);
      e.npRandom!.setState(rng);
    }
  });
  counters.elapsedSteps.set(snapshot.elapsedSteps);
  counters.episodeReturns.set(snapshot.episodeReturns);
  counters.hasReset = true;
}
