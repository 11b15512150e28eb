/**
 * Compare view state: which runs (a selection or a sweep), grouping, metrics, axis, smoothing, band, and the
 * aggregated series from `series.aggregate`. While runs train, new metric events trigger a reload at most
 * 4 times a second, never overlapping (a reload asked for during a fetch runs once after it).
 */
import type { Band, RunSummary, SeriesGroup, XAxis } from '../../../../core/api/contract';
import { REFERENCE_LINES } from '../../../../core/metrics/diagnostics';
import { METRIC } from '../../../../core/metrics/keys';
import { ALGORITHMS, type Algorithm } from '../../../../core/training/config';
import { api } from '../api/client';
import { errorText } from '../api/errors';
import { pointBudget } from '../charts/budget';
import type { XRange } from '../charts/zoom';
import { variedParams } from '../runs/table';
import { setOf, toggled, unique } from '../sets';
import { LIVE_REDRAW_MS, throttle } from '../throttle';

/** Catalog keys of the x axes' titles. */
export const X_LABEL_KEYS: Record<XAxis, string> = { step: 'charts.x.step', update: 'charts.x.update', wall: 'charts.x.wall' };

export class CompareState {
  runIds = $state<number[]>([]);
  sweepId = $state<number | null>(null);
  /** The runs behind the comparison (for the group-by choices). */
  runs = $state.raw<RunSummary[]>([]);
  /** null = the backend's default: every hyperparameter that differs, except the seed. */
  groupBy = $state<string[] | null>(null);
  metrics = $state<string[]>([METRIC.evalMeanReturn, METRIC.epReturnMean]);
  x = $state<XAxis>('step');
  smoothing = $state(0.6);
  band = $state<Band>('std');
  logY = $state(false);
  showRuns = $state(false);
  groups = $state.raw<SeriesGroup[]>([]);
  usedGroupBy = $state.raw<string[]>([]);
  error = $state<string | null>(null);
  loading = $state(false);
  /** Group keys switched off in the legends. */
  hidden = $state.raw<ReadonlySet<string>>(setOf<string>([]));
  highlight = $state<string | null>(null);
  /** The x window every chart of the view shows (zoom and pan, in the x axis' units); null = all the data. Kept in
   * the URL (lib/state/url-state.svelte.ts); reset when the x axis changes. */
  xRange = $state.raw<XRange | null>(null);

  private pendingHighlight: string | null = null;
  /** Whether the compared runs are all of sweep `sweepId` (not a selection, which also records the sweep in view). */
  private wholeSweep = false;
  private inFlight = false;
  private again = false;
  readonly reloadSoon = throttle(() => void this.load(), LIVE_REDRAW_MS);

  /** Picks the runs: an explicit selection, or all runs of a sweep. */
  async setSource(runIds: number[], sweepId: number | null): Promise<void> {
    this.error = null;
    // The hovered legend item goes away with the old groups, before it can say the pointer left; a highlight asked
    // for with the new source (`highlightWithSource`) is the one kept.
    this.highlight = this.pendingHighlight;
    this.pendingHighlight = null;
    try {
      this.wholeSweep = sweepId !== null && runIds.length === 0;
      if (sweepId !== null && runIds.length === 0) {
        this.runs = await api.call('runs.list', { sweepId, includeHidden: true, limit: 10_000 });
        this.runIds = this.runs.map((r) => r.id);
      } else {
        this.runs = await api.call('runs.list', { runIds, includeHidden: true, limit: 10_000 });
        // A saved or linked selection may name runs deleted since: compare the ones that exist.
        const existing = setOf(this.runs.map((r) => r.id));
        this.runIds = runIds.filter((id) => existing.has(id));
      }
      this.sweepId = sweepId;
    } catch (error) {
      this.error = errorText(error);
    }
    await this.load();
  }

  /** Highlights group `key` now and through the next `setSource` (a view opening Compare on runs it chose). */
  highlightWithSource(key: string | null): void {
    this.highlight = key;
    this.pendingHighlight = key;
  }

  /** Whether Compare shows all runs of `sweepId` (rather than a selection made while that sweep was in view). */
  showsSweep(sweepId: number | null): boolean {
    return this.wholeSweep && this.sweepId === sweepId && this.runIds.length > 0;
  }

  /** The algorithms of the compared runs, in ALGORITHMS order (whose diagnostics Compare offers). */
  get algorithms(): Algorithm[] {
    const present = setOf(this.runs.map((r) => r.algorithm));
    return ALGORITHMS.filter((a) => present.has(a));
  }

  /** The reference metric drawn dashed in `metric`'s chart (TRPO's KL bound in its KL chart), if any. */
  referenceOf(metric: string): string | null {
    return (REFERENCE_LINES as Readonly<Record<string, string>>)[metric] ?? null;
  }

  /** Hyperparameters whose values differ between the runs (never the seed): the natural group-by choices. */
  get variedFields(): string[] {
    return variedParams(this.runs);
  }

  async load(): Promise<void> {
    if (this.runIds.length === 0 || this.metrics.length === 0) {
      this.groups = [];
      return;
    }
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.loading = true;
    try {
      const result = await api.call('series.aggregate', this.params(this.smoothing));
      this.groups = result.groups;
      this.usedGroupBy = result.groupBy;
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.inFlight = false;
      this.loading = false;
      if (this.again) {
        this.again = false;
        void this.load();
      }
    }
  }

  /** The same aggregation without smoothing, for one metric (CSV export of the raw data). */
  async raw(metric: string): Promise<SeriesGroup[]> {
    const result = await api.call('series.aggregate', { ...this.params(0), keys: [metric] });
    return result.groups;
  }

  private params(smoothing: number): {
    runIds: number[]; keys: string[]; groupBy?: string[]; x: XAxis; smoothing: number; band: Band; maxPoints: number;
  } {
    const references = this.metrics.map((m) => this.referenceOf(m)).filter((r): r is string => r !== null);
    return { runIds: this.runIds, keys: unique([...this.metrics, ...references]), groupBy: this.groupBy ?? undefined, x: this.x, smoothing, band: this.band, maxPoints: pointBudget(this.runIds.length) };
  }

  live(): () => void {
    const off = api.subscribe((event) => {
      if ((event.type === 'run.metrics' || event.type === 'run.status') && this.runIds.includes(event.runId)) this.reloadSoon();
    });
    return () => {
      off();
      this.reloadSoon.cancel();
    };
  }

  toggleGroup(key: string): void {
    this.hidden = toggled(this.hidden, key);
  }

  /** Groups of one metric. */
  groupsOf(metric: string): SeriesGroup[] {
    return this.groups.filter((g) => g.metric === metric);
  }

  /** A stable colour index per group key across all charts. */
  get groupKeys(): string[] {
    return unique(this.groups.map((g) => g.key));
  }
}

export const compare = new CompareState();
