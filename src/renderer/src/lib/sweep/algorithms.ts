/**
 * The New sweep form's algorithm-aware logic, pure: which fields the chosen algorithms have (each with its meaning
 * per algorithm, and marked when only some of them have it), which presets they share, what switching algorithms
 * drops, applying a template (which replaces the whole sweep definition but for the environment) and saying so,
 * the form's defaults, and when to suggest the tuned preset.
 */
import type { AlgorithmInfo, Catalog, SweepTemplateInfo } from '../../../../core/api/contract';
import { ALGORITHM_LABELS, type Algorithm } from '../../../../core/training/config';
import { presetFor, TUNED_PRESET, UNTUNED_DOES_NOT_LEARN } from '../../../../core/training/presets';
import { formatValue } from '../format';
import { templateLabel, templateLabels } from '../i18n/core-texts';
import type { Translate } from '../i18n/locales';
import { MessageError } from '../i18n/message-error';
import { emptyEntry, SWEEP_OWNED_FIELDS, type FieldEntry, type FieldSpec, type SweepForm } from './form';

type Algorithms = Pick<Catalog, 'algorithms'>;

/** One row of the config form over the chosen algorithms. */
export interface FormField {
  name: string;
  /** What the inputs parse by: the first owner's field, with enum options joined over every owner. */
  spec: FieldSpec;
  /** The chosen algorithms that have the field, in the chosen order. */
  owners: Algorithm[];
  /** Its meaning, once per distinct one (several algorithms share a line when they mean the same); `docId` keys its message. */
  docs: { algorithms: Algorithm[]; doc: string; docId: string }[];
  /** `TRPO only`, `PPO, A2C only` when some chosen algorithm lacks the field; null when all have it. */
  only: string | null;
}

/** The algorithms as display names, `PPO, A2C`. */
const labels = (algorithms: readonly Algorithm[]): string => algorithms.map((a) => ALGORITHM_LABELS[a]).join(', ');

function infoOf(catalog: Algorithms, algorithm: Algorithm): AlgorithmInfo {
  const info = catalog.algorithms.find((a) => a.id === algorithm);
  if (!info) throw new MessageError('formError.unknownAlgorithm', { algorithm });
  return info;
}

/**
 * The form's fields for `algorithms`: the first algorithm's in schema order, then the fields only later ones have,
 * in theirs; never the fields the sweep itself sets (env, seed).
 */
export function formFields(catalog: Algorithms, algorithms: readonly Algorithm[]): FormField[] {
  const rows = new Map<string, { specs: FieldSpec[]; owners: Algorithm[] }>();
  for (const algorithm of algorithms) {
    for (const field of infoOf(catalog, algorithm).fields) {
      if (SWEEP_OWNED_FIELDS.has(field.name)) continue;
      const row = rows.get(field.name);
      if (row) {
        row.specs.push(field);
        row.owners.push(algorithm);
      } else rows.set(field.name, { specs: [field], owners: [algorithm] });
    }
  }
  return [...rows.entries()].map(([name, { specs, owners }]) => {
    const first = specs[0] as FieldSpec;
    const options = first.kind === 'enum' ? [...new Set(specs.flatMap((s) => s.options ?? []))] : undefined;
    const docs: FormField['docs'] = [];
    specs.forEach((spec, i) => {
      const same = docs.find((d) => d.docId === spec.docId);
      if (same) same.algorithms.push(owners[i] as Algorithm);
      else docs.push({ algorithms: [owners[i] as Algorithm], doc: spec.doc, docId: spec.docId });
    });
    return {
      name,
      spec: options ? { ...first, options } : first,
      owners,
      docs,
      only: owners.length < algorithms.length ? `${labels(owners)} only` : null,
    };
  });
}

/** A preset the chosen algorithms can all start from, with each one's version of it. */
export interface PresetOption {
  name: string;
  label: string;
  /** Per algorithm: the preset it really uses (`zoo` is REINFORCE's `tuned`) and its description. */
  versions: { algorithm: Algorithm; preset: string; description: string }[];
}

/** Presets of the first algorithm that every chosen algorithm has a version of (presetFor), in its order. */
export function presetOptions(catalog: Algorithms, algorithms: readonly Algorithm[]): PresetOption[] {
  const [first] = algorithms;
  if (first === undefined) return [];
  return infoOf(catalog, first).presets.flatMap((preset) => {
    const versions = algorithms.map((algorithm) => {
      const own = presetFor(algorithm, preset.name);
      const info = own === null ? undefined : infoOf(catalog, algorithm).presets.find((p) => p.name === own);
      return info ? { algorithm, preset: info.name, description: info.description } : null;
    });
    if (versions.some((v) => v === null)) return [];
    return [{ name: preset.name, label: preset.label, versions: versions as PresetOption['versions'] }];
  });
}

/**
 * `preset` when the algorithms can all use it, else its equivalent among their presets (`zoo` → `tuned`), else their
 * first common preset (the reference defaults).
 */
function presetForAll(catalog: Algorithms, algorithms: readonly Algorithm[], preset: string): string {
  const options = presetOptions(catalog, algorithms).map((o) => o.name);
  if (options.includes(preset)) return preset;
  const equivalent = algorithms[0] === undefined ? null : presetFor(algorithms[0], preset);
  return equivalent !== null && options.includes(equivalent) ? equivalent : (options[0] ?? '');
}

export interface SwitchResult {
  form: SweepForm;
  /** What the switch changed that the user set (dropped values, another preset), as a sentence; null when nothing. */
  notice: string | null;
}

/**
 * Chooses `next` algorithms: values of fields none of them has are dropped (fields left on the preset are kept, as
 * they hold nothing), and the preset moves to one they all have when it must. The notice says what was dropped, in the
 * language of `t`.
 */
export function setAlgorithms(catalog: Algorithms, form: SweepForm, next: readonly Algorithm[], t: Translate): SwitchResult {
  if (next.length === 0) return { form, notice: null };
  const names = new Set(next.flatMap((a) => infoOf(catalog, a).fields.map((f) => f.name)));
  const fields: Record<string, FieldEntry> = {};
  const dropped: string[] = [];
  for (const [name, entry] of Object.entries(form.fields)) {
    if (names.has(name)) fields[name] = entry;
    else if (entry.mode !== 'preset') dropped.push(name);
  }
  const preset = presetForAll(catalog, next, form.preset);
  const sentences: string[] = [];
  if (dropped.length > 0) {
    const count = dropped.length;
    const why = t(next.length === 1 ? 'sweepForm.droppedWhyOne' : 'sweepForm.droppedWhyMany', { algorithms: labels(next), count });
    sentences.push(t('sweepForm.dropped', { fields: dropped.join(', '), why, count }));
  }
  if (preset !== form.preset && presetFor(next[0] as Algorithm, form.preset) !== preset) {
    sentences.push(t('sweepForm.presetMoved', { preset: form.preset, algorithms: labels(next), next: preset }));
  }
  return { form: { ...form, algorithms: [...next], fields, preset }, notice: sentences.length > 0 ? sentences.join(' ') : null };
}

const text = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? value.join(', ') : String(value));

/** Whether the form's name is one the user typed (not empty, not a template's label). */
export function hasTypedName(catalog: Pick<Catalog, 'templates'>, form: Pick<SweepForm, 'name'>): boolean {
  return form.name !== '' && !catalog.templates.some((t) => templateLabels(t).includes(form.name));
}

/**
 * Puts a template into the form, replacing the sweep definition (algorithms, every field entry, preset, seeds) and
 * keeping the environment; the name becomes the template's (its label in the language of `t`, where given) unless the
 * user typed one. A sweep's name is the user's once stored (the CLI, exports and other front-ends show it as it is), so
 * it is the label in the language shown when the sweep was made, not a template id worded later.
 */
export function applyTemplate(catalog: Pick<Catalog, 'algorithms' | 'templates'>, form: SweepForm, template: SweepTemplateInfo, t?: Translate): SweepForm {
  const fields: Record<string, FieldEntry> = {};
  for (const [name, values] of Object.entries(template.grid)) {
    if (name !== 'algorithm') fields[name] = { ...emptyEntry(), mode: 'grid', text: values.map(text).join(', ') };
  }
  for (const [name, value] of Object.entries(template.overrides ?? {})) {
    if (name !== 'algorithm') fields[name] = { ...emptyEntry(), mode: 'value', text: text(value) };
  }
  const typed = hasTypedName(catalog, form);
  return {
    ...form,
    name: typed ? form.name : t ? templateLabel(template, t) : template.label,
    env: template.env ?? form.env,
    algorithms: [...template.algorithms],
    preset: presetForAll(catalog, template.algorithms, template.preset ?? form.preset),
    seeds: template.seeds.join(', '),
    fields,
  };
}

/**
 * A field's preset value over its owners, for the row's placeholder: the value when they agree (or one owns it),
 * else `PPO 32 · A2C 5`; empty while a config is not resolved yet.
 */
export function presetValueText(field: Pick<FormField, 'owners'> & { name: string }, resolved: Partial<Record<Algorithm, Record<string, unknown>>>): string {
  const values = field.owners.map((a) => ({ a, value: resolved[a]?.[field.name] }));
  if (values.some((v) => v.value === undefined)) return '';
  const shown = values.map((v) => formatValue(v.value));
  return new Set(shown).size === 1 ? (shown[0] as string) : values.map((v, i) => `${ALGORITHM_LABELS[v.a]} ${shown[i]}`).join(' · ');
}

/**
 * What applying `template` to `form` did, as the form shows it: the template replaced the sweep definition, and what
 * it kept (the environment; the name when the user typed one), in the language of `t`.
 */
export function templateNotice(catalog: Pick<Catalog, 'templates'>, form: Pick<SweepForm, 'name' | 'env'>, template: Pick<SweepTemplateInfo, 'id' | 'label' | 'env'>, t: Translate): string {
  const typed = hasTypedName(catalog, form) ? 'yes' : 'no';
  const label = templateLabel(template, t);
  if (template.env) return t('sweepForm.templateOwnEnv', { label, env: template.env, typed });
  return t('sweepForm.template', { label, env: form.env, typed });
}

/** The New sweep form as it first opens: the catalog's first environment, PPO, its first preset, seeds 0, 1, 2. */
export function defaultForm(catalog: Pick<Catalog, 'envs' | 'algorithms'>): SweepForm {
  const algorithms: Algorithm[] = ['ppo'];
  return { name: '', env: catalog.envs[0]?.id ?? '', algorithms, preset: presetOptions(catalog, algorithms)[0]?.name ?? '', seeds: '0, 1, 2', samples: '8', fields: {} };
}

/** A suggestion to start from the tuned preset, with the preset to switch to. */
export interface TunedPresetHint {
  preset: string;
  /** The button's text: `Use RL Zoo (tuned)`. */
  action: string;
  message: string;
}

/**
 * The hint for an environment on which PPO with the reference defaults does not learn within the budget
 * (`UNTUNED_DOES_NOT_LEARN`, measured on `sb3-defaults`): shown while the form is on `sb3-defaults` with PPO among the
 * algorithms and every chosen algorithm has RL Zoo's tuned entry (`zoo`) to switch to; null otherwise.
 */
export function tunedPresetHint(catalog: Algorithms, form: Pick<SweepForm, 'env' | 'algorithms' | 'preset'>, t: Translate): TunedPresetHint | null {
  if (!UNTUNED_DOES_NOT_LEARN.has(form.env) || form.preset !== 'sb3-defaults' || !form.algorithms.includes('ppo')) return null;
  if (!form.algorithms.every((a) => TUNED_PRESET[a] === 'zoo')) return null;
  const options = presetOptions(catalog, form.algorithms);
  const tuned = options.find((o) => o.name === 'zoo');
  const current = options.find((o) => o.name === form.preset);
  if (!tuned || !current) return null;
  return {
    preset: tuned.name,
    action: t('sweepForm.useTuned', { preset: tuned.label }),
    message: t('sweepForm.tunedHint', { current: current.label, env: form.env, tuned: tuned.label }),
  };
}
