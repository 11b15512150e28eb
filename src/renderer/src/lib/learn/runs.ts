/** Which run a Learn figure shows first. */

/** The newest run of a list (highest id), preferring finished ones and those `prefer` accepts: a figure's default. */
export function defaultRun<T extends { id: number; status: string }>(runs: readonly T[], prefer: (run: T) => boolean = () => true): T | null {
  const preferred = runs.filter(prefer);
  const some = preferred.length > 0 ? preferred : runs;
  const done = some.filter((r) => r.status === 'completed');
  const pool = done.length > 0 ? done : some;
  return pool.reduce<T | null>((best, r) => (best === null || r.id > best.id ? r : best), null);
}
