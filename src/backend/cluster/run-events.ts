/**
 * Live events of cluster runs: a worker's RunQueue emits the same `run.status`, `run.progress` and `run.metrics`
 * events as the app's own queue; the worker publishes them with `NOTIFY proxima_run_events, '<json>'` and an app
 * or web mode on the same store LISTENs (ChannelListener) and re-emits them to its renderer, whose views already
 * react to them for local runs (Runs list, Run detail, Compare, Learn).
 *
 * Why NOTIFY rather than polling: a view then updates within about half a second of a worker's metrics flush (the
 * worker flushes every 250 ms, this publisher every `intervalMs`), and an idle store costs nothing; polling every
 * couple of seconds would cost every open window a `runs.list` per tick whether anything trains or not.
 *
 * - Coalescing: within one interval the latest `run.progress` of a run replaces earlier ones and its `run.metrics`
 *   merge (highest step, every key); `run.status` events are all kept, in order. A payload stays under PostgreSQL's
 *   8000-byte NOTIFY limit: events are split across notifications when needed.
 * - A `run.metrics` is emitted by the RunQueue after its batch was committed, so a view that reloads on it reads
 *   the new points.
 * - Lost notifications (the app's listener was disconnected) are caught up on reconnection by the receiver.
 */
import { z } from 'zod';
import type { ApiEvent } from '../../core/api/contract';

export const RUN_EVENTS_CHANNEL = 'proxima_run_events';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; keep clear of it. */
const MAX_PAYLOAD_BYTES = 7_000;

/** The events a worker publishes. */
export type RunEvent = Extract<ApiEvent, { type: 'run.status' | 'run.progress' | 'run.metrics' }>;

const runStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);
const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run.status'), runId: z.number().int(), status: runStatus, error: z.string().nullable().optional() }),
  z.object({
    type: z.literal('run.progress'),
    runId: z.number().int(),
    stepsDone: z.number(),
    totalSteps: z.number(),
    fps: z.number(),
    etaSeconds: z.number().nullable(),
    lastReturn: z.number().nullable(),
  }),
  z.object({ type: z.literal('run.metrics'), runId: z.number().int(), step: z.number(), keys: z.array(z.string()) }),
]);
const payloadSchema = z.object({ events: z.array(runEventSchema) });

export function isRunEvent(event: ApiEvent): event is RunEvent {
  return event.type === 'run.status' || event.type === 'run.progress' || event.type === 'run.metrics';
}

/** The events of one notification's payload; [] for a payload that is not one (validated at the boundary). */
export function parseRunEvents(payload: string): RunEvent[] {
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(payload));
    return parsed.success ? (parsed.data.events as RunEvent[]) : [];
  } catch {
    return [];
  }
}

/** Payloads for `events`, each under the NOTIFY limit (an event is never split). */
export function runEventPayloads(events: readonly RunEvent[]): string[] {
  const payloads: string[] = [];
  let batch: string[] = [];
  let size = 0;
  const close = (): void => {
    if (batch.length > 0) payloads.push(`{"events":[${batch.join(',')}]}`);
    batch = [];
    size = 0;
  };
  for (const event of events) {
    const text = JSON.stringify(event);
    if (Buffer.byteLength(text) + 20 > MAX_PAYLOAD_BYTES) continue; // cannot be sent; the next flush's event carries on
    if (size + Buffer.byteLength(text) + 20 > MAX_PAYLOAD_BYTES) close();
    batch.push(text);
    size += Buffer.byteLength(text) + 1;
  }
  close();
  return payloads;
}

/** Merges `event` into the pending list (see the module comment for what coalesces). */
export function coalesce(pending: RunEvent[], event: RunEvent): RunEvent[] {
  if (event.type === 'run.status') return [...pending, event];
  const i = pending.findIndex((e) => e.type === event.type && e.runId === event.runId);
  if (i < 0) return [...pending, event];
  const before = pending[i] as RunEvent;
  const merged: RunEvent =
    event.type === 'run.metrics' && before.type === 'run.metrics'
      ? { ...event, step: Math.max(before.step, event.step), keys: [...new Set([...before.keys, ...event.keys])] }
      : event;
  return pending.map((e, j) => (j === i ? merged : e));
}

/**
 * A worker's side: collects its queue's run events and sends them every `intervalMs` through `notify` (one
 * `pg_notify` per payload). A failed send is dropped, not retried: the receivers catch up from the tables.
 */
export class RunEventPublisher {
  private pending: RunEvent[] = [];
  private readonly timer: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly notify: (payload: string) => Promise<void>,
    private readonly onError: (error: unknown) => void,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  add(event: ApiEvent): void {
    if (isRunEvent(event)) this.pending = coalesce(this.pending, event);
  }

  /** Sends what is pending (after any send under way). */
  flush(): Promise<void> {
    this.sending = this.sending.then(async () => {
      const events = this.pending;
      this.pending = [];
      try {
        for (const payload of runEventPayloads(events)) await this.notify(payload);
        if (events.length > 0) this.onError(null);
      } catch (error) {
        this.onError(error);
      }
    });
    return this.sending;
  }

  /** Stops the timer after sending what is pending. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
