/** What cancelling a sweep does, in the words its confirmation asks with. */
import type { SweepSummary } from '../../../../core/api/contract';
import { formatDateTime, formatNumber } from '../format';
import type { Translate } from '../i18n/locales';

/**
 * The confirmation's question for `sweep`: which of its runs stop (running, queued and interrupted ones, as
 * `sweeps.cancel` cancels them) and that finished runs keep their results, in the language of `t`.
 */
export function cancelSweepMessage(sweep: Pick<SweepSummary, 'id' | 'name' | 'createdAt' | 'counts'>, t: Translate): string {
  const { running = 0, queued = 0, interrupted = 0, completed = 0, failed = 0, cancelled = 0 } = sweep.counts;
  const part = (key: string, n: number): string => (n > 0 ? t(key, { count: formatNumber(n) }) : '');
  const stopping = [part('sweepCancel.running', running), part('sweepCancel.queued', queued), part('sweepCancel.interrupted', interrupted)]
    .filter(Boolean)
    .join(t('common.listSeparator'));
  const finished = completed + failed + cancelled;
  return [
    t('sweepCancel.question', { name: sweep.name, id: sweep.id, created: formatDateTime(sweep.createdAt) }),
    stopping ? t('sweepCancel.stopping', { stopping, count: running + queued + interrupted }) : t('sweepCancel.nothingToStop'),
    finished > 0 ? t('sweepCancel.finished', { runs: formatNumber(finished), count: finished }) : '',
  ]
    .filter(Boolean)
    .join(' ');
}
