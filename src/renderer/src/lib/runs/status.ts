/** Catalog keys of run and sweep statuses, as badges, sweep cards and pickers name them. */
import type { RunStatus, SweepStatus } from '../../../../core/api/contract';

export const STATUS_KEYS: Record<RunStatus | SweepStatus, string> = {
  queued: 'status.queued',
  running: 'status.running',
  completed: 'status.completed',
  failed: 'status.failed',
  cancelled: 'status.cancelled',
  interrupted: 'status.interrupted',
  'finished with failures': 'status.finishedWithFailures',
};
