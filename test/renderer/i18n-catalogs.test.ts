import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { CATALOGS, mergeCatalogs } from '../../src/renderer/src/lib/i18n/catalogs';
import { localeFor } from '../../src/renderer/src/lib/i18n/locales';

const RENDERER = join(import.meta.dirname, '../../src/renderer/src');
const catalogs: Record<string, Record<string, string>> = CATALOGS;
const { en, 'zh-CN': zhCN } = CATALOGS;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(svelte|ts)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Every catalog key a source names: the argument of `$_('…')` / `$t('…')`, the dotted value of a `…Key: '…'` field (views,
 * shortcuts, switches keep keys in data), and any string literal in one of the catalogs' namespaces (`'welcome.…'`;
 * so a namespace must not be one of the API's, such as `runs.` of `'runs.update'`).
 */
function keysUsed(): Map<string, string> {
  const namespaces = [...new Set(Object.keys(en).map((key) => key.split('.')[0]))].join('|');
  const patterns = [/\$[_t]\(\s*['"`]([^'"`$]+)['"`]/g, /\w+Key:\s*['"](?=[\w-]+\.)([^'"]+)['"]/g, new RegExp(`['"]((?:${namespaces})\\.[\\w.]+)['"]`, 'g')];
  const used = new Map<string, string>();
  for (const file of sources(RENDERER)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) used.set(match[1], file.slice(RENDERER.length + 1));
  }
  return used;
}

describe('message catalogs', () => {
  it('merge the area files of each language and refuse a key two areas define', () => {
    expect(mergeCatalogs({ './messages/a.en.json': { 'a.x': 'X' }, './messages/b.en.json': { 'b.y': 'Y' }, './messages/a.zh-CN.json': { 'a.x': '叉' } }))
      .toEqual({ en: { 'a.x': 'X', 'b.y': 'Y' }, 'zh-CN': { 'a.x': '叉' } });
    expect(() => mergeCatalogs({ './messages/a.en.json': { 'a.x': 'X' }, './messages/b.en.json': { 'a.x': 'Z' } })).toThrow(/a\.x is defined in both/);
    expect(() => mergeCatalogs({ './messages/a.fr.json': {} })).toThrow(/expected <area>/);
  });

  it('hold the same keys in English and Chinese', () => {
    const enKeys = Object.keys(en).sort();
    expect(Object.keys(zhCN).sort()).toEqual(enKeys);
    expect(enKeys.length).toBeGreaterThan(20);
  });

  it('have no empty message, and keep every {placeholder} in both languages', () => {
    for (const [name, catalog] of Object.entries(catalogs)) {
      for (const [key, message] of Object.entries(catalog)) expect(message.trim(), `${name}: ${key}`).not.toBe('');
    }
    // The ICU parser svelte-i18n formats with (it also throws on a malformed message): the names of the arguments,
    // plural and select ones included, wherever they sit.
    const names = (elements: MessageFormatElement[]): string[] =>
      elements.flatMap((e) => [
        ...('value' in e && e.type !== TYPE.literal && e.type !== TYPE.tag ? [String(e.value)] : []),
        ...('options' in e ? Object.values(e.options).flatMap((o) => names((o as { value: MessageFormatElement[] }).value)) : []),
      ]);
    const placeholders = (message: string): string[] => [...new Set(names(parse(message, { ignoreTag: true })))].sort();
    for (const [key, message] of Object.entries(en)) expect(placeholders(zhCN[key as keyof typeof zhCN]), key).toEqual(placeholders(message));
  });

  it('have every key the renderer uses', () => {
    const used = keysUsed();
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter(([key]) => !(key in en) || !(key in zhCN)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });
});

describe('system language', () => {
  it('maps any Chinese to zh-CN and everything else to English', () => {
    expect(['zh', 'zh-CN', 'zh-TW', 'zh-Hans-CN', 'ZH-cn'].map(localeFor)).toEqual(Array(5).fill('zh-CN'));
    expect(['en-US', 'en', 'de-DE', 'fr', '', null, undefined].map(localeFor)).toEqual(Array(7).fill('en'));
  });
});
