import { describe, expect, it } from 'vitest';
import { codeSpans, plainText } from '../../src/renderer/src/lib/code-spans';

describe('codeSpans', () => {
  it('splits backtick-marked code from plain text', () => {
    expect(codeSpans('Value clipping (SB3 `clip_range_vf`); null = none.')).toEqual([
      { text: 'Value clipping (SB3 ', code: false },
      { text: 'clip_range_vf', code: true },
      { text: '); null = none.', code: false },
    ]);
    expect(codeSpans('`clip` or `none`')).toEqual([
      { text: 'clip', code: true },
      { text: ' or ', code: false },
      { text: 'none', code: true },
    ]);
  });

  it('keeps an unpaired backtick and markup-like text as plain characters', () => {
    expect(codeSpans('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
    expect(codeSpans('`<img onerror=x>` <b>')).toEqual([
      { text: '<img onerror=x>', code: true },
      { text: ' <b>', code: false },
    ]);
    expect(codeSpans('')).toEqual([]);
    expect(codeSpans('``')).toEqual([]);
  });
});

describe('plainText', () => {
  it('drops the code marks', () => {
    expect(plainText('SB3 `clip_range_vf`; null = none')).toBe('SB3 clip_range_vf; null = none');
  });
});
