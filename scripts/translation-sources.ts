/**
 * Which English each Chinese core message was translated from. Beside the core areas' catalogs,
 * src/renderer/src/lib/i18n/translated-from/<area>.zh-CN.json maps each key of <area>.zh-CN.json to a hash of the
 * English message it translates. When core's English changes (`npm run i18n:core` rewrites <area>.en.json), the hash
 * no longer matches: `npm run i18n:core` lists those keys, and test/renderer/core-messages.test.ts fails on them until
 * the Chinese is brought up to date and marked as translated (`npm run i18n:core -- --translated KEY…`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SOURCES_DIR = join(import.meta.dirname, '../src/renderer/src/lib/i18n/translated-from');
export const TRANSLATED_LOCALE = 'zh-CN';

/** The hash recorded for an English message: 16 hex digits of its SHA-256. */
export function sourceHash(english: string): string {
  return createHash('sha256').update(english, 'utf8').digest('hex').slice(0, 16);
}

export const sourcesPath = (area: string): string => join(SOURCES_DIR, `${area}.${TRANSLATED_LOCALE}.json`);

/** An area's recorded hashes (empty when it has none yet). */
export function readSources(area: string): Record<string, string> {
  const path = sourcesPath(area);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {};
}

export function writeSources(area: string, sources: Record<string, string>): void {
  mkdirSync(SOURCES_DIR, { recursive: true });
  writeFileSync(sourcesPath(area), `${JSON.stringify(sources, null, 2)}\n`);
}

/** A key whose Chinese does not translate today's English: it changed since, or was never recorded (new). */
export interface StaleTranslation {
  area: string;
  key: string;
  reason: 'changed' | 'new';
}

/** The keys of `english` whose recorded source is not today's English, in the English file's order. */
export function staleTranslations(area: string, english: Record<string, string>, sources: Record<string, string>): StaleTranslation[] {
  return Object.entries(english).flatMap(([key, message]): StaleTranslation[] => {
    const recorded = sources[key];
    if (recorded === sourceHash(message)) return [];
    return [{ area, key, reason: recorded === undefined ? 'new' : 'changed' }];
  });
}

/**
 * The sources after marking `keys` as translated from today's English (every stale key when `keys` is empty), in
 * the English file's order, without keys the English no longer has.
 */
export function markTranslated(english: Record<string, string>, sources: Record<string, string>, keys: readonly string[] | null): Record<string, string> {
  const stale = new Set(staleTranslations('', english, sources).map((s) => s.key));
  const marked = keys === null ? new Set<string>() : keys.length === 0 ? stale : new Set(keys);
  return Object.fromEntries(
    Object.entries(english).flatMap(([key, message]) => {
      if (marked.has(key)) return [[key, sourceHash(message)]];
      const recorded = sources[key];
      return recorded === undefined ? [] : [[key, recorded]];
    }),
  );
}
