/**
 * What the Learn view shows (lib/learn/selection.ts), shared by the view, its figures and the links to it from other
 * views (`openLearn`); lib/state/url-state.svelte.ts keeps it in the URL and localStorage.
 */
import { workbench } from '../state/workbench.svelte';
import type { LearnFigure } from './figures';
import { DEFAULT_LEARN_SELECTION, type LearnRunSlot, type LearnSelection, type LearnStepSlot } from './selection';

class LearnNavigation {
  figure = $state<LearnFigure>(DEFAULT_LEARN_SELECTION.figure);
  runs = $state<LearnSelection['runs']>({});
  steps = $state<LearnSelection['steps']>({});
  recording = $state<number | null>(null);

  /** The run chosen in `slot`: the update chosen there goes, it was one of the previous run's. */
  pickRun(slot: LearnRunSlot, runId: number): void {
    this.runs[slot] = runId;
    if (slot === 'clip' || slot === 'epochs') delete this.steps[slot];
  }

  /** The update chosen in `slot`, of `runId` (the run it shows, which is then kept too). */
  pickStep(slot: LearnStepSlot, runId: number, step: number): void {
    this.runs[slot] = runId;
    this.steps[slot] = step;
  }

  /** Forgets a remembered update its run no longer has (back to following the latest). */
  forgetStep(slot: LearnStepSlot): void {
    delete this.steps[slot];
  }

  snapshot(): LearnSelection {
    return { figure: this.figure, runs: { ...this.runs }, steps: { ...this.steps }, recording: this.recording };
  }

  restore(selection: LearnSelection): void {
    this.figure = selection.figure;
    this.runs = { ...selection.runs };
    this.steps = { ...selection.steps };
    this.recording = selection.recording;
  }
}

export const learnNavigation = new LearnNavigation();

/** Opens the Learn view on `figure` (a chart's "Learn: …" link). */
export function openLearn(figure: LearnFigure): void {
  learnNavigation.figure = figure;
  workbench.view = 'learn';
}
