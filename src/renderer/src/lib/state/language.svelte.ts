/**
 * The interface language: the system's (`navigator.language`, see `localeFor`) unless the user chose one, which is
 * kept in localStorage. Both catalogs are registered synchronously (they are small), so the first render already has
 * its messages: no flash of keys and no loading in Electron. The language is written to `<html lang>`.
 */
import { addMessages, init, locale } from 'svelte-i18n';
import { CATALOGS } from '../i18n/catalogs';
import { isLocale, localeFor, type Locale } from '../i18n/locales';
import { readChoice, writeChoice } from './persisted-choice';

/** localStorage key of the user's choice. */
export const LOCALE_STORAGE_KEY = 'proxima.locale';

const systemLocale = (): Locale => localeFor(typeof navigator === 'undefined' ? null : navigator.language);

class Language {
  current = $state<Locale>(readChoice(LOCALE_STORAGE_KEY, isLocale) ?? systemLocale());

  constructor() {
    for (const [name, messages] of Object.entries(CATALOGS)) addMessages(name, messages);
    // ignoreTag: messages hold filter syntax such as `field<n`, which is text, not a rich-text tag.
    void init({ fallbackLocale: 'en', initialLocale: this.current, ignoreTag: true });
    this.apply();
  }

  /** Switches to `choice` and remembers it. */
  set(choice: Locale): void {
    this.current = choice;
    writeChoice(LOCALE_STORAGE_KEY, choice);
    void locale.set(choice);
    this.apply();
  }

  private apply(): void {
    if (typeof document !== 'undefined') document.documentElement.lang = this.current;
  }
}

export const language = new Language();
