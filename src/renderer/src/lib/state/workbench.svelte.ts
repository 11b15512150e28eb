/**
 * App-wide state: the current view, the runs selected for comparison, the run shown in Run detail, and the catalog
 * (envs, presets, templates, config fields, metric meanings) loaded once from the backend.
 */
import type { Catalog } from '../../../../core/api/contract';
import { CORE_MESSAGE_KEYS } from '../../../../core/i18n/core-messages';
import { api } from '../api/client';
import { errorText } from '../api/errors';

export { VIEWS, type View } from '../views';
import type { View } from '../views';

export class Workbench {
  view = $state<View>('runs');
  /** Runs chosen for Compare, Summary and Hyperparameters. */
  selection = $state<number[]>([]);
  /** The sweep Compare/Summary use when no runs are selected. */
  sweepId = $state<number | null>(null);
  detailRunId = $state<number | null>(null);
  replayRunId = $state<number | null>(null);
  replayStep = $state<number | null>(null);
  /** A sweep the Runs view should show when it opens next (set after a launch). */
  private runsSweep: number | null = null;
  /** Whether Compare/Summary already defaulted to the newest sweep (or the user picked one): that happens once. */
  private sweepDefaulted = false;
  private defaulting: Promise<void> | null = null;
  catalog = $state.raw<Catalog | null>(null);
  catalogError = $state<string | null>(null);

  loadCatalog(): void {
    if (this.catalog) return;
    api.call('catalog.get', {}).then(
      (catalog) => {
        this.catalog = catalog;
        this.catalogError = null;
      },
      (error: unknown) => (this.catalogError = errorText(error)),
    );
  }

  /** Opens Runs filtered to a sweep (after launching it). */
  watchSweep(sweepId: number): void {
    this.runsSweep = sweepId;
    this.view = 'runs';
  }

  /** The sweep Runs should open with, once. */
  takeRunsSweep(): number | null {
    const id = this.runsSweep;
    this.runsSweep = null;
    return id;
  }

  openDetail(runId: number): void {
    this.detailRunId = runId;
    this.view = 'detail';
  }

  openReplay(runId: number, step: number | null): void {
    this.replayRunId = runId;
    this.replayStep = step;
    this.view = 'replay';
  }

  /**
   * Compare and Summary opened with no runs selected and no sweep picked show the newest sweep, once per session (a
   * later "—" pick sticks; with no sweeps yet, the next visit tries again). Resolves when sweepId is settled. A
   * caller that has just listed the sweeps passes them (no second request).
   */
  defaultToNewestSweep(known?: readonly { id: number }[]): Promise<void> {
    if (this.sweepDefaulted || this.selection.length > 0 || this.sweepId !== null) return Promise.resolve();
    this.defaulting ??= (known ? Promise.resolve(known) : api.call('sweeps.list', {}))
      .then((sweeps) => {
        if (sweeps.length === 0 || this.sweepDefaulted || this.selection.length > 0 || this.sweepId !== null) return;
        this.sweepDefaulted = true;
        this.sweepId = Math.max(...sweeps.map((sweep) => sweep.id));
      })
      .catch(() => undefined)
      .finally(() => (this.defaulting = null));
    return this.defaulting;
  }

  /** The user chose a sweep (or none) for Compare/Summary. */
  pickSweep(sweepId: number | null): void {
    this.sweepDefaulted = true;
    this.selection = [];
    this.sweepId = sweepId;
  }

  compare(runIds: number[]): void {
    this.selection = runIds;
    this.view = 'compare';
  }

  /**
   * The catalog key of a metric's meaning, for tooltips: `$_(workbench.meaningKey(key), { default: '' })` (empty for a
   * key without one).
   */
  meaningKey(key: string): string {
    return CORE_MESSAGE_KEYS.metricMeaning(key);
  }
}

export const workbench = new Workbench();
