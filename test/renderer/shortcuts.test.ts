import { describe, expect, it } from 'vitest';
import { isTypingTarget, SHORTCUTS, shortcutFor, type KeyPress } from '../../src/renderer/src/lib/shortcuts';

const press = (key: string, extra: Partial<KeyPress> = {}) =>
  shortcutFor({ key, ctrlKey: false, metaKey: false, altKey: false, repeat: false, target: null, ...extra });

describe('keyboard shortcuts', () => {
  it('map single keys to the main actions', () => {
    expect(press('n')?.action).toEqual({ kind: 'view', view: 'new-sweep' });
    expect(press('c')?.action).toEqual({ kind: 'view', view: 'compare' });
    expect(press('r')?.action).toEqual({ kind: 'view', view: 'runs' });
    expect(press('/')?.action).toEqual({ kind: 'focus-filter' });
    expect(press('?')?.action).toEqual({ kind: 'help' });
    expect(press('x')).toBeNull();
  });

  it('leave keys with Ctrl, Alt or Meta, and held-down repeats, to the browser', () => {
    expect(press('c', { ctrlKey: true })).toBeNull();
    expect(press('r', { metaKey: true })).toBeNull();
    expect(press('n', { altKey: true })).toBeNull();
    expect(press('n', { repeat: true })).toBeNull();
  });

  it('have one key each', () => {
    expect(new Set(SHORTCUTS.map((s) => s.key)).size).toBe(SHORTCUTS.length);
  });
});

describe('typing', () => {
  it('is a text field, a text area, a select or an editable element; a checkbox or a button is not', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: '' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'number' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
    expect(press('n', { target: { tagName: 'INPUT', type: 'text' } })).toBeNull();
    expect(press('n', { target: { tagName: 'INPUT', type: 'checkbox' } })?.action).toEqual({ kind: 'view', view: 'new-sweep' });
  });
});
