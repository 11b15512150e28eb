/**
 * Throttling for live updates: `throttle(fn, ms)` runs `fn` at most once per `ms`, on the leading edge and once more
 * at the end of a burst (so the last event is never lost). Live charts and the Runs table use 250 ms (≤ 4 redraws/s).
 */
export interface Throttled {
  /** Asks for a run; it happens now, or at the end of the current interval. */
  (): void;
  /** Drops a pending trailing run (call on destroy). */
  cancel(): void;
}

export const LIVE_REDRAW_MS = 250;

export function throttle(fn: () => void, ms: number, now: () => number = () => Date.now()): Throttled {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fire = (): void => {
    timer = null;
    last = now();
    fn();
  };
  const throttled = (() => {
    if (timer !== null) return;
    const wait = last + ms - now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  }) as Throttled;
  throttled.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return throttled;
}

/** Calls `fn` once `ms` have passed without another call (text filters, form previews). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const debounced = (...args: A): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return debounced;
}
