/**
 * Store locations: a PostgreSQL URL (`postgresql://user@host:5432/db?sslmode=verify-full`) or an SQLite file path,
 * and how a location is shown. A URL's password never appears in a log, an error or a stored run: `maskUrl` is
 * the only form of it anything prints, and `maskSecrets` scrubs messages that came from elsewhere (the driver).
 * Credentials may come from the URL or from libpq's environment variables (PGUSER, PGPASSWORD, PGHOST, PGPORT,
 * PGDATABASE, PGSSLMODE, ...), which the driver reads itself; TLS parameters in the URL (sslmode, sslrootcert,
 * sslcert, sslkey) are passed through to it unchanged.
 */

const URL_SCHEMES = /^postgres(?:ql)?:\/\//i;

/** Whether `location` names a PostgreSQL store (a postgres:// or postgresql:// URL) rather than an SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return URL_SCHEMES.test(location.trim());
}

/** Query parameters whose values are secrets. */
const SECRET_PARAMS = ['password', 'sslpassword'];

/** The URL with its password (and secret query parameters) replaced by `***`; a string that is no URL as it is. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return maskSecrets(url);
  }
  if (parsed.password) parsed.password = '***';
  for (const key of SECRET_PARAMS) if (parsed.searchParams.has(key)) parsed.searchParams.set(key, '***');
  // URL encodes `*` in the password as-is; searchParams encodes it as %2A: show both as ***.
  return parsed.toString().replace(/%2A%2A%2A/g, '***');
}

/**
 * `text` with every secret it may hold scrubbed: passwords inside postgres URLs, `password=…` parameters, and the
 * given literal secrets (e.g. the password of the store's own URL, raw and URL-encoded).
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(/\b((?:ssl)?password=)[^&\s'"]*/gi, '$1***');
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

/** The password in a URL (decoded), or '' when it has none. */
export function urlPassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
