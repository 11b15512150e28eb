/**
 * The run (and update) a Learn figure shows: the one the user chose in its picker (remembered in `learnNavigation`,
 * so it outlives a tab switch and a reload) while the picker still offers it, else the figure's default
 * (`defaultRun`), which stays put once taken until the picker no longer offers it.
 */
import type { RunSummary } from '../../../../core/api/contract';
import { learnNavigation } from './navigation.svelte';
import { defaultRun } from './runs';
import { LEARN_STEP_SLOTS, type LearnRunSlot, type LearnStepSlot } from './selection';

export class FigureRun {
  /** The runs the picker offers; null until it listed them. */
  runs = $state.raw<RunSummary[] | null>(null);
  private fallback = $state<number | null>(null);
  private readonly slot: LearnRunSlot;
  private readonly prefer: ((run: RunSummary) => boolean) | undefined;

  constructor(slot: LearnRunSlot, prefer?: (run: RunSummary) => boolean) {
    this.slot = slot;
    this.prefer = prefer;
  }

  /** The RunPicker's `onlist`. */
  readonly listed = (list: RunSummary[]): void => {
    this.runs = list;
    if (this.fallback === null || !list.some((r) => r.id === this.fallback)) this.fallback = defaultRun(list, this.prefer)?.id ?? null;
  };

  /** The RunPicker's `onpick`. */
  readonly pick = (runId: number): void => learnNavigation.pickRun(this.slot, runId);

  /** The run shown; null until the runs are listed, or when there is none to show. */
  get runId(): number | null {
    if (this.runs === null) return null;
    const chosen = learnNavigation.runs[this.slot];
    return chosen !== undefined && this.runs.some((r) => r.id === chosen) ? chosen : this.fallback;
  }

  /** The update chosen for the run shown (null: follow the latest; always null for a figure without an update picker). */
  get step(): number | null {
    const slot = stepSlot(this.slot);
    const step = slot === null ? undefined : learnNavigation.steps[slot];
    return step !== undefined && learnNavigation.runs[this.slot] === this.runId ? step : null;
  }

  /** The UpdatePicker's `onpick`. */
  readonly pickStep = (step: number): void => {
    const [slot, runId] = [stepSlot(this.slot), this.runId];
    if (slot !== null && runId !== null) learnNavigation.pickStep(slot, runId, step);
  };

  /** Drops a remembered update the run does not have (its figure then follows the latest). */
  forgetStep(): void {
    const slot = stepSlot(this.slot);
    if (slot !== null) learnNavigation.forgetStep(slot);
  }
}

function stepSlot(slot: LearnRunSlot): LearnStepSlot | null {
  return (LEARN_STEP_SLOTS as readonly string[]).includes(slot) ? (slot as LearnStepSlot) : null;
}
