import { describe, expect, it } from 'vitest';
import { checkpointsToDrop } from '../../../src/backend/runner/checkpoint-thinning';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => (i + 1) * 1000);

describe('checkpointsToDrop', () => {
  it('keeps everything up to the bound', () => {
    expect(checkpointsToDrop(range(12))).toEqual([]);
  });

  it('keeps the newest three and nine older ones spread from the first, exactly the bound', () => {
    for (let n = 13; n <= 400; n++) {
      const steps = range(n);
      const drop = new Set(checkpointsToDrop(steps));
      const kept = steps.filter((s) => !drop.has(s));
      expect(kept.length, `n=${n}`).toBe(12);
      expect(kept.slice(-3)).toEqual(steps.slice(-3)); // resume needs the latest
      expect(kept[0]).toBe(1000); // the earliest policy stays
    }
  });

  it('thins as checkpoints arrive one by one, as the queue calls it', () => {
    let stored: number[] = [];
    for (const step of range(100)) {
      stored.push(step);
      const drop = new Set(checkpointsToDrop(stored));
      stored = stored.filter((s) => !drop.has(s));
      expect(stored.length).toBeLessThanOrEqual(12);
    }
    expect(stored.at(-1)).toBe(100_000);
    // Still spread over the run: the first, and several from each third of it.
    expect(stored[0]).toBe(1000);
    expect(stored.filter((s) => s <= 33_000).length).toBeGreaterThanOrEqual(2);
    expect(stored.filter((s) => s > 33_000 && s <= 66_000).length).toBeGreaterThanOrEqual(2);
  });
});
