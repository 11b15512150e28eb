/** Run sort keys as the API and the CLI accept them (a leaf module: the API contract validates with it). */
import type { RunSortKey } from './run-query';

/** Every sortable column (a `RunSortKey` other than `param:`). */
export const RUN_SORT_COLUMNS = ['id', 'createdAt', 'startedAt', 'finishedAt', 'envId', 'seed', 'status', 'objective', 'stepsDone', 'finalEval', 'sweepId'] as const;

/** Short names the API and the CLI accept for sort keys. */
const SORT_ALIASES: Readonly<Record<string, RunSortKey>> = { env: 'envId', eval: 'finalEval', steps: 'stepsDone' };

/** The sort key `by` names (an alias resolved), or null when it names none. */
export function resolveSortKey(by: string): RunSortKey | null {
  if (Object.hasOwn(SORT_ALIASES, by)) return SORT_ALIASES[by] as RunSortKey;
  if ((RUN_SORT_COLUMNS as readonly string[]).includes(by)) return by as RunSortKey;
  if (by.startsWith('param:') && by.length > 'param:'.length) return by as RunSortKey;
  return null;
}
