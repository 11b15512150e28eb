/**
 * How a sweep is named wherever one is picked or listed: its name, its id and when it was created, so sweeps with
 * equal names (a template launched twice) are told apart — "clip vs KL · #12 · 2 Dec 14:03".
 */
import type { SweepSummary } from '../../../../core/api/contract';
import { formatDuration, formatSteps, progressFraction, shortDate } from '../format';
import type { Locale, Translate } from '../i18n/locales';

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
