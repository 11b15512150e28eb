/**
 * The catalog areas core owns (src/core/i18n/core-messages.ts): the English files are what `npm run i18n:core` writes
 * now (regenerated in memory), every core text has a message in English and Chinese, and coded validation messages
 * format with their values through the ICU formatter svelte-i18n uses, and each Chinese message translates today's
 * English (the hash of the English it was translated from, scripts/translation-sources.ts, still matches).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { fieldDocId } from '../../src/core/api/config-fields';
import { CORE_AREAS, CORE_MESSAGE_KEYS, coreMessages } from '../../src/core/i18n/core-messages';
import { METRIC } from '../../src/core/metrics/keys';
import { SWEEP_TEMPLATES } from '../../src/core/sweep/templates';
import { ALGORITHM_FIELDS, ALGORITHMS, safeParseTrainConfig, type AnyConfigField } from '../../src/core/training/config';
import { ALGORITHM_PRESETS } from '../../src/core/training/presets';
import { englishText, MESSAGE_CODES, type Coded } from '../../src/core/validation/coded-messages';
import { CATALOGS } from '../../src/renderer/src/lib/i18n/catalogs';
import { codedText, issueText } from '../../src/renderer/src/lib/i18n/core-texts';
import type { Locale, Translate } from '../../src/renderer/src/lib/i18n/locales';
import { markTranslated, readSources, sourceHash, staleTranslations } from '../../scripts/translation-sources';

const MESSAGES = join(import.meta.dirname, '../../src/renderer/src/lib/i18n/messages');
const file = (area: string, locale: Locale): Record<string, string> => JSON.parse(readFileSync(join(MESSAGES, `${area}.${locale}.json`), 'utf8')) as Record<string, string>;

/** A catalog's `t` as svelte-i18n formats (ICU, tags ignored); throws on a missing key rather than showing it. */
function translator(locale: Locale): Translate {
  return (key, values) => {
    const message = CATALOGS[locale][key];
    if (message === undefined) throw new Error(`${locale}: no message ${key}`);
    return String(new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).format(values));
  };
}
const en = translator('en');
const zh = translator('zh-CN');

/** The issues of a config, as the backend sends them. */
function issues(config: Record<string, unknown>): { message: string; coded?: Coded }[] {
  const result = safeParseTrainConfig(config);
  return result.ok ? [] : result.issues;
}

describe('core message catalogs', () => {
  it('are, in English, what `npm run i18n:core` writes from core today', () => {
    const generated = coreMessages();
    for (const area of CORE_AREAS) expect(file(area, 'en'), `${area}.en.json is stale: run npm run i18n:core`).toEqual(generated[area]);
  });

  it('have every English key in Chinese, each translated (not left empty)', () => {
    for (const area of CORE_AREAS) {
      const english = file(area, 'en');
      const chinese = file(area, 'zh-CN');
      expect(Object.keys(chinese).sort(), `${area}.zh-CN.json`).toEqual(Object.keys(english).sort());
      for (const [key, message] of Object.entries(chinese)) expect(message.trim(), key).not.toBe('');
    }
  });

  it('are in Chinese translations of today\'s English: none is stale since its English changed', () => {
    const stale = CORE_AREAS.flatMap((area) => staleTranslations(area, file(area, 'en'), readSources(area)));
    expect(
      stale.map((st) => `${st.area}.zh-CN.json ${st.key} (${st.reason})`),
      'these Chinese messages do not translate the English as it is now: update them, then npm run i18n:core -- --translated KEY…',
    ).toEqual([]);
  });

  it('tell a changed English message from a translated one, and record only what is marked', () => {
    const english = { a: 'Clip range ε.', b: 'Entropy coefficient.', c: 'New.' };
    const sources = { a: sourceHash('Clip range ε.'), b: sourceHash('Entropy bonus coefficient.'), gone: sourceHash('x') };
    expect(staleTranslations('fields', english, sources)).toEqual([
      { area: 'fields', key: 'b', reason: 'changed' },
      { area: 'fields', key: 'c', reason: 'new' },
    ]);
    // Marking nothing only drops keys the English no longer has; marking one records today's English for it.
    expect(markTranslated(english, sources, null)).toEqual({ a: sources.a, b: sources.b });
    expect(staleTranslations('fields', english, markTranslated(english, sources, ['b'])).map((st) => st.key)).toEqual(['c']);
    expect(staleTranslations('fields', english, markTranslated(english, sources, []))).toEqual([]);
  });

  it('give every field meaning, algorithm, preset, template, metric and error code a message in both languages', () => {
    const k = CORE_MESSAGE_KEYS;
    const keys = [
      ...ALGORITHMS.flatMap((a) => ALGORITHM_FIELDS[a].map((f) => k.fieldDoc(fieldDocId(f as AnyConfigField, a)))),
      ...ALGORITHMS.map(k.algorithmDescription),
      ...ALGORITHMS.flatMap((a) => Object.keys(ALGORITHM_PRESETS[a]).flatMap((name) => [k.presetLabel(a, name), k.presetDescription(a, name)])),
      ...SWEEP_TEMPLATES.flatMap((t) => [k.templateLabel(t.id), k.templateDescription(t.id)]),
      ...Object.values(METRIC).map(k.metricMeaning),
      ...MESSAGE_CODES.map(k.error),
    ];
    expect(keys.length).toBeGreaterThan(200);
    for (const locale of ['en', 'zh-CN'] as const) expect(keys.filter((key) => !(key in CATALOGS[locale])), locale).toEqual([]);
    // A meaning some algorithm has of its own gets its own message: GRPO's γ is not PPO's.
    expect(CATALOGS['zh-CN'][k.fieldDoc(fieldDocId('gamma', 'grpo'))]).not.toBe(CATALOGS['zh-CN'][k.fieldDoc('gamma')]);
    expect(CATALOGS['zh-CN'][k.metricMeaning('train/approx_kl')]).toMatch(/^近似 KL/);
  });

  it('word coded validation messages in each language with their values, English as the backend words them', () => {
    const bad = issues({ algorithm: 'ppo', gamma: 1.5, totalTimesteps: 0, nEnvs: 2.5, objective: 'clipped', normalizeObs: 'yes', piLayers: [64, 0] });
    expect(bad.length).toBe(6);
    for (const issue of bad) {
      expect(issue.coded, issue.message).toBeDefined();
      // The catalog's English through the ICU formatter is the backend's English message.
      expect(codedText(issue.coded!, en)).toBe(issue.message);
      expect(englishText(issue.coded!)).toBe(issue.message);
      const chinese = codedText(issue.coded!, zh);
      expect(chinese, issue.message).not.toMatch(/[{}]|must|got/);
      expect(chinese).toMatch(/\p{Script=Han}/u);
    }
    const gamma = bad.find((i) => i.message.startsWith('gamma'))!;
    expect(issueText(gamma, zh)).toBe('gamma 必须介于 0 和 1 之间（实际为 1.5）');
    expect(issueText(bad.find((i) => i.message.startsWith('totalTimesteps'))!, zh)).toBe('totalTimesteps 必须大于 0 且至多为 1,000,000,000（实际为 0）');
    // A plural, a list item, a trial; a message without a code stays the backend's.
    expect(codedText({ code: 'unknownFieldsIn', params: { count: 2, keys: 'a, b', field: 'grid' } }, en)).toBe('unknown fields a, b in grid');
    expect(codedText({ code: 'tooFewItems', params: { field: { code: 'item', params: { field: 'seeds', n: 2 } }, limit: 1 } }, en)).toBe('seeds value 2 must have at least 1 value');
    expect(codedText({ code: 'range', params: { field: 'lr', bounds: { code: 'atMost', params: { max: 1e-8 } }, got: 1, trial: 'seed=3' } }, zh)).toBe('lr 必须至多为 1e-8（实际为 1）（试验 seed=3）');
    expect(issueText({ message: 'batchSize 60 does not divide nSteps × nEnvs = 2048' }, zh)).toBe('batchSize 60 does not divide nSteps × nEnvs = 2048');
  });
});
