/**
 * Small immutable set helpers. State classes keep sets as replaced-on-change values (`$state.raw`), so they build
 * new sets here instead of mutating reactive ones.
 */
export function setOf<T>(items: Iterable<T>): ReadonlySet<T> {
  return new Set(items);
}

/** The set with `item` added when absent, removed when present. */
export function toggled<T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> {
  const next = new Set(set);
  if (next.has(item)) next.delete(item);
  else next.add(item);
  return next;
}

/** Items in first-seen order without duplicates. */
export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
