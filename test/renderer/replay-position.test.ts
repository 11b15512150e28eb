import { describe, expect, it } from 'vitest';
import { framePosition } from '../../src/renderer/src/lib/replay/position';

describe('framePosition', () => {
  it('counts a recorded episode in steps, as its frames’ t does', () => {
    // A 3-step episode: frames at t = 0 (reset), 1, 2, 3.
    const frames = [0, 1, 2, 3].map((t) => ({ t }));
    expect(frames.map((f) => framePosition(f, frames.length))).toEqual([
      { t: 0, steps: 3 },
      { t: 1, steps: 3 },
      { t: 2, steps: 3 },
      { t: 3, steps: 3 },
    ]);
    expect(framePosition(null, 0)).toEqual({ t: 0, steps: 0 });
  });
});
