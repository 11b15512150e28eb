/**
 * The New sweep form's state. It lives for the whole session (a module singleton), so leaving the view or having
 * the backend reject the launch never loses what was typed. Previews (trial count, ETA, the preset's resolved
 * values) are fetched debounced as the form changes.
 */
import type { Catalog, SweepPreview } from '../../../../core/api/contract';
import { api } from '../api/client';
import { errorIssues, errorText } from '../api/errors';
import { applyTemplate, buildSweepRequest, emptyEntry, issuesByKey, type FieldEntry, type SweepForm } from '../sweep/form';
import { setOf } from '../sets';
import { debounce } from '../throttle';

export class SweepFormState {
  form = $state<SweepForm>({ name: '', env: '', preset: '', seeds: '0, 1, 2', samples: '8', fields: {} });
  fieldFilter = $state('');
  preview = $state.raw<SweepPreview | null>(null);
  previewError = $state<string | null>(null);
  /** The preset's resolved config for the chosen env (placeholders of untouched fields). */
  resolved = $state.raw<Record<string, unknown> | null>(null);
  /** Issues from the backend's last rejection, by form key ('' = not tied to a field). */
  issues = $state.raw<Record<string, string[]>>({});
  launching = $state(false);
  launched = $state<string | null>(null);

  private catalog: Catalog | null = null;
  private seq = 0;

  readonly schedulePreview = debounce(() => void this.refreshPreview(), 400);

  init(catalog: Catalog): void {
    if (this.catalog) return;
    this.catalog = catalog;
    if (!this.form.env) this.form.env = catalog.envs[0]?.id ?? '';
    if (!this.form.preset) this.form.preset = catalog.presets[0]?.name ?? '';
    this.schedulePreview();
  }

  get built(): ReturnType<typeof buildSweepRequest> {
    return buildSweepRequest(this.form, this.catalog?.fields ?? []);
  }

  entry(name: string): FieldEntry {
    return this.form.fields[name] ?? emptyEntry();
  }

  setEntry(name: string, patch: Partial<FieldEntry>): void {
    this.form.fields[name] = { ...this.entry(name), ...patch };
    this.changed();
  }

  useTemplate(id: string): void {
    const template = this.catalog?.templates.find((t) => t.id === id);
    if (!template) return;
    this.form = applyTemplate(this.form, template);
    this.changed();
  }

  changed(): void {
    this.launched = null;
    this.schedulePreview();
  }

  /** Backend validation and the trial count / ETA, without launching. */
  async refreshPreview(): Promise<void> {
    const seq = ++this.seq;
    const { request, errors } = this.built;
    const names = setOf(this.catalog?.fields.map((f) => f.name) ?? []);
    if (this.form.env && this.form.preset) {
      api.call('config.resolve', { preset: this.form.preset, envId: this.form.env, overrides: {} }).then(
        (r) => seq === this.seq && (this.resolved = r.config),
        () => seq === this.seq && (this.resolved = null),
      );
    }
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
      this.previewError = issues.length > 0 ? null : errorText(error);
    }
  }

  /** Launches the sweep and answers its id; on rejection the issues go next to their fields and the form stays as it is (null). */
  async launch(): Promise<number | null> {
    const { request, errors } = this.built;
    const names = setOf(this.catalog?.fields.map((f) => f.name) ?? []);
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
      this.issues = issues.length > 0 ? issuesByKey(issues, names) : { '': [errorText(error)] };
      return null;
    } finally {
      this.launching = false;
    }
  }
}

export const sweepForm = new SweepFormState();
