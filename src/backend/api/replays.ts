/** Handlers for replay sessions (a trainer plays a checkpoint's policy) and saved replays. */
import type { ReplayFrame, SavedReplay } from '../../core/api/contract';
import type { ReplayInfo } from '../store/types';
import { ApiFailure, type Handlers, type ServiceParts } from './handlers';

type ReplayHandlers = Pick<
  Handlers,
  'replay.open' | 'replay.reset' | 'replay.step' | 'replay.close' | 'replays.save' | 'replays.list' | 'replays.get'
>;

export function replayHandlers({ store, replays }: ServiceParts): ReplayHandlers {
  return {
    'replay.open': ({ runId, step }) => replays.open(runId, step),
    'replay.reset': ({ sessionId, seed }) => replays.reset(sessionId, seed),
    'replay.step': ({ sessionId, deterministic, temperature }) => replays.step(sessionId, deterministic, temperature),
    'replay.close': async ({ sessionId }) => {
      await replays.close(sessionId);
      return { ok: true };
    },
    'replays.save': async ({ sessionId, name }) => {
      const rec = replays.recording(sessionId);
      if (rec.frames.length < 2) throw new ApiFailure('conflict', { code: 'emptyReplay', params: {} });
      const replay = {
        runId: rec.info.runId,
        name,
        checkpointStep: rec.info.step,
        seed: rec.seed,
        envId: rec.info.envId,
        frames: rec.frames,
        totalReturn: rec.totalReturn,
        length: rec.frames.length - 1,
      };
      const id = await store.saveReplay(replay);
      const saved = await store.getReplay(id);
      if (!saved) throw new ApiFailure('internal', `replay ${id} was not stored`);
      return toSavedReplay(saved);
    },
    'replays.list': async ({ runId }) => (await store.listReplays(runId)).map(toSavedReplay),
    'replays.get': async ({ replayId }) => {
      const r = await store.getReplay(replayId);
      if (!r) throw new ApiFailure('not-found', { code: 'replayNotFound', params: { replayId: String(replayId) } });
      return { ...toSavedReplay(r), frames: r.frames as ReplayFrame[] };
    },
  };
}

function toSavedReplay(r: ReplayInfo): SavedReplay {
  return {
    id: r.id,
    runId: r.runId,
    name: r.name,
    envId: r.envId,
    step: r.checkpointStep ?? 0,
    seed: r.seed,
    totalReturn: r.totalReturn,
    length: r.length,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}
