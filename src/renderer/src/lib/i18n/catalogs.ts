/// <reference types="vite/client" />
/**
 * The message catalogs: every `messages/<area>.<locale>.json` merged per language. An area (`app`, `learn`, `fields`…)
 * is one file per language so that parts of the interface keep their texts apart; a key belongs to one area only.
 */
import { LOCALES, type Locale } from './locales';

type Messages = Record<string, string>;

const files = import.meta.glob<Messages>('./messages/*.json', { eager: true, import: 'default' });

/** Merges the area files of each language; throws on a key two areas both define (one would silently win). */
export function mergeCatalogs(byPath: Record<string, Messages>): Record<Locale, Messages> {
  const merged = Object.fromEntries(LOCALES.map((l) => [l, {} as Messages])) as Record<Locale, Messages>;
  const owner = new Map<string, string>();
  for (const [path, messages] of Object.entries(byPath)) {
    const match = /([\w-]+)\.([\w-]+)\.json$/.exec(path);
    const locale = match?.[2] as Locale | undefined;
    if (!match || !locale || !LOCALES.includes(locale)) throw new Error(`message file ${path}: expected <area>.<${LOCALES.join('|')}>.json`);
    for (const [key, message] of Object.entries(messages)) {
      const where = `${locale}:${key}`;
      const previous = owner.get(where);
      if (previous) throw new Error(`message key ${key} is defined in both ${previous} and ${path}`);
      owner.set(where, path);
      merged[locale][key] = message;
    }
  }
  return merged;
}

export const CATALOGS: Record<Locale, Messages> = mergeCatalogs(files);
