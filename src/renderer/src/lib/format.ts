/** Display formatting shared by the views. */
import { activeLocale, type Locale } from './i18n/locales';

/** Seconds as `1h 02m`, `3m 05s` or `42s`; null/non-finite as an em dash. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
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

/** Steps as `12.3k` / `1.2M`. */
export function formatSteps(steps: number): string {
  if (steps >= 1e6) return `${Number((steps / 1e6).toPrecision(3))}M`;
  if (steps >= 1e3) return `${Number((steps / 1e3).toPrecision(3))}k`;
  return String(steps);
}

/** A fraction in [0, 1] from done/total, clamped; 0 when the total is unknown. */
export function progressFraction(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(1, Math.max(0, done / total));
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
