/**
 * Keyboard shortcuts of the main actions: one letter each, never while the user types (a text field, a select or
 * an editable element has the focus) and never with Ctrl, Alt or Meta held (those belong to the browser and the OS).
 */
import type { View } from './views';

export type ShortcutAction = { kind: 'view'; view: View } | { kind: 'focus-filter' } | { kind: 'help' };

export interface Shortcut {
  /** `KeyboardEvent.key` as typed (`?` is Shift + / on most layouts). */
  key: string;
  /** Catalog key of what the help overlay says it does. */
  descriptionKey: string;
  action: ShortcutAction;
}

export const SHORTCUTS: readonly Shortcut[] = Object.freeze([
  { key: 'r', descriptionKey: 'shortcuts.runs', action: { kind: 'view', view: 'runs' } },
  { key: 'n', descriptionKey: 'shortcuts.newSweep', action: { kind: 'view', view: 'new-sweep' } },
  { key: 'c', descriptionKey: 'shortcuts.compare', action: { kind: 'view', view: 'compare' } },
  { key: 's', descriptionKey: 'shortcuts.summary', action: { kind: 'view', view: 'summary' } },
  { key: 'h', descriptionKey: 'shortcuts.hparams', action: { kind: 'view', view: 'hparams' } },
  { key: 'd', descriptionKey: 'shortcuts.detail', action: { kind: 'view', view: 'detail' } },
  { key: 'p', descriptionKey: 'shortcuts.replay', action: { kind: 'view', view: 'replay' } },
  { key: 'l', descriptionKey: 'shortcuts.learn', action: { kind: 'view', view: 'learn' } },
  { key: '/', descriptionKey: 'shortcuts.filter', action: { kind: 'focus-filter' } },
  { key: '?', descriptionKey: 'shortcuts.help', action: { kind: 'help' } },
]);

/** Input types that take typed text; checkboxes, radios, buttons and ranges do not. */
const TEXT_INPUTS = new Set(['text', 'search', 'number', 'email', 'password', 'url', 'tel', 'date', 'datetime-local', 'month', 'time', 'week']);

/** What of a key event's target tells typing apart (an element's tag, an input's type, contenteditable). */
export interface KeyTarget {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

/** What of a key event decides its shortcut (a KeyboardEvent has all of it). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat: boolean;
  target: unknown;
}

/** Whether keys pressed in `target` are typing: a text field, a text area, a select, or an editable element. */
export function isTypingTarget(target: unknown): boolean {
  if (target === null || typeof target !== 'object') return false;
  const { tagName, type, isContentEditable } = target as KeyTarget;
  if (tagName === 'TEXTAREA' || tagName === 'SELECT') return true;
  if (tagName === 'INPUT') return TEXT_INPUTS.has((type || 'text').toLowerCase());
  return isContentEditable === true;
}

/** The shortcut a key press triggers, or null (typing, a modifier held, a key without a shortcut, a repeat). */
export function shortcutFor(event: KeyPress): Shortcut | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return null;
  if (isTypingTarget(event.target)) return null;
  return SHORTCUTS.find((s) => s.key === event.key) ?? null;
}
