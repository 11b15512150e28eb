/**
 * Keeps the workbench's linkable state (its format: lib/url-state.ts) in the URL hash and in localStorage, and
 * restores it on start and on back/forward.
 *
 * - The hash, not the query: web mode's URL carries `?token=…`, which the server reads and which must stay as it is;
 *   the hash never reaches the server and works alike on Electron's file:// page and on the dev server. Only the
 *   hash is ever read or written here, so the token never lands in stored state.
 * - On start the URL wins when its hash carries anything (a link or a bookmark; what does not parse takes its
 *   default); a bare URL (Electron's restart, a typed address) takes what localStorage kept. The New sweep form is in
 *   the URL only while New sweep is open; otherwise it comes from localStorage, so opening a link keeps a draft.
 * - Opening another view or another run pushes a history entry; any other change rewrites the current entry, at
 *   most every REPLACE_MS (a dragged slider does not flood history). Back/forward restore what an entry shows (view,
 *   runs, sweep) and keep the current settings; a hash edited by hand restores everything in it.
 * - Runs or a sweep that no longer exist (deleted since the link was made) are dropped quietly once the backend has
 *   said which exist.
 */
import { untrack } from 'svelte';
import { api } from '../api/client';
import { setOf, unique } from '../sets';
import { decodeState, encodeState, navigationKey, type DecodedState, type LinkState } from '../url-state';
import { compare } from './compare.svelte';
import { sweepForm } from './sweep-form.svelte';
import { VIEWS, workbench, type View } from './workbench.svelte';

const STORAGE_KEY = 'proxima.workbench.v1';
const REPLACE_MS = 300;
/** How long the app waits, at most, for the backend to say which restored runs exist before it shows them. */
const CHECK_MS = 3_000;
/** Marks the history entries this module wrote (an entry from a hand-edited hash has none). */
const ENTRY = { proxima: 1 } as const;
const views = VIEWS.map((v) => v.id);

/** The state as it is now; inside an effect, reading it tracks every part. */
function current(): LinkState<View> {
  return {
    view: workbench.view,
    selection: [...workbench.selection],
    sweepId: workbench.sweepId,
    detailRunId: workbench.detailRunId,
    replayRunId: workbench.replayRunId,
    compare: {
      metrics: [...compare.metrics],
      groupBy: compare.groupBy === null ? null : [...compare.groupBy],
      x: compare.x,
      smoothing: compare.smoothing,
      band: compare.band,
      logY: compare.logY,
      showRuns: compare.showRuns,
      hidden: [...compare.hidden],
      xRange: compare.xRange === null ? null : { min: compare.xRange.min, max: compare.xRange.max },
    },
    form: sweepForm.snapshot(),
  };
}

/** What a history entry shows: the view, the runs or sweep, the run. */
function applyNavigation(state: DecodedState<View>): void {
  workbench.view = state.view;
  workbench.selection = state.selection;
  workbench.sweepId = state.sweepId;
  workbench.detailRunId = state.detailRunId;
  workbench.replayRunId = state.replayRunId;
}

function applyAll(state: DecodedState<View>): void {
  applyNavigation(state);
  const c = state.compare;
  compare.metrics = c.metrics;
  compare.groupBy = c.groupBy;
  compare.x = c.x;
  compare.smoothing = c.smoothing;
  compare.band = c.band;
  compare.logY = c.logY;
  compare.showRuns = c.showRuns;
  compare.hidden = setOf(c.hidden);
  compare.xRange = c.xRange;
  if (state.form) sweepForm.restore(state.form);
}

function readStorage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeStorage(text: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, text);
  } catch {
    // Storage full or switched off: the URL still carries the state.
  }
}

class UrlState {
  private defaults: LinkState<View> | null = null;
  private lastHash = '';
  private lastNav = '';
  private pendingHash: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Restores the state and from then on follows it; call once, before the app mounts. Resolves when the backend
   * has said which of the restored runs still exist (or after CHECK_MS), so views never open a deleted run.
   */
  start(): Promise<void> {
    if (this.defaults) return Promise.resolve();
    const defaults = (this.defaults = current());
    const stored = readStorage();
    const fromStorage = stored === null ? null : decodeState(stored, defaults, views);
    const fromUrl = location.hash.length > 1 ? decodeState(location.hash, defaults, views) : null;
    const initial = fromUrl ? { ...fromUrl, form: fromUrl.form ?? fromStorage?.form ?? null } : fromStorage;
    if (initial) applyAll(initial);
    this.adopt();
    addEventListener('popstate', (event) => this.onPopState(event));
    $effect.root(() => {
      $effect(() => {
        const state = current();
        untrack(() => this.sync(state));
      });
    });
    return Promise.race([this.dropMissing(), new Promise<void>((resolve) => setTimeout(resolve, CHECK_MS))]);
  }

  private hashOf(state: LinkState<View>): string {
    return encodeState(state, this.defaults as LinkState<View>, state.view === 'new-sweep');
  }

  private sync(state: LinkState<View>): void {
    writeStorage(encodeState(state, this.defaults as LinkState<View>, true));
    const hash = this.hashOf(state);
    if (hash === this.lastHash) return;
    this.lastHash = hash;
    const nav = navigationKey(state);
    if (nav === this.lastNav) return this.replaceSoon(hash);
    this.flushReplace();
    this.lastNav = nav;
    history.pushState(ENTRY, '', `#${hash}`);
  }

  private replaceSoon(hash: string): void {
    this.pendingHash = hash;
    this.timer ??= setTimeout(() => this.flushReplace(), REPLACE_MS);
  }

  private flushReplace(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingHash !== null) history.replaceState(ENTRY, '', `#${this.pendingHash}`);
    this.pendingHash = null;
  }

  /** Takes the state as it now is as the current entry's (after restoring, or after a correction). */
  private adopt(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pendingHash = null;
    const state = current();
    this.lastHash = this.hashOf(state);
    this.lastNav = navigationKey(state);
    if (location.hash.replace(/^#/, '') !== this.lastHash) history.replaceState(ENTRY, '', `#${this.lastHash}`);
    writeStorage(encodeState(state, this.defaults as LinkState<View>, true));
  }

  private onPopState(event: PopStateEvent): void {
    const state = decodeState(location.hash, this.defaults as LinkState<View>, views);
    const ours = typeof event.state === 'object' && event.state !== null && (event.state as { proxima?: unknown }).proxima === ENTRY.proxima;
    if (ours) {
      applyNavigation(state);
    } else {
      applyAll(state);
      void compare.load();
    }
    this.adopt();
  }

  /** Drops selected runs, the shown runs and the sweep when the backend no longer has them. */
  private async dropMissing(): Promise<void> {
    const runIds = unique([...workbench.selection, workbench.detailRunId, workbench.replayRunId].filter((id): id is number => id !== null));
    const sweepId = workbench.sweepId;
    try {
      const [runs, sweeps] = await Promise.all([
        runIds.length > 0 ? api.call('runs.list', { runIds, includeHidden: true, limit: 10_000 }) : Promise.resolve([]),
        sweepId !== null ? api.call('sweeps.list', {}) : Promise.resolve([]),
      ]);
      const existing = setOf(runs.map((r) => r.id));
      const missing = setOf(runIds.filter((id) => !existing.has(id)));
      if (missing.size === 0 && (sweepId === null || sweeps.some((s) => s.id === sweepId))) return;
      if (workbench.selection.some((id) => missing.has(id))) workbench.selection = workbench.selection.filter((id) => !missing.has(id));
      if (workbench.detailRunId !== null && missing.has(workbench.detailRunId)) workbench.detailRunId = null;
      if (workbench.replayRunId !== null && missing.has(workbench.replayRunId)) workbench.replayRunId = null;
      if (sweepId !== null && workbench.sweepId === sweepId && !sweeps.some((s) => s.id === sweepId)) workbench.sweepId = null;
      this.adopt();
    } catch {
      // Backend unreachable: keep the state; each view reports the error it meets.
    }
  }
}

export const urlState = new UrlState();
