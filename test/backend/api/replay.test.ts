import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiResponses } from '../../../src/core/api/contract';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';

describe('replay of a trained policy (real trainer)', () => {
  it('steps the env with the checkpoint policy, shows its overlays, and saves the episode', async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-replay-')), 'p.db'));
    const service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: 1 });
    const call = async <M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponses[M]> => {
      const r = await service.handle(method, params);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as ApiResponses[M];
    };
    const { runIds } = await call('sweeps.launch', {
      name: 'replay',
      env: 'CartPole-v1',
      preset: 'zoo',
      seeds: [3],
      overrides: { totalTimesteps: 2048, nEnvs: 2, nSteps: 128, batchSize: 128, nEpochs: 2, evalFreq: 0, finalEvalEpisodes: 2, backend: 'cpu' },
    });
    await service.queue.idle();
    const runId = runIds[0] as number;
    const checkpoints = await call('checkpoints.list', { runId });
    expect(checkpoints.length).toBeGreaterThan(0);

    const session = await call('replay.open', { runId });
    expect(session).toMatchObject({ runId, envId: 'CartPole-v1', step: checkpoints.at(-1)?.step });
    const first = await call('replay.reset', { sessionId: session.sessionId, seed: 7 });
    expect(first.t).toBe(0);
    expect(first.state).toHaveLength(4);
    expect(first.probs).toHaveLength(2);
    expect((first.probs as number[])[0]! + (first.probs as number[])[1]!).toBeCloseTo(1, 5);
    expect(typeof first.value).toBe('number');

    const frames = [first];
    for (let i = 0; i < 5; i++) frames.push(await call('replay.step', { sessionId: session.sessionId, deterministic: true }));
    expect(frames.map((f) => f.t)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(frames[5]?.state).not.toEqual(first.state);
    expect(frames[5]?.return).toBe(5);
    expect([0, 1]).toContain(frames[1]?.action);

    // Same seed, deterministic policy: the same episode.
    const again = await call('replay.reset', { sessionId: session.sessionId, seed: 7 });
    expect(again.state).toEqual(first.state);

    await call('replay.step', { sessionId: session.sessionId, deterministic: true });
    const saved = await call('replays.save', { sessionId: session.sessionId, name: 'first look' });
    expect(saved).toMatchObject({ runId, name: 'first look', seed: 7, length: 1 });
    const loaded = await call('replays.get', { replayId: saved.id });
    expect(loaded.frames).toHaveLength(2);
    expect((await call('replays.list', { runId })).map((r) => r.id)).toEqual([saved.id]);

    await call('replay.close', { sessionId: session.sessionId });
    const closed = await service.handle('replay.step', { sessionId: session.sessionId });
    expect(closed.ok).toBe(false);
    await service.close();
  });
});
