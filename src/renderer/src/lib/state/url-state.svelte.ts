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
 *   once or, during a burst, at most every REPLACE_MS (a dragged slider does not flood history). Back/forward
 *   restore what an entry shows (view, runs, sweep) and keep the current settings; a hash edited by hand restores
 *   everything in it.
 * - Runs or a sweep that no longer exist (deleted since the link was made) are dropped quietly before anything
 *   shows them: the backend is asked which exist.
 */
import { untrack } from 'svelte';
import { api } from '../api/client';
import { setOf, unique } from '../sets';
import { throttle } from '../throttle';
import { learnNavigation } from '../learn/navigation.svelte';
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
    learn: learnNavigation.snapshot(),
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
  learnNavigation.restore(state.learn);
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
  private readonly replaceSoon = throttle(() => this.flushReplace(), REPLACE_MS);
  /** Counts popstate events, so a slow existence check of an older one never applies over a newer one. */
  private pops = 0;

  /**
   * Restores the state and from then on follows it; call once, before the app mounts (views never open a deleted
   * run). Resolves once the backend has said which of the restored runs exist, or after CHECK_MS without an answer.
   */
  async start(): Promise<void> {
    if (this.defaults) return;
    const defaults = (this.defaults = current());
    const stored = readStorage();
    const fromStorage = stored === null ? null : decodeState(stored, defaults, views);
    const fromUrl = location.hash.length > 1 ? decodeState(location.hash, defaults, views) : null;
    const initial = fromUrl ? { ...fromUrl, form: fromUrl.form ?? fromStorage?.form ?? null } : fromStorage;
    if (initial) applyAll(await withoutMissing(initial));
    this.adopt();
    addEventListener('popstate', (event) => void this.onPopState(event));
    // A reload within REPLACE_MS of the last change reloads the URL as it is then: bring it up to date first.
    addEventListener('pagehide', () => this.flushReplace());
    $effect.root(() => {
      $effect(() => {
        const state = current();
        untrack(() => this.sync(state));
      });
    });
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
    if (nav === this.lastNav) {
      this.pendingHash = hash;
      return this.replaceSoon();
    }
    this.flushReplace();
    this.lastNav = nav;
    history.pushState(ENTRY, '', `#${hash}`);
  }

  /** Rewrites the current entry with the latest state (replaceSoon: now, or at most every REPLACE_MS in a burst). */
  private flushReplace(): void {
    this.replaceSoon.cancel();
    if (this.pendingHash !== null) history.replaceState(ENTRY, '', `#${this.pendingHash}`);
    this.pendingHash = null;
  }

  /** Takes the state as it now is for the current entry's (after restoring it), writing the URL if it differs. */
  private adopt(): void {
    this.replaceSoon.cancel();
    this.pendingHash = null;
    const state = current();
    this.lastHash = this.hashOf(state);
    this.lastNav = navigationKey(state);
    if (location.hash.replace(/^#/, '') !== this.lastHash) history.replaceState(ENTRY, '', `#${this.lastHash}`);
    writeStorage(encodeState(state, this.defaults as LinkState<View>, true));
  }

  /** Back/forward to an entry of ours restores what it shows; a hash edited by hand (no entry state) everything. */
  private async onPopState(event: PopStateEvent): Promise<void> {
    // The entry left behind keeps what it had; a rewrite still due would land on the entry arrived at.
    this.replaceSoon.cancel();
    this.pendingHash = null;
    const pop = ++this.pops;
    const ours = typeof event.state === 'object' && event.state !== null && (event.state as { proxima?: unknown }).proxima === ENTRY.proxima;
    const state = await withoutMissing(decodeState(location.hash, this.defaults as LinkState<View>, views));
    if (pop !== this.pops) return;
    if (ours) {
      applyNavigation(state);
    } else {
      // Compare reloads by itself when it opens or its runs change; new settings on an open Compare need a load.
      const wasCompare = workbench.view === 'compare';
      applyAll(state);
      if (wasCompare && workbench.view === 'compare') void compare.load();
    }
    this.adopt();
  }
}

/**
 * The state without the runs and the sweep the backend no longer has (deleted since it was saved or linked). Asks
 * at most CHECK_MS; without an answer the state stays as it is (each view reports what it then meets).
 */
async function withoutMissing(state: DecodedState<View>): Promise<DecodedState<View>> {
  const runIds = unique([...state.selection, state.detailRunId, state.replayRunId].filter((id): id is number => id !== null));
  const check = Promise.all([
    runIds.length > 0 ? api.call('runs.list', { runIds, includeHidden: true, limit: 10_000 }) : Promise.resolve([]),
    state.sweepId !== null ? api.call('sweeps.list', {}) : Promise.resolve([]),
  ]).then(([runs, sweeps]) => {
    const exists = setOf(runs.map((r) => r.id));
    const kept = (id: number | null): number | null => (id !== null && exists.has(id) ? id : null);
    return {
      ...state,
      selection: state.selection.filter((id) => exists.has(id)),
      sweepId: sweeps.some((s) => s.id === state.sweepId) ? state.sweepId : null,
      detailRunId: kept(state.detailRunId),
      replayRunId: kept(state.replayRunId),
    };
  });
  const timeout = new Promise<DecodedState<View>>((resolve) => setTimeout(() => resolve(state), CHECK_MS));
  return Promise.race([check.catch(() => state), timeout]);
}

export const urlState = new UrlState();
