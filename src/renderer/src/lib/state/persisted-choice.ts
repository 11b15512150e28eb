/**
 * A choice the user made that outlives a reload (the theme, the language), kept in localStorage under `key`.
 * Storage can be unavailable (a privacy setting): reading then gives null, and writing does nothing, so the switch
 * still applies now and the default returns on the next start.
 */
export function readChoice<T extends string>(key: string, valid: (value: unknown) => value is T): T | null {
  try {
    const value = globalThis.localStorage?.getItem(key);
    return valid(value) ? value : null;
  } catch {
    return null;
  }
}

export function writeChoice(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Not remembered across reloads.
  }
}
