import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/renderer/src/lib/csv';
import { formatDateTime, formatDuration, formatNumber, formatSteps, progressFraction } from '../../src/renderer/src/lib/format';

describe('csv', () => {
  it('quotes fields with commas, quotes and newlines', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('x\ny')).toBe('"x\ny"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('builds CRLF rows under a header', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [2, null]])).toBe('a,b\r\n1,x\r\n2,\r\n');
  });
});

describe('format', () => {
  it('formats durations', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(3_720)).toBe('1h 02m');
    expect(formatDuration(null)).toBe('—');
    expect([42, 185, 3_720].map((s) => formatDuration(s, 'zh-CN'))).toEqual(['42秒', '3分05秒', '1小时02分']);
  });

  it('formats steps in the compact notation of each language', () => {
    expect([999, 1_024, 12_345, 2_000_000].map((s) => formatSteps(s, 'en'))).toEqual(['999', '1.02k', '12.3k', '2M']);
    expect([999, 1_024, 12_345, 2_000_000, 123_456_789].map((s) => formatSteps(s, 'zh-CN'))).toEqual(['999', '1024', '1.23万', '200万', '1.23亿']);
  });

  it('formats a date and time to the second in each language', () => {
    expect(formatDateTime('2026-12-02T14:03:27Z', 'UTC', 'en')).toBe('2 Dec 2026, 14:03:27');
    expect(formatDateTime('2026-12-02T14:03:27Z', 'UTC', 'zh-CN')).toBe('2026年12月2日 14:03:27');
    expect(formatDateTime('not a date', 'UTC', 'en')).toBe('—');
  });

  it('formats numbers and steps', () => {
    expect(formatNumber(123.456789)).toBe('123.5');
    expect(formatNumber(0.0001234)).toBe('1.234e-4');
    expect(formatNumber(500)).toBe('500');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(NaN)).toBe('—');
    expect(formatNumber(-Infinity)).toBe('−∞');
    // Thousands separated, never a decimal from 1,000 on; integers in full.
    expect(formatNumber(100_000)).toBe('100,000');
    expect(formatNumber(1_234_567)).toBe('1,234,567');
    expect(formatNumber(-12_345.678)).toBe('-12,346');
    expect(formatNumber(2048)).toBe('2,048');
    // Significant digits below 1,000, scientific notation without padding zeros below 0.001.
    expect(formatNumber(0.98)).toBe('0.98');
    expect(formatNumber(-167.5678)).toBe('-167.6');
    expect(formatNumber(0.0003)).toBe('3e-4');
    expect(formatNumber(0.123456, 3)).toBe('0.123');
    expect(formatNumber(2e16)).toBe('2e16');
    expect(formatNumber(0)).toBe('0');
    expect(formatSteps(12_345)).toBe('12.3k');
    expect(formatSteps(2_000_000)).toBe('2M');
  });

  it('clamps progress', () => {
    expect(progressFraction(50, 200)).toBe(0.25);
    expect(progressFraction(300, 200)).toBe(1);
    expect(progressFraction(5, 0)).toBe(0);
  });
});
