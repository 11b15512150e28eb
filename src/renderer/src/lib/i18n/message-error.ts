/**
 * An error the renderer shows the user, named by its catalog key (and the values of its placeholders) rather than
 * by English text: the component that shows it translates it (`errorMessage`). Its `message` is the key, for logs.
 */
import type { Translate } from './locales';

export class MessageError extends Error {
  constructor(
    readonly key: string,
    readonly values: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'MessageError';
  }
}

/** What to show for `error`: a `MessageError` in the language of `t`, any other error as its message. */
export function errorMessage(error: unknown, t: Translate): string {
  if (error instanceof MessageError) return t(error.key, error.values);
  return error instanceof Error ? error.message : String(error);
}
