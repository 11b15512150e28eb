/**
 * The interface's texts that core owns — config field meanings, algorithm descriptions, preset labels and
 * descriptions, sweep templates, metric meanings, validation messages — as message catalog areas keyed the way the
 * renderer looks them up (`CORE_MESSAGE_KEYS`). The English catalogs are these, written by `npm run i18n:core`
 * (scripts/core-messages.ts) into src/renderer/src/lib/i18n/messages/<area>.en.json; the Chinese ones are translated by
 * hand beside them. A test fails when the written English is not what this gives.
 */
import { ALGORITHM_DOCS, CONFIG_FIELD_DOCS, CONFIG_FIELD_DOCS_BY_ALGORITHM, fieldDocId } from '../api/config-fields';
import { METRIC_MEANINGS } from '../metrics/keys';
import { SWEEP_TEMPLATES } from '../sweep/templates';
import { ALGORITHMS, type Algorithm, type AnyConfigField } from '../training/config';
import { ALGORITHM_PRESETS, PRESET_LABELS_BY_ALGORITHM, presetLabel, type PresetName } from '../training/presets';
import { CODED_MESSAGES, type MessageCode } from '../validation/coded-messages';

/** The catalog key of each core text. */
export const CORE_MESSAGE_KEYS = Object.freeze({
  /** A field's meaning by its `docId` (`gamma`, or `gamma.grpo` where GRPO means something else by it). */
  fieldDoc: (docId: string): string => `fields.${docId}.doc`,
  algorithmDescription: (algorithm: Algorithm): string => `algorithms.${algorithm}.description`,
  /** A preset's label: one per name, but where an algorithm calls it otherwise (`sb3-defaults` of TRPO). */
  presetLabel: (algorithm: Algorithm, name: string): string =>
    PRESET_LABELS_BY_ALGORITHM[algorithm]?.[name as PresetName] === undefined ? `presets.${name}.label` : `presets.${name}.${algorithm}.label`,
  presetDescription: (algorithm: Algorithm, name: string): string => `presets.${name}.${algorithm}.description`,
  templateLabel: (id: string): string => `templates.${id}.label`,
  templateDescription: (id: string): string => `templates.${id}.description`,
  /** `train/approx_kl` → `metrics.train.approx_kl`. */
  metricMeaning: (key: string): string => `metrics.${key.replace('/', '.')}`,
  error: (code: MessageCode): string => `errors.${code}`,
});

export type CoreArea = 'fields' | 'algorithms' | 'presets' | 'templates' | 'metrics' | 'errors';
export const CORE_AREAS: readonly CoreArea[] = ['fields', 'algorithms', 'presets', 'templates', 'metrics', 'errors'];

/**
 * A core text as an ICU message: the texts hold no ICU syntax of their own (braces, or a doubled apostrophe, would
 * be read as such), so a text that does is a mistake to catch here rather than a garbled message.
 */
function literal(text: string, where: string): string {
  if (/[{}]|''/.test(text)) throw new Error(`${where}: a core text must not hold braces or '' (ICU syntax): ${JSON.stringify(text)}`);
  return text;
}

/** Every area's English messages, keys sorted. */
export function coreMessages(): Record<CoreArea, Record<string, string>> {
  const k = CORE_MESSAGE_KEYS;
  const fields: Record<string, string> = {};
  for (const [field, doc] of Object.entries(CONFIG_FIELD_DOCS)) fields[k.fieldDoc(field)] = literal(doc, field);
  for (const algorithm of ALGORITHMS) {
    for (const [field, doc] of Object.entries(CONFIG_FIELD_DOCS_BY_ALGORITHM[algorithm] ?? {})) {
      fields[k.fieldDoc(fieldDocId(field as AnyConfigField, algorithm))] = literal(doc, `${algorithm}.${field}`);
    }
  }
  const algorithms = Object.fromEntries(ALGORITHMS.map((a) => [k.algorithmDescription(a), literal(ALGORITHM_DOCS[a], a)]));
  const presets: Record<string, string> = {};
  for (const algorithm of ALGORITHMS) {
    for (const [name, preset] of Object.entries(ALGORITHM_PRESETS[algorithm])) {
      presets[k.presetLabel(algorithm, name)] = literal(presetLabel(algorithm, name), name);
      presets[k.presetDescription(algorithm, name)] = literal(preset.description, `${algorithm}.${name}`);
    }
  }
  const templates: Record<string, string> = {};
  for (const t of SWEEP_TEMPLATES) {
    templates[k.templateLabel(t.id)] = literal(t.label, t.id);
    templates[k.templateDescription(t.id)] = literal(t.description, t.id);
  }
  const metrics = Object.fromEntries(Object.entries(METRIC_MEANINGS).map(([key, meaning]) => [k.metricMeaning(key), literal(meaning, key)]));
  const errors = Object.fromEntries(Object.entries(CODED_MESSAGES).map(([code, text]) => [k.error(code as MessageCode), text]));
  const sorted = (messages: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(messages).sort(([a], [b]) => a.localeCompare(b)));
  return { fields: sorted(fields), algorithms: sorted(algorithms), presets: sorted(presets), templates: sorted(templates), metrics: sorted(metrics), errors: sorted(errors) };
}
