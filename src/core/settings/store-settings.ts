/**
 * The app's choice of experiment store, as the settings file keeps it and the Settings panel edits it: the SQLite
 * file in the app's data directory (the default), or a PostgreSQL URL. A password never goes into the file (no
 * OS keychain library is part of Proxima): the URL may name the user, host, database and TLS parameters, and the
 * password comes from the environment the app starts in (PGPASSWORD) or from ~/.pgpass, which the driver reads.
 */
import { z } from 'zod';

const POSTGRES_URL = /^postgres(?:ql)?:\/\/\S+$/i;
/** `user:secret@` in the authority, or a `password=` / `sslpassword=` query parameter. */
const PASSWORD_IN_URL = /^postgres(?:ql)?:\/\/[^/@?#]*:[^/@?#]*@|[?&](?:ssl)?password=/i;

/** Whether `url` has the form of a PostgreSQL URL (postgresql:// or postgres://, no spaces). */
export function isPostgresStoreUrl(url: string): boolean {
  return POSTGRES_URL.test(url.trim());
}

/** Whether a PostgreSQL URL carries a password (in its authority or as a query parameter). */
export function urlHasPassword(url: string): boolean {
  return PASSWORD_IN_URL.test(url.trim());
}

export const storeChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite') }).strict(),
  z
    .object({
      kind: z.literal('postgresql'),
      url: z
        .string()
        .trim()
        .max(2_000)
        .regex(POSTGRES_URL, { error: 'give a postgresql:// (or postgres://) URL, e.g. postgresql://user@host:5432/proxima' })
        .refine((url) => !urlHasPassword(url), {
          error: 'leave the password out of the URL: it would be written to the settings file in plain text; set PGPASSWORD or ~/.pgpass instead',
        }),
    })
    .strict(),
]);
export type StoreChoice = z.infer<typeof storeChoiceSchema>;

/** The settings file (`settings.json` in the app's data directory). */
export const appSettingsSchema = z
  .object({
    version: z.literal(1),
    store: storeChoiceSchema,
  })
  .strict();
export type AppSettings = z.infer<typeof appSettingsSchema>;

export const DEFAULT_APP_SETTINGS: AppSettings = { version: 1, store: { kind: 'sqlite' } };
