import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce, throttle } from '../../src/renderer/src/lib/throttle';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at most once per interval, leading and trailing', () => {
    const fn = vi.fn();
    const t = throttle(fn, 250);
    for (let i = 0; i < 100; i++) {
      t();
      vi.advanceTimersByTime(10); // 100 events over 1 s
    }
    vi.advanceTimersByTime(250);
    // 1 s of events at 250 ms: leading call plus one per interval, plus the trailing one: ≤ 5 redraws.
    expect(fn.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(fn.mock.calls.length).toBeLessThanOrEqual(5);
  });

  it('never loses the last request of a burst', () => {
    const fn = vi.fn();
    const t = throttle(fn, 250);
    t();
    t();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(249);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('cancel drops the pending run', () => {
    const fn = vi.fn();
    const t = throttle(fn, 250);
    t();
    t();
    t.cancel();
    vi.advanceTimersByTime(1_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('debounce calls once after the quiet period with the last arguments', () => {
    const fn = vi.fn();
    const d = debounce(fn, 100);
    d(1);
    d(2);
    vi.advanceTimersByTime(99);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledExactlyOnceWith(2);
  });
});
