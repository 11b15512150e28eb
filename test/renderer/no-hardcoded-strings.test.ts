/**
 * No hard-coded user-visible text in the components that have been moved to the message catalogs: their template's
 * text and their `aria-label`, `title`, `placeholder` and `alt` attributes hold only expressions (`{$_('…')}`),
 * whitespace, punctuation, numbers and symbols (`×`, `←`, `?`). Text is what has a letter in it, in any script.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const RENDERER = join(import.meta.dirname, '../../src/renderer/src');

/**
 * The components whose strings come from the catalogs. When a component is converted it joins this list; when all
 * are, the list is every .svelte file under src/renderer/src.
 */
const CONVERTED = [
  'App.svelte',
  'components/LanguageSwitch.svelte',
  'components/ThemeSwitch.svelte',
  'components/ShortcutsHelp.svelte',
  'components/WelcomePanel.svelte',
  'components/StatusBadge.svelte',
  'components/ProgressBar.svelte',
  'components/RunsTable.svelte',
  'components/SweepsBar.svelte',
  'components/QueueBar.svelte',
  'components/ConfirmDialog.svelte',
  'components/CancelSweepDialog.svelte',
  'views/RunsView.svelte',
  'views/NewSweepView.svelte',
  'components/AlgorithmPicker.svelte',
  'components/ConfigFieldRow.svelte',
  'components/DocText.svelte',
  'views/LearnView.svelte',
  'components/learn/ClipObjectiveFigure.svelte',
  'components/learn/EpochRatiosFigure.svelte',
  'components/learn/AdaptivePenaltyFigure.svelte',
  'components/learn/GaeFigure.svelte',
  'components/learn/TemperatureFigure.svelte',
  'components/learn/TrustRegionFigure.svelte',
  'components/learn/EpisodeRecordingPicker.svelte',
  'components/learn/EpisodeChart.svelte',
  'components/ReplayTemperature.svelte',
];

const CHECKED_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt']);
const hasLetter = (text: string): boolean => /\p{L}/u.test(text);

interface Node {
  type?: string;
  name?: string;
  data?: string;
  value?: unknown;
  [key: string]: unknown;
}

/** The literal user-visible text of a component's template, each as `text` or `attribute="text"`. */
function hardCodedStrings(source: string): string[] {
  const ast = parse(source, { modern: true }) as unknown as { fragment: Node };
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'Text' && typeof n.data === 'string' && hasLetter(n.data)) found.push(n.data.trim());
    if (n.type === 'Attribute') {
      // Other attributes (class, data-testid, src…) are not read by the user.
      if (typeof n.name !== 'string' || !CHECKED_ATTRIBUTES.has(n.name)) return;
      const parts = Array.isArray(n.value) ? (n.value as Node[]) : [];
      for (const part of parts) if (part.type === 'Text' && typeof part.data === 'string' && hasLetter(part.data)) found.push(`${n.name}="${part.data}"`);
      return;
    }
    for (const [key, child] of Object.entries(n)) if (key !== 'parent' && key !== 'metadata') visit(child);
  };
  visit(ast.fragment);
  return found;
}

describe('hard-coded strings', () => {
  it('are found in text and in labelling attributes, in any script, but not in symbols, numbers or expressions', () => {
    const source = `<script lang="ts">const label = 'x';</script>
<h2>Runs</h2><p>{label} · 42 × ← ?</p><button title="open run detail" aria-label={label}>{label}</button>
<input placeholder="标签" /><img alt="" src="a.png" /><span class="muted" data-testid="runs">…</span>
<style>p { color: red; }</style>`;
    expect(hardCodedStrings(source)).toEqual(['Runs', 'title="open run detail"', 'placeholder="标签"']);
  });

  it.each(CONVERTED)('are absent from %s', (file) => {
    expect(hardCodedStrings(readFileSync(join(RENDERER, file), 'utf8'))).toEqual([]);
  });
});
