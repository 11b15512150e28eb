/**
 * The interface languages and how a language tag maps onto them. A leaf module: the language state, the number and
 * date formats and the tests all name these.
 */
import { get } from 'svelte/store';
import { locale } from 'svelte-i18n';

/** The languages with a message catalog, English first (the fallback for any message or language missing). */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** What the language switch calls each language: in its own language, so anyone can find theirs. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' };

export const isLocale = (value: unknown): value is Locale => (LOCALES as readonly unknown[]).includes(value);

/** The catalog for a BCP 47 tag such as `navigator.language`: any Chinese (`zh`, `zh-CN`, `zh-TW`…) → `zh-CN`, else `en`. */
export function localeFor(tag: string | null | undefined): Locale {
  return typeof tag === 'string' && /^zh\b/i.test(tag) ? 'zh-CN' : 'en';
}

/** The language the interface shows now (`en` before the i18n setup ran, as in unit tests). */
export function activeLocale(): Locale {
  const current = get(locale);
  return isLocale(current) ? current : localeFor(current);
}

/** A message of the catalogs by key with its ICU values (a component passes `(key, values) => $_(key, { values })`). */
export type Translate = (key: string, values?: Record<string, string | number>) => string;
