/**
 * How a sweep is named wherever one is picked or listed: its name, its id and when it was created, so sweeps with
 * equal names (a template launched twice) are told apart — "clip vs KL · #12 · 2 Dec 14:03".
 */
import type { SweepSummary } from '../../../../core/api/contract';
import { formatDuration, formatSteps, progressFraction } from '../format';
import { activeLocale, type Locale, type Translate } from '../i18n/locales';

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

/** "name · #id · 2 Dec 14:03" (the date in `locale`, default the interface language). */
export function sweepLabel(sweep: Pick<SweepSummary, 'id' | 'name' | 'createdAt'>, now?: Date, timeZone?: string, locale?: Locale): string {
  const date = shortDate(sweep.createdAt, now, timeZone, locale);
  return `${sweep.name} · #${sweep.id}${date ? ` · ${date}` : ''}`;
}

/** "12.3k / 73.7k steps · 17% · ETA 52s" (the ETA while it is known), in the language of `t`. */
export function sweepProgressText(progress: SweepSummary['progress'], t: Translate): string {
  const percent = Math.round(progressFraction(progress.stepsDone, progress.totalSteps) * 100);
  const text = t('sweepsBar.progress', { done: formatSteps(progress.stepsDone), total: formatSteps(progress.totalSteps), percent });
  return progress.etaSeconds === null ? text : `${text} · ${t('sweepsBar.eta', { eta: formatDuration(progress.etaSeconds) })}`;
}
