/**
 * The Runs view's state: filter, rollup, sort, the rows, and live updates. Progress and status events patch rows
 * in place; they are buffered and applied at most 4 times a second so a busy queue never makes the table stutter.
 * When no row comes back it finds out why (`empty`): the database has no runs at all (the welcome state), every run
 * is hidden, or the filter or the chosen sweep hides them.
 */
import type { ApiEvent, EvalRollup, RunSummary, SweepSummary } from '../../../../core/api/contract';
import { api } from '../api/client';
import { errorText } from '../api/errors';
import { applyRunEvent, sortRuns, type SortSpec } from '../runs/table';
import { setOf } from '../sets';
import { LIVE_REDRAW_MS, debounce, throttle } from '../throttle';

/** Why the table has no rows: nothing stored yet, everything hidden, or the filter (or sweep) leaves none. */
export type RunsEmptiness = 'no-runs' | 'all-hidden' | 'filtered';

export class RunsState {
  filter = $state('');
  sweepId = $state<number | null>(null);
  includeHidden = $state(false);
  rollup = $state<EvalRollup>({ kind: 'last', n: 5 });
  sort = $state<SortSpec>({ by: 'id', dir: 'desc' });
  runs = $state.raw<RunSummary[]>([]);
  sweeps = $state.raw<SweepSummary[]>([]);
  error = $state<string | null>(null);
  loading = $state(false);
  /** Selected run ids (checkboxes). */
  selected = $state<number[]>([]);
  /** Why there are no rows (null while there are, or before the first answer). */
  empty = $state<RunsEmptiness | null>(null);
  /** The clock elapsed times count to: ticks every second while a run trains. */
  now = $state(Date.now());

  readonly sorted = $derived(sortRuns(this.runs, this.sort, this.now));
  /** Whether a filter, a sweep or hidden runs narrow the list. */
  get narrowed(): boolean {
    return this.filter.trim() !== '' || this.sweepId !== null;
  }

  private pending: ApiEvent[] = [];
  private readonly flush = throttle(() => this.applyPending(), LIVE_REDRAW_MS);
  private readonly refetch = throttle(() => void this.refresh(), 1_000);
  readonly refreshSoon = debounce(() => void this.refresh(), 300);
  private seq = 0;

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const [runs, sweeps] = await Promise.all([
        api.call('runs.list', { filter: this.filter, sweepId: this.sweepId ?? undefined, includeHidden: this.includeHidden, rollup: this.rollup }),
        api.call('sweeps.list', {}).catch(() => this.sweeps),
      ]);
      const empty = runs.length > 0 ? null : await this.whyEmpty();
      if (seq !== this.seq) return;
      this.runs = runs;
      this.sweeps = sweeps;
      this.empty = empty;
      this.error = null;
      const ids = setOf(runs.map((r) => r.id));
      if (this.selected.some((id) => !ids.has(id))) this.selected = this.selected.filter((id) => ids.has(id));
    } catch (error) {
      if (seq === this.seq) this.error = errorText(error);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Why an answer had no rows: a filter or sweep choice hides them, the user hid them all, or there are none. */
  private async whyEmpty(): Promise<RunsEmptiness> {
    if (this.narrowed) return 'filtered';
    if (this.includeHidden) return 'no-runs';
    const any = await api.call('runs.list', { includeHidden: true, limit: 1 });
    return any.length > 0 ? 'all-hidden' : 'no-runs';
  }

  /** Clears the filter and the sweep choice and lists again. */
  clearFilter(): Promise<void> {
    this.filter = '';
    this.sweepId = null;
    return this.refresh();
  }

  /** Subscribes to backend events; returns the unsubscribe function (call it when the view goes away). */
  live(): () => void {
    const clock = setInterval(() => {
      if (this.runs.some((r) => r.status === 'running')) this.now = Date.now();
    }, 1_000);
    const off = api.subscribe((event) => {
      if (event.type === 'run.progress' || event.type === 'run.status') {
        this.pending.push(event);
        this.flush();
      }
      // New evaluation points change the rollup; a status change may move a run in or out of the filter.
      if (event.type === 'run.metrics' || event.type === 'run.status' || event.type === 'sweep.status') this.refetch();
    });
    return () => {
      off();
      clearInterval(clock);
      this.flush.cancel();
      this.refetch.cancel();
      this.refreshSoon.cancel();
    };
  }

  private applyPending(): void {
    const events = this.pending;
    this.pending = [];
    if (events.length === 0) return;
    const touched = setOf(events.map((e) => ('runId' in e ? e.runId : -1)));
    if (![...touched].some((id) => this.runs.some((r) => r.id === id))) {
      this.refetch();
      return;
    }
    this.runs = this.runs.map((run) => (touched.has(run.id) ? events.reduce(applyRunEvent, run) : run));
  }

  toggle(id: number): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
  }

  toggleAll(): void {
    this.selected = this.selected.length === this.runs.length ? [] : this.runs.map((r) => r.id);
  }
}
