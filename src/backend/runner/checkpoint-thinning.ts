/**
 * Which of a run's checkpoints to drop so that at most `max` remain: the newest `keepNewest` always stay (resume
 * needs the latest), and of the older ones those closest to evenly spaced points between the first and the last
 * older step stay. What remains covers the whole run (early, middle and late policies to replay) and the count stays
 * bounded however long a run checkpoints, also when it is applied after every new checkpoint, as the queue does.
 */
export const MAX_CHECKPOINTS = 12;
export const NEWEST_KEPT = 3;

export function checkpointsToDrop(steps: readonly number[], max = MAX_CHECKPOINTS, keepNewest = NEWEST_KEPT): number[] {
  const sorted = [...steps].sort((a, b) => a - b);
  if (sorted.length <= max) return [];
  const older = sorted.slice(0, sorted.length - keepNewest);
  const slots = Math.max(0, max - keepNewest);
  const kept = new Set<number>();
  if (slots > 0) {
    const first = older[0]!;
    const last = older[older.length - 1]!;
    for (let k = 0; k < slots; k++) {
      const target = slots === 1 ? first : first + ((last - first) * k) / (slots - 1);
      // The closest older step not kept yet (ties: the earlier one).
      let best = -1;
      for (const step of older) if (!kept.has(step) && (best < 0 || Math.abs(step - target) < Math.abs(best - target))) best = step;
      if (best >= 0) kept.add(best);
    }
  }
  return older.filter((step) => !kept.has(step));
}
