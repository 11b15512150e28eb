/**
 * No hard-coded user-visible text in any component of the renderer (every .svelte file under src/renderer/src): a template's
 * text and their `aria-label`, `title`, `placeholder` and `alt` attributes hold only expressions (`{$_('…')}`),
 * whitespace, punctuation, numbers and symbols (`×`, `←`, `?`). Text is what has a letter in it, in any script.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const RENDERER = join(import.meta.dirname, '../../src/renderer/src');

/** Every component of the renderer, as a path under src/renderer/src. */
function components(dir = RENDERER): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return components(path);
    return entry.name.endsWith('.svelte') ? [relative(RENDERER, path).split(sep).join('/')] : [];
  });
}

/**
 * Components allowed to hold literal text, each with the reason. Keep it short: a string the user reads belongs in
 * the catalogs.
 */
const EXCEPTIONS: Record<string, string> = {};

/**
 * Attributes a person reads: the labelling ones of HTML, and the props through which a component shows text (a
 * dialog's `message`, a chart's `xLabel`, a pane's `title`…).
 */
const CHECKED_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'message', 'subtitle']);
const isChecked = (name: string): boolean => CHECKED_ATTRIBUTES.has(name) || /Label$/.test(name);
const hasLetter = (text: string): boolean => /\p{L}/u.test(text);

interface Node {
  type?: string;
  name?: string;
  data?: string;
  value?: unknown;
  [key: string]: unknown;
}

/**
 * The string literals an expression shows: `'Play'` in `{playing ? 'Pause' : 'Play'}`, the text of a template literal
 * (`run ${id}`), a fallback (`{log || '(empty)'}`). Not what it calls with or compares against: `$_('key')` and
 * `status === 'queued'` show no literal.
 */
function shownLiterals(expression: unknown): string[] {
  const e = expression as Node | null;
  if (!e || typeof e !== 'object') return [];
  switch (e.type) {
    case 'Literal':
      return typeof e.value === 'string' && hasLetter(e.value) ? [e.value] : [];
    case 'TemplateLiteral':
      return [
        ...(e['quasis'] as { value: { cooked: string } }[]).map((q) => q.value.cooked).filter(hasLetter),
        ...(e['expressions'] as unknown[]).flatMap(shownLiterals),
      ];
    case 'ConditionalExpression':
      return [...shownLiterals(e['consequent']), ...shownLiterals(e['alternate'])];
    case 'LogicalExpression':
      return [...shownLiterals(e['left']), ...shownLiterals(e['right'])];
    case 'BinaryExpression':
      return e['operator'] === '+' ? [...shownLiterals(e['left']), ...shownLiterals(e['right'])] : [];
    default:
      return [];
  }
}

/** The literal user-visible text of a component's template, each as `text` or `attribute="text"`. */
function hardCodedStrings(source: string): string[] {
  const ast = parse(source, { modern: true }) as unknown as { fragment: Node };
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const n = node as Node;
    // style:, class:, bind: and on directives hold CSS values and code, not text.
    if (typeof n.type === 'string' && n.type.endsWith('Directive')) return;
    if (n.type === 'Text' && typeof n.data === 'string' && hasLetter(n.data)) found.push(n.data.trim());
    if (n.type === 'ExpressionTag') found.push(...shownLiterals(n['expression']));
    if (n.type === 'Attribute') {
      // Other attributes (class, data-testid, src…) are not read by the user.
      if (typeof n.name !== 'string' || !isChecked(n.name)) return;
      const parts = Array.isArray(n.value) ? (n.value as Node[]) : n.value && typeof n.value === 'object' ? [n.value as Node] : [];
      for (const part of parts) {
        if (part.type === 'Text' && typeof part.data === 'string' && hasLetter(part.data)) found.push(`${n.name}="${part.data}"`);
        if (part.type === 'ExpressionTag') for (const literal of shownLiterals(part['expression'])) found.push(`${n.name}={${literal}}`);
      }
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
<button>{playing ? $_('pause') : 'Play'}</button><Chart xLabel={\`run \${id}\`} class={on ? 'on' : 'off'} /><pre>{log || '(empty)'}</pre>
{#if status === 'queued'}<span aria-label={$_('queued', { values: { n: 'x y' } })}>{n} × {' · '}</span>{/if}
<style>p { color: red; }</style>`;
    expect(hardCodedStrings(source)).toEqual(['Runs', 'title="open run detail"', 'placeholder="标签"', 'Play', 'xLabel={run }', '(empty)']);
  });

  it('are looked for in every component', () => {
    const all = components();
    expect(all).toEqual(expect.arrayContaining(['App.svelte', 'views/SummaryView.svelte', 'components/ChartCard.svelte']));
    expect(all.length).toBeGreaterThan(40);
    // An exception names a component that exists.
    expect(Object.keys(EXCEPTIONS).filter((file) => !all.includes(file))).toEqual([]);
  });

  it.each(components().filter((file) => !(file in EXCEPTIONS)))('are absent from %s', (file) => {
    expect(hardCodedStrings(readFileSync(join(RENDERER, file), 'utf8'))).toEqual([]);
  });
});
