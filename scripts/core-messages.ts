/**
 * Writes the English catalog areas core owns (src/core/i18n/core-messages.ts) into the renderer's message files:
 * `npm run i18n:core`. Run it after changing a field's meaning, a metric's, a template, a preset or a validation
 * message. It then lists the Chinese messages that no longer translate the English (scripts/translation-sources.ts):
 * bring each up to date in <area>.zh-CN.json, then record it as translated with
 * `npm run i18n:core -- --translated KEY…` (no keys: every listed one).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_AREAS, coreMessages } from '../src/core/i18n/core-messages';
import { markTranslated, readSources, staleTranslations, TRANSLATED_LOCALE, writeSources, type StaleTranslation } from './translation-sources';

const MESSAGES_DIR = join(import.meta.dirname, '../src/renderer/src/lib/i18n/messages');

/** A message file's text: two-space JSON and a final newline, as the hand-written catalogs are. */
const catalogFileText = (messages: Record<string, string>): string => `${JSON.stringify(messages, null, 2)}\n`;

const args = process.argv.slice(2);
const at = args.indexOf('--translated');
/** null: mark nothing; []: every stale key; else these keys. */
const translated = at < 0 ? null : args.slice(at + 1);

const messages = coreMessages();
const stale: StaleTranslation[] = [];
for (const area of CORE_AREAS) {
  const english = messages[area];
  const path = join(MESSAGES_DIR, `${area}.en.json`);
  writeFileSync(path, catalogFileText(english));
  console.log(`${path}: ${Object.keys(english).length} messages`);
  const sources = markTranslated(english, readSources(area), translated);
  writeSources(area, sources);
  stale.push(...staleTranslations(area, english, sources));
}

if (stale.length === 0) {
  console.log(`${TRANSLATED_LOCALE}: every core message translates today's English`);
} else {
  console.log(`${TRANSLATED_LOCALE}: ${stale.length} core message(s) need (re-)translation:`);
  for (const s of stale) console.log(`  ${s.area}.${TRANSLATED_LOCALE}.json  ${s.key}  (${s.reason === 'new' ? 'new English message' : 'the English changed'})`);
  console.log(`Update them, then: npm run i18n:core -- --translated ${stale.length === 1 ? stale[0]!.key : '[KEY…]'}`);
}
