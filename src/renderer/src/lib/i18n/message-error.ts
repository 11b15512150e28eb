/**
 * An error the renderer shows the user, named by its catalog key (and the values of its placeholders) rather than
 * by English text: the component that shows it translates it (`errorText` of lib/api/errors.ts). Its `message` is the key,
 * for logs.
 */
export class MessageError extends Error {
  constructor(
    readonly key: string,
    readonly values: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'MessageError';
  }
}
