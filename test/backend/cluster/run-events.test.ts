import { describe, expect, it } from 'vitest';
import { coalesce, parseRunEvents, runEventPayloads, type RunEvent } from '../../../src/backend/cluster/run-events';

const progress = (runId: number, stepsDone: number): RunEvent => ({ type: 'run.progress', runId, stepsDone, totalSteps: 100, fps: 10, etaSeconds: 1, lastReturn: null });

describe('run events between workers and the app', () => {
  it('coalesces progress (latest wins) and metrics (highest step, every key) per run, and keeps every status', () => {
    let pending: RunEvent[] = [];
    for (const e of [
      progress(1, 10),
      { type: 'run.metrics', runId: 1, step: 10, keys: ['a'] },
      { type: 'run.status', runId: 1, status: 'running' },
      progress(2, 5),
      progress(1, 20),
      { type: 'run.metrics', runId: 1, step: 20, keys: ['b'] },
      { type: 'run.status', runId: 1, status: 'completed' },
    ] satisfies RunEvent[]) pending = coalesce(pending, e);
    expect(pending).toEqual([
      progress(1, 20),
      { type: 'run.metrics', runId: 1, step: 20, keys: ['a', 'b'] },
      { type: 'run.status', runId: 1, status: 'running' },
      progress(2, 5),
      { type: 'run.status', runId: 1, status: 'completed' },
    ]);
  });

  it('splits payloads under the NOTIFY limit and reads them back; a payload that is not one yields nothing', () => {
    const events: RunEvent[] = Array.from({ length: 300 }, (_, i) => ({ type: 'run.metrics', runId: i, step: i, keys: ['train/policy_loss', 'rollout/ep_return_mean'] }));
    const payloads = runEventPayloads(events);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    expect(payloads.flatMap(parseRunEvents)).toEqual(events);
    expect(parseRunEvents('not json')).toEqual([]);
    expect(parseRunEvents('{"events":[{"type":"run.status","runId":"x"}]}')).toEqual([]);
  });
});
