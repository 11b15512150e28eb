/**
 * Handlers for the Learn view: one update's seq-indexed points of a run (the ratio histogram and per-epoch statistics
 * the trainers write, core/metrics/ratio-stats.ts), which the ordinary metric lists leave out.
 */
import { LEARN_METRIC } from '../../core/metrics/ratio-stats';
import { requireRun, type Handlers, type ServiceParts } from './handlers';

type LearnHandlers = Pick<Handlers, 'learn.distributions'>;

export function learnHandlers({ store }: ServiceParts): LearnHandlers {
  return {
    'learn.distributions': async ({ runId, step }) => {
      await requireRun(store, runId);
      const points = await store.readMetrics({ runIds: [runId], keys: Object.values(LEARN_METRIC), withSeq: true });
      const steps = [...new Set(points.flatMap((p) => p.steps))].sort((a, b) => a - b);
      if (steps.length === 0) return { steps, step: null, values: {} };
      const chosen = step === undefined ? (steps.at(-1) as number) : (steps.findLast((s) => s <= step) ?? (steps[0] as number));
      const values: Record<string, (number | null)[]> = {};
      for (const p of points) {
        const row: (number | null)[] = [];
        p.steps.forEach((s, i) => {
          if (s !== chosen) return;
          const value = p.values[i] as number;
          row[p.seqs![i] as number] = Number.isNaN(value) ? null : value;
        });
        // A seq the update lacks reads as null (an Array hole would be lost or read as undefined).
        if (row.length > 0) values[p.key] = Array.from(row, (v) => v ?? null);
      }
      return { steps, step: chosen, values };
    },
  };
}
