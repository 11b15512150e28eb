/**
 * How a sweep is named wherever one is picked or listed: its name, its id and when it was created, so sweeps with
 * equal names (a template launched twice) are told apart — "clip vs KL · #12 · 2 Dec 14:03".
 */
import type { SweepSummary } from '../../../../core/api/contract';
import { formatDuration, formatSteps, progressFraction } from '../format';

/**
 * `2 Dec 14:03` (24-hour clock) in `timeZone` (default: the browser's), with the year when it is not `now`'s.
 * An unreadable timestamp gives an empty string.
 */
export function shortDate(iso: string, now: Date = new Date(), timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const parts = (d: Date): Record<string, string> =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
  const p = parts(date);
  const year = p['year'] === parts(now)['year'] ? '' : ` ${p['year']}`;
  return `${p['day']} ${p['month']}${year} ${p['hour']}:${p['minute']}`;
}

/** "name · #id · 2 Dec 14:03". */
export function sweepLabel(sweep: Pick<SweepSummary, 'id' | 'name' | 'createdAt'>, now?: Date, timeZone?: string): string {
  const date = shortDate(sweep.createdAt, now, timeZone);
  return `${sweep.name} · #${sweep.id}${date ? ` · ${date}` : ''}`;
}

/** "12.3k / 73.7k steps · 17% · ETA 52s" (the ETA while it is known). */
export function sweepProgressText(progress: SweepSummary['progress']): string {
  const percent = Math.round(progressFraction(progress.stepsDone, progress.totalSteps) * 100);
  const eta = progress.etaSeconds === null ? '' : ` · ETA ${formatDuration(progress.etaSeconds)}`;
  return `${formatSteps(progress.stepsDone)} / ${formatSteps(progress.totalSteps)} steps · ${percent}%${eta}`;
}
