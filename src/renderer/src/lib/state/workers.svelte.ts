/**
 * The workers panel's state: on a cluster store (PostgreSQL), the workers that joined it (`workers.list`), read
 * again every `WORKERS_REFRESH_MS` (workers heartbeat every fifth of their lease, 3 s by default; there is no event
 * for a heartbeat) and at once when a run changes status (a worker took or finished a trial). On an SQLite store
 * there are no workers and nothing is polled.
 */
import type { WorkerInfo } from '../../../../core/api/contract';
import { api } from '../api/client';
import { throttle } from '../throttle';

export const WORKERS_REFRESH_MS = 2_000;

export class WorkersState {
  /** Whether the store is a cluster's; null until known. */
  cluster = $state<boolean | null>(null);
  workers = $state.raw<WorkerInfo[]>([]);
  /** The last failure, shown through errorText; null when the last read worked. */
  error = $state<unknown>(null);
  /** The clock heartbeat ages count to (set at every read). */
  now = $state(Date.now());

  private readonly soon = throttle(() => void this.refresh(), 500);

  async refresh(): Promise<void> {
    try {
      this.workers = await api.call('workers.list', {});
      this.now = Date.now();
      this.error = null;
    } catch (error) {
      this.error = error;
    }
  }

  /** Finds out whether the store is a cluster's, then keeps the list fresh; returns the stop function. */
  live(): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setInterval> | null = null;
    let off: (() => void) | null = null;
    void api.call('settings.get', {}).then(
      (settings) => {
        if (stopped) return;
        this.cluster = settings.current.kind === 'postgresql';
        if (!this.cluster) return;
        void this.refresh();
        timer = setInterval(() => void this.refresh(), WORKERS_REFRESH_MS);
        off = api.subscribe((event) => {
          if (event.type === 'run.status') this.soon();
        });
      },
      (error: unknown) => (this.error = error),
    );
    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
      off?.();
      this.soon.cancel();
    };
  }
}
