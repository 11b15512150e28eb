/**
 * Hyperparameters view state: the `hparams.get` result for the runs Compare and Summary use (grouped as they group),
 * the table's mode, sort and filter, the scatter's hyperparameter, and the selection the table, the parallel
 * coordinates and the scatter share (run ids; see lib/hparams/rows.ts). "Open in Compare" hands the selected runs to
 * Compare, grouped the same way, with the group clicked last highlighted. While runs train, their events reload the
 * result at most once a second.
 */
import type { HparamGoal, HparamsResult } from '../../../../core/api/contract';
import { METRIC } from '../../../../core/metrics/keys';
import { api } from '../api/client';
import { errorText } from '../api/errors';
import { filterRows, isSelected, rowsOf, sortRows, toggleRow, type HparamRow, type HparamStat, type HparamsMode } from '../hparams/rows';
import type { SortSpec } from '../runs/table';
import { setOf } from '../sets';
import { throttle } from '../throttle';
import { translate } from '../i18n/translate';
import { compare } from './compare.svelte';
import { language } from './language.svelte';
import { workbench } from './workbench.svelte';

/** Catalog keys of what each value is called. */
export const STAT_KEYS: Record<HparamStat, string> = { final: 'hparamsView.stat.final', best: 'hparamsView.stat.best', iqm: 'hparamsView.stat.iqm' };

/** Reloads while runs train: final values change slowly, so once a second is plenty. */
const RELOAD_MS = 1_000;

const sameIds = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

export class HparamsState {
  metric = $state<string>(METRIC.evalMeanReturn);
  goal = $state<HparamGoal>('max');
  mode = $state<HparamsMode>('groups');
  /** The value the charts draw and the range filter tests (a run has no IQM: runs show their final value instead). */
  stat = $state<HparamStat>('iqm');
  sort = $state<SortSpec>({ by: 'order', dir: 'asc' });
  filterText = $state('');
  min = $state<number | null>(null);
  max = $state<number | null>(null);
  /** Selected run ids. */
  selection = $state.raw<ReadonlySet<number>>(setOf<number>([]));
  /** The group of the row selected last: the one Compare highlights. */
  focusGroup = $state<string | null>(null);
  scatterParam = $state<string | null>(null);
  /** null = the axis's own suggestion (log for values spanning a factor of 10). */
  logX = $state<boolean | null>(null);
  result = $state.raw<HparamsResult | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);

  private seq = 0;
  readonly reloadSoon = throttle(() => void this.load(), RELOAD_MS);

  /** The value shown for the current mode. */
  readonly shownStat = $derived<HparamStat>(this.mode === 'runs' && this.stat === 'iqm' ? 'final' : this.stat);
  /** Rows that pass the filter, in the result's order (what the charts draw). */
  readonly visible = $derived<HparamRow[]>(
    filterRows(rowsOf(this.result, this.mode, (id) => (void language.current, translate('hparamsView.runLabel', { id }))), { text: this.filterText, min: this.min, max: this.max, stat: this.shownStat }),
  );
  /** The table's rows: the visible ones, sorted. */
  readonly sorted = $derived<HparamRow[]>(sortRows(this.visible, this.sort));
  /** The title of the charts' value axis, e.g. `eval/mean_return · IQM`. */
  readonly valueLabel = $derived((void language.current, `${this.metric} · ${translate(STAT_KEYS[this.shownStat])}`));

  /** Settles the source (the newest sweep by default, as Compare and Summary do), then loads. */
  async open(): Promise<void> {
    await workbench.defaultToNewestSweep();
    const selection = workbench.selection;
    const inSync = selection.length > 0 ? sameIds(compare.runIds, selection) : compare.showsSweep(workbench.sweepId);
    if (!inSync) await compare.setSource([...selection], workbench.sweepId);
    await this.load();
  }

  async load(): Promise<void> {
    const seq = ++this.seq;
    const runIds = compare.runIds;
    if (runIds.length === 0) {
      this.result = null;
      this.error = null;
      return;
    }
    this.loading = true;
    try {
      const result = await api.call('hparams.get', { runIds, groupBy: compare.groupBy ?? undefined, metric: this.metric, goal: this.goal });
      if (seq !== this.seq) return;
      this.result = result;
      this.error = null;
      const present = setOf(result.runs.map((r) => r.runId));
      if ([...this.selection].some((id) => !present.has(id))) this.selection = setOf([...this.selection].filter((id) => present.has(id)));
      if (this.scatterParam === null || !result.axes.some((a) => a.name === this.scatterParam)) {
        this.scatterParam = result.axes[0]?.name ?? null;
        this.logX = null;
      }
    } catch (error) {
      if (seq === this.seq) this.error = errorText(error);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Reloads (throttled) when the shown runs change status or log metrics. */
  live(): () => void {
    const off = api.subscribe((event) => {
      if ((event.type === 'run.metrics' || event.type === 'run.status') && compare.runIds.includes(event.runId)) this.reloadSoon();
    });
    return () => {
      off();
      this.reloadSoon.cancel();
    };
  }

  /** Selects a row's runs, or deselects them when it is selected. */
  toggle(row: HparamRow): void {
    this.selection = toggleRow(this.selection, row);
    if (isSelected(row, this.selection)) this.focusGroup = row.group;
    else if (this.focusGroup === row.group) this.focusGroup = null;
  }

  clearSelection(): void {
    this.selection = setOf<number>([]);
    this.focusGroup = null;
  }

  /** Whether the scatter's x axis is on a log scale. */
  get scatterLog(): boolean {
    return this.logX ?? this.result?.axes.find((a) => a.name === this.scatterParam)?.log ?? false;
  }

  /**
   * Opens Compare on the selected runs, grouped by the fields used here (so its groups are these, under the same
   * keys, even when the selection alone would differ in fewer fields), with the group selected last highlighted.
   */
  openInCompare(): void {
    const result = this.result;
    if (!result || this.selection.size === 0) return;
    const runIds = result.runs.filter((r) => this.selection.has(r.runId)).map((r) => r.runId);
    const groups = setOf(result.runs.filter((r) => this.selection.has(r.runId)).map((r) => r.group));
    const highlight = this.focusGroup !== null && groups.has(this.focusGroup) ? this.focusGroup : (result.runs.find((r) => this.selection.has(r.runId))?.group ?? null);
    compare.groupBy = [...result.groupBy];
    workbench.compare(runIds);
    compare.highlightWithSource(highlight);
  }
}

export const hparams = new HparamsState();
