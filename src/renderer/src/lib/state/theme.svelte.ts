/**
 * The colour theme: the system's (the default, following `prefers-color-scheme` as it changes) or one the user chose,
 * kept in localStorage. The effective theme is written to `<html data-theme="light|dark">`, which app.css keys its
 * colour variables on (so charts, which read those variables, follow it too).
 */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** localStorage key of the user's choice. */
export const THEME_STORAGE_KEY = 'proxima.theme';

const isChoice = (value: unknown): value is ThemeChoice => (THEME_CHOICES as readonly unknown[]).includes(value);

function stored(): ThemeChoice {
  try {
    const value = globalThis.localStorage?.getItem(THEME_STORAGE_KEY);
    return isChoice(value) ? value : 'system';
  } catch {
    // Storage can be unavailable (a privacy setting): the system theme it is.
    return 'system';
  }
}

class Theme {
  choice = $state<ThemeChoice>(stored());
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
    try {
      globalThis.localStorage?.setItem(THEME_STORAGE_KEY, choice);
    } catch {
      // Not remembered across reloads; the switch still applies now.
    }
    this.apply();
  }

  private apply(): void {
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = this.dark ? 'dark' : 'light';
  }
}

export const theme = new Theme();
