/**
 * Display formatting shared by the views: the one home for numbers, step counts, durations and dates, each in the
 * interface language (`locale`, default: the one shown now).
 */
import { activeLocale, type Locale } from './i18n/locales';

/** The units of a duration, per language: `1h 02m`, `3m 05s`, `42s`; `1小时02分`, `3分05秒`, `42秒`. */
const DURATION_UNITS: Record<Locale, { h: string; m: string; s: string; gap: string }> = {
  en: { h: 'h', m: 'm', s: 's', gap: ' ' },
  'zh-CN': { h: '小时', m: '分', s: '秒', gap: '' },
};

/** Seconds as `1h 02m`, `3m 05s` or `42s` (`1小时02分`, `3分05秒`, `42秒` in Chinese); null/non-finite as an em dash. */
export function formatDuration(seconds: number | null | undefined, locale: Locale = activeLocale()): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const u = DURATION_UNITS[locale];
  const s = Math.round(seconds);
  if (s < 60) return `${s}${u.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}${u.m}${u.gap}${String(s % 60).padStart(2, '0')}${u.s}`;
  const h = Math.floor(m / 60);
  return `${h}${u.h}${u.gap}${String(m % 60).padStart(2, '0')}${u.m}`;
}

/** Digit grouping (thousands separators) as every table shows it, per interface language: `12,345`. */
const grouped: Record<Locale, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }),
  'zh-CN': new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 }),
};

/**
 * The one number format of tables, summaries and overlays: `digits` significant digits (default 4), thousands
 * separated (`12,345`, `1,234,567`; a number of 1,000 or more shows no decimals), integers in full; below 0.001
 * (and from 10¹⁵) in scientific notation without trailing zeros (`3e-4`, `1.234e-4`); null/NaN as an em dash,
 * ±Infinity as `∞` / `−∞`. Digits are grouped as `locale` (default: the interface language) groups them.
 */
export function formatNumber(value: number | null | undefined, digits = 4, locale: Locale = activeLocale()): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e15)) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${String(Number(mantissa))}e${Number(exponent)}`;
  }
  if (Number.isInteger(value) || abs >= 1_000) return grouped[locale].format(value);
  return String(Number(value.toPrecision(digits)));
}

/** A hyperparameter value as shown in tables. */
export function formatValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Compact step counts, 3 significant digits, in the units of each language (Chinese counts in 万 and 亿). */
const compact: Record<Locale, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 }),
  'zh-CN': new Intl.NumberFormat('zh-CN', { notation: 'compact', maximumSignificantDigits: 3, useGrouping: false }),
};

/**
 * Steps in the locale's compact notation: `12.3k` / `1.02k` / `2M` in English (a lowercase k, as the tables always
 * wrote it), `1.23万` / `1024` / `200万` in Chinese.
 */
export function formatSteps(steps: number, locale: Locale = activeLocale()): string {
  // Below 万 (10⁴) Chinese writes the count in full: 3 significant digits would turn 1024 into 1020.
  if (locale === 'zh-CN' && Math.abs(steps) < 1e4) return String(Math.round(steps));
  const text = compact[locale].format(steps);
  return locale === 'en' ? text.replace('K', 'k') : text;
}

/** A fraction in [0, 1] from done/total, clamped; 0 when the total is unknown. */
export function progressFraction(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(1, Math.max(0, done / total));
}

/**
 * `2 Dec 14:03` in English, `12月2日 14:03` in Chinese (24-hour clock) in `timeZone` (default: the browser's), with
 * the year when it is not `now`'s (`9 Jan 2025 08:05`, `2025年1月9日 08:05`). An unreadable timestamp gives ''.
 */
export function shortDate(iso: string, now: Date = new Date(), timeZone?: string, locale: Locale = activeLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const yearOf = (d: Date): string => new Intl.DateTimeFormat('en-GB', { year: 'numeric', timeZone }).format(d);
  const withYear = yearOf(date) !== yearOf(now);
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone };
  if (locale !== 'en') return new Intl.DateTimeFormat(locale, { ...options, year: withYear ? 'numeric' : undefined }).format(date);
  // English keeps the day-month order of en-GB without its comma: `2 Dec 14:03`.
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { ...options, year: 'numeric' }).formatToParts(date).map((part) => [part.type, part.value]));
  return `${p['day']} ${p['month']}${withYear ? ` ${p['year']}` : ''} ${p['hour']}:${p['minute']}`;
}

/**
 * A full date and time to the second, 24-hour clock: `2 Dec 2026, 14:03:27` in English, `2026年12月2日 14:03:27` in
 * Chinese, in `timeZone` (default: the browser's). An unreadable timestamp gives '—'.
 */
export function formatDateTime(iso: string, timeZone?: string, locale: Locale = activeLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23', timeZone }).format(date);
}

const percent: Record<Locale, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }),
  'zh-CN': new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 }),
};

/** A fraction as a percentage with at most one decimal (`0.1234` → `12.3%`); null/NaN as an em dash. */
export function formatPercent(fraction: number | null | undefined, locale: Locale = activeLocale()): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return percent[locale].format(fraction);
}
