/**
 * Writes the English catalog areas core owns (src/core/i18n/core-messages.ts) into the renderer's message files:
 * `npm run i18n:core`. Run it after changing a field's meaning, a metric's, a template, a preset or a validation
 * message, then translate what changed in the matching <area>.zh-CN.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_AREAS, coreMessages } from '../src/core/i18n/core-messages';

const MESSAGES_DIR = join(import.meta.dirname, '../src/renderer/src/lib/i18n/messages');

/** A message file's text: two-space JSON and a final newline, as the hand-written catalogs are. */
const catalogFileText = (messages: Record<string, string>): string => `${JSON.stringify(messages, null, 2)}\n`;

const messages = coreMessages();
for (const area of CORE_AREAS) {
  const path = join(MESSAGES_DIR, `${area}.en.json`);
  writeFileSync(path, catalogFileText(messages[area]));
  console.log(`${path}: ${Object.keys(messages[area]).length} messages`);
}
