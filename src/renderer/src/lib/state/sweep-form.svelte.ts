/**
 * The New sweep form's state. It lives for the whole session (a module singleton), so leaving the view or having
 * the backend reject the launch never loses what was typed; `reset` starts over from the defaults. Previews (trial
 * count, ETA, the preset's resolved values per chosen algorithm) are fetched debounced as the form changes. The
 * backend's messages about a field go as soon as that field is edited (they were about its previous value).
 */
import type { ApiIssue, Catalog, SweepPreview } from '../../../../core/api/contract';
import type { Algorithm } from '../../../../core/training/config';
import { api } from '../api/client';
import { errorIssue, errorIssues } from '../api/errors';
import { applyTemplate, defaultForm, formFields, presetOptions, setAlgorithms, templateNotice, tunedPresetHint, type FormField, type PresetOption, type TunedPresetHint } from '../sweep/algorithms';
import { buildSweepRequest, emptyEntry, issuesByKey, type FieldEntry, type SweepForm } from '../sweep/form';
import { translate } from '../i18n/translate';
import { setOf } from '../sets';
import { language } from './language.svelte';
import { debounce } from '../throttle';

export class SweepFormState {
  form = $state<SweepForm>({ name: '', env: '', algorithms: ['ppo'], preset: '', seeds: '0, 1, 2', samples: '8', fields: {} });
  fieldFilter = $state('');
  preview = $state.raw<SweepPreview | null>(null);
  /** Why the preview failed, when not for a field (shown through `errorText`); null when it did not. */
  previewError = $state<unknown>(null);
  /** Each chosen algorithm's resolved config of the preset on the chosen env (placeholders of untouched fields). */
  resolved = $state.raw<Partial<Record<Algorithm, Record<string, unknown>>>>({});
  /** What the last algorithm switch dropped or changed, until the form changes otherwise. */
  notice = $state<string | null>(null);
  /** That the last template replaced the sweep definition (and what it kept), until another template or a reset. */
  templateNotice = $state<string | null>(null);
  /** Issues from the backend's last rejection, by form key ('' = not tied to a field); the view words their codes. */
  issues = $state.raw<Record<string, ApiIssue[]>>({});
  launching = $state(false);
  launched = $state<string | null>(null);

  private catalog = $state.raw<Catalog | null>(null);
  private seq = 0;

  readonly schedulePreview = debounce(() => void this.refreshPreview(), 400);

  init(catalog: Catalog): void {
    if (this.catalog) return;
    this.catalog = catalog;
    this.settleChoices(catalog);
    this.schedulePreview();
  }

  /** An env or preset the catalog does not have (none yet, or one of an old saved form) becomes its first one. */
  private settleChoices(catalog: Catalog): void {
    if (!catalog.envs.some((e) => e.id === this.form.env)) this.form.env = catalog.envs[0]?.id ?? '';
    const presets = presetOptions(catalog, this.form.algorithms);
    if (!presets.some((p) => p.name === this.form.preset)) this.form.preset = presets[0]?.name ?? '';
  }

  /** The form as plain data, for saving it (lib/state/url-state.svelte.ts); reading it tracks every field. */
  snapshot(): SweepForm {
    return $state.snapshot(this.form);
  }

  /** Puts back a saved form (already read field by field by lib/url-state.ts). */
  restore(form: SweepForm): void {
    this.form = form;
    if (!this.catalog) return;
    this.settleChoices(this.catalog);
    this.changed();
  }

  /** Back to the form as it first opens: every field, the name, the templates' effect and all messages go. */
  reset(): void {
    if (!this.catalog) return;
    this.form = defaultForm(this.catalog);
    this.fieldFilter = '';
    this.templateNotice = null;
    this.issues = {};
    this.previewError = null;
    this.preview = null;
    this.changed();
  }

  /** The chosen algorithms' fields. */
  readonly fields: FormField[] = $derived(this.catalog ? formFields(this.catalog, this.form.algorithms) : []);
  /** The presets every chosen algorithm has a version of. */
  readonly presets: PresetOption[] = $derived(this.catalog ? presetOptions(this.catalog, this.form.algorithms) : []);
  /** A suggestion to switch to the tuned preset where the chosen one does not learn the env within the budget. */
  readonly tunedHint: TunedPresetHint | null = $derived(this.catalog ? (void language.current, tunedPresetHint(this.catalog, this.form, translate)) : null);

  get built(): ReturnType<typeof buildSweepRequest> {
    return buildSweepRequest(this.form, this.fields.map((f) => f.spec));
  }

  /** Chooses the algorithms; values of fields none of them has are dropped, and `notice` says so. */
  chooseAlgorithms(next: Algorithm[]): void {
    if (!this.catalog || next.length === 0) return;
    const { form, notice } = setAlgorithms(this.catalog, this.form, next, translate);
    this.form = form;
    this.notice = notice;
    this.changed(true);
  }

  entry(name: string): FieldEntry {
    return this.form.fields[name] ?? emptyEntry();
  }

  setEntry(name: string, patch: Partial<FieldEntry>): void {
    this.form.fields[name] = { ...this.entry(name), ...patch };
    this.changed(false, name);
  }

  /** Puts a template into the form (it replaces the sweep definition) and says so. */
  useTemplate(id: string): void {
    const template = this.catalog?.templates.find((t) => t.id === id);
    if (!this.catalog || !template) return;
    this.templateNotice = templateNotice(this.catalog, this.form, template, translate);
    this.form = applyTemplate(this.catalog, this.form, template, translate);
    // Every field was replaced: no message about the previous definition still applies.
    this.issues = {};
    this.changed();
  }

  /** Switches to the preset the tuned-preset hint suggests. */
  useTunedPreset(): void {
    if (!this.tunedHint) return;
    this.form.preset = this.tunedHint.preset;
    this.changed(false, 'preset');
  }

  /**
   * After any edit: the launch message and (unless this edit made it) the switch notice go, a preview is due. The
   * backend's messages about the edited form key (a field, `name`, `seeds`, …) and those not tied to a field go now:
   * they were about the previous value, and the preview re-validates the new one.
   */
  changed(keepNotice = false, key?: string): void {
    this.launched = null;
    if (!keepNotice) this.notice = null;
    if (key !== undefined && (this.issues[key] || this.issues[''])) {
      const { [key]: _edited, '': _general, ...rest } = this.issues;
      this.issues = rest;
    }
    this.schedulePreview();
  }

  /** Form keys the backend's issues may name: the fields, and the algorithm choice. */
  private issueKeys(): ReadonlySet<string> {
    return setOf([...this.fields.map((f) => f.name), 'algorithm']);
  }

  /** Backend validation and the trial count / ETA, without launching. */
  async refreshPreview(): Promise<void> {
    const seq = ++this.seq;
    const { request, errors } = this.built;
    const names = this.issueKeys();
    if (this.form.env && this.form.preset) void this.resolvePresets(seq);
    if (Object.keys(errors).length > 0 || !request.name.trim()) {
      this.preview = null;
      this.previewError = null;
      return;
    }
    try {
      const preview = await api.call('sweeps.preview', request);
      if (seq !== this.seq) return;
      this.preview = preview;
      this.previewError = null;
      this.issues = {};
    } catch (error) {
      if (seq !== this.seq) return;
      this.preview = null;
      const issues = errorIssues(error);
      this.issues = issuesByKey(issues, names);
      this.previewError = issues.length > 0 ? null : error;
    }
  }

  /** Each chosen algorithm's version of the preset on the env (an algorithm whose config fails to resolve shows none). */
  private async resolvePresets(seq: number): Promise<void> {
    const { env, preset, algorithms } = this.form;
    const entries = await Promise.all(
      algorithms.map((algorithm) =>
        api.call('config.resolve', { preset, envId: env, algorithm, overrides: {} }).then(
          (r) => [algorithm, r.config] as const,
          () => null,
        ),
      ),
    );
    if (seq === this.seq) this.resolved = Object.fromEntries(entries.filter((e) => e !== null));
  }

  /** Launches the sweep and answers its id; on rejection the issues go next to their fields and the form stays as it is (null). */
  async launch(): Promise<number | null> {
    const { request, errors } = this.built;
    const names = this.issueKeys();
    if (Object.keys(errors).length > 0) return null;
    this.launching = true;
    this.schedulePreview.cancel();
    this.seq++;
    try {
      const result = await api.call('sweeps.launch', request);
      this.issues = {};
      this.previewError = null;
      this.launched = `Launched "${request.name}": ${result.runIds.length} run(s).`;
      return result.sweepId;
    } catch (error) {
      const issues = errorIssues(error);
      this.issues = issues.length > 0 ? issuesByKey(issues, names) : { '': [errorIssue(error)] };
      return null;
    } finally {
      this.launching = false;
    }
  }
}

export const sweepForm = new SweepFormState();
