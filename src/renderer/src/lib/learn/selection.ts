/**
 * What the Learn view remembers across its tabs, a reload and a restart (it rides in the workbench's URL hash and
 * localStorage, lib/url-state.ts): the open figure, the run each figure shows and the update it was moved to, and the
 * recording the episode figures read. Only what the user chose is kept; a figure's own default is not.
 */
import { LEARN_FIGURES, type LearnFigure } from './figures';

/** The run pickers of the figures: one each, and two for the trust-region figure (its TRPO and its PPO run). */
export const LEARN_RUN_SLOTS = ['clip', 'epochs', 'beta', 'trpo', 'ppo'] as const;
export type LearnRunSlot = (typeof LEARN_RUN_SLOTS)[number];
/** The figures with an update picker. */
export const LEARN_STEP_SLOTS = ['clip', 'epochs'] as const;
export type LearnStepSlot = (typeof LEARN_STEP_SLOTS)[number];

export interface LearnSelection {
  figure: LearnFigure;
  /** The run chosen in each picker (absent: the figure's default). */
  runs: Partial<Record<LearnRunSlot, number>>;
  /** The env step of the update chosen in each update picker, for the run chosen there (absent: the latest). */
  steps: Partial<Record<LearnStepSlot, number>>;
  /** The saved recording chosen for the GAE and temperature figures (null: the newest). */
  recording: number | null;
}

export const DEFAULT_LEARN_SELECTION: Readonly<LearnSelection> = Object.freeze({ figure: LEARN_FIGURES[0], runs: {}, steps: {}, recording: null });

/** `slot:n` pairs, comma-separated, slots in their list's order (`clip:4,trpo:7`). */
export function encodePairs<S extends string>(slots: readonly S[], values: Partial<Record<S, number>>): string {
  return slots.flatMap((slot) => (values[slot] === undefined ? [] : [`${slot}:${values[slot]}`])).join(',');
}

/** Reads `encodePairs`' text; a pair with an unknown slot or a value `valid` refuses is left out. */
export function decodePairs<S extends string>(text: string, slots: readonly S[], valid: (n: number) => boolean): Partial<Record<S, number>> {
  const out: Partial<Record<S, number>> = {};
  for (const pair of text.split(',')) {
    const match = /^([a-z]+):(\d{1,15})$/.exec(pair);
    if (!match || !(slots as readonly string[]).includes(match[1]!)) continue;
    const n = Number(match[2]);
    if (valid(n)) out[match[1] as S] = n;
  }
  return out;
}
