/**
 * Inline code in doc texts: the config catalog's meanings and the presets' descriptions mark names and values with
 * backticks (`clip`, SB3 `clip_range_vf`). `codeSpans` splits such a text into plain and code pieces, for a view to
 * render each piece as text (`<code>` for code) — never as HTML, so nothing in a text can inject markup.
 */
export interface TextSpan {
  text: string;
  code: boolean;
}

/**
 * Pieces of `text` in order: what lies between a pair of backticks is code, the rest plain. An unpaired backtick
 * stays as a plain character; empty pieces are left out.
 */
export function codeSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('`', i);
    const close = open < 0 ? -1 : text.indexOf('`', open + 1);
    if (open < 0 || close < 0) {
      plain += text.slice(i);
      break;
    }
    plain += text.slice(i, open);
    if (plain) spans.push({ text: plain, code: false });
    plain = '';
    if (close > open + 1) spans.push({ text: text.slice(open + 1, close), code: true });
    i = close + 1;
  }
  if (plain) spans.push({ text: plain, code: false });
  return spans;
}

/** The text without its code marks, for places that show plain text only (tooltips). */
export function plainText(text: string): string {
  return codeSpans(text).map((s) => s.text).join('');
}
