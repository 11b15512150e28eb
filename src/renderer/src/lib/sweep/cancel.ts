/** What cancelling a sweep does, in the words its confirmation asks with. */
import type { SweepSummary } from '../../../../core/api/contract';
import { formatNumber } from '../format';

const runs = (n: number): string => `${formatNumber(n)} run${n === 1 ? '' : 's'}`;

/**
 * The confirmation's question for `sweep`: which of its runs stop (running, queued and interrupted ones, as
 * `sweeps.cancel` cancels them) and that finished runs keep their results.
 */
export function cancelSweepMessage(sweep: Pick<SweepSummary, 'id' | 'name' | 'createdAt' | 'counts'>): string {
  const { running = 0, queued = 0, interrupted = 0, completed = 0, failed = 0, cancelled = 0 } = sweep.counts;
  const stopping = [running > 0 ? `${formatNumber(running)} running` : '', queued > 0 ? `${formatNumber(queued)} queued` : '', interrupted > 0 ? `${formatNumber(interrupted)} interrupted` : '']
    .filter(Boolean)
    .join(', ');
  const finished = completed + failed + cancelled;
  const created = new Date(sweep.createdAt).toLocaleString();
  return [
    `Cancel sweep “${sweep.name}” (#${sweep.id}, created ${created})?`,
    stopping ? `Its ${stopping} ${running + queued + interrupted === 1 ? 'run stops' : 'runs stop'} and will not train further.` : 'None of its runs is still to train.',
    finished > 0 ? `The ${runs(finished)} already finished ${finished === 1 ? 'keeps its' : 'keep their'} metrics and checkpoints.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
