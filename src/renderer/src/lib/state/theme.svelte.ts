/**
 * The colour theme: the system's (the default, following `prefers-color-scheme` as it changes) or one the user chose,
 * kept in localStorage. The effective theme is written to `<html data-theme="light|dark">`, which app.css keys its
 * colour variables on (so charts, which read those variables, follow it too).
 */
import { readChoice, writeChoice } from './persisted-choice';

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** localStorage key of the user's choice. */
export const THEME_STORAGE_KEY = 'proxima.theme';

const isChoice = (value: unknown): value is ThemeChoice => (THEME_CHOICES as readonly unknown[]).includes(value);

class Theme {
  choice = $state<ThemeChoice>(readChoice(THEME_STORAGE_KEY, isChoice) ?? 'system');
  private systemDark = $state(false);
  /** Whether the page is dark now. */
  readonly dark = $derived(this.choice === 'system' ? this.systemDark : this.choice === 'dark');

  constructor() {
    if (typeof matchMedia === 'function') {
      const query = matchMedia('(prefers-color-scheme: dark)');
      this.systemDark = query.matches;
      query.addEventListener('change', (e) => {
        this.systemDark = e.matches;
        this.apply();
      });
    }
    this.apply();
  }

  /** Switches to `choice` and remembers it. */
  set(choice: ThemeChoice): void {
    this.choice = choice;
    writeChoice(THEME_STORAGE_KEY, choice);
    this.apply();
  }

  private apply(): void {
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = this.dark ? 'dark' : 'light';
  }
}

export const theme = new Theme();
