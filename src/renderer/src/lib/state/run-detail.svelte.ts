/** Run detail state: the run (config, checkpoints, log tail), its metric series, and live refresh while it trains. */
import type { RunDetail, SeriesData } from '../../../../core/api/contract';
import { api } from '../api/client';
import type { XRange } from '../charts/zoom';
import { LIVE_REDRAW_MS, throttle } from '../throttle';

export class RunDetailState {
  run = $state.raw<RunDetail | null>(null);
  series = $state.raw<SeriesData[]>([]);
  // Failures as thrown (the view words them with `errorText`, in the language shown); null when none.
  error = $state<unknown>(null);
  seriesError = $state<unknown>(null);
  actionError = $state<unknown>(null);
  /** The x window (environment steps) every metric chart shows; null = all the data. Reset when another run opens. */
  xRange = $state.raw<XRange | null>(null);
  private runId: number | null = null;
  private readonly reloadSoon = throttle(() => void this.load(), LIVE_REDRAW_MS * 4);

  async open(runId: number): Promise<void> {
    this.runId = runId;
    this.run = null;
    this.series = [];
    this.xRange = null;
    await this.load();
  }

  async load(): Promise<void> {
    const runId = this.runId;
    if (runId === null) return;
    try {
      const run = await api.call('runs.get', { runId });
      if (runId !== this.runId) return;
      this.run = run;
      this.error = null;
      if (run.metricKeys.length > 0) {
        try {
          const series = await api.call('series.get', { runIds: [runId], keys: run.metricKeys.slice(0, 64), maxPoints: 500, x: 'step' });
          if (runId === this.runId) this.series = series.filter((s) => s.x.length > 0).sort((a, b) => a.key.localeCompare(b.key));
          this.seriesError = null;
        } catch (error) {
          this.seriesError = error;
        }
      }
    } catch (error) {
      if (runId === this.runId) this.error = error;
    }
  }

  live(): () => void {
    const off = api.subscribe((event) => {
      if ('runId' in event && event.runId === this.runId && event.type !== 'run.progress') this.reloadSoon();
    });
    return () => {
      off();
      this.reloadSoon.cancel();
    };
  }

  /** Runs an action on the run; its error shows next to the action buttons. */
  async act(work: (runId: number) => Promise<unknown>): Promise<void> {
    if (this.runId === null) return;
    this.actionError = null;
    try {
      await work(this.runId);
      await this.load();
    } catch (error) {
      this.actionError = error;
    }
  }
}
