import { describe, expect, it } from 'vitest';
import { appSettingsSchema, storeChoiceSchema, urlHasPassword } from '../../../src/core/settings/store-settings';

describe('store settings schema', () => {
  it('accepts the SQLite default and a PostgreSQL URL without a password (user, port, TLS parameters kept)', () => {
    expect(appSettingsSchema.parse({ version: 1, store: { kind: 'sqlite' } })).toEqual({ version: 1, store: { kind: 'sqlite' } });
    const url = 'postgresql://lab@db.example.org:5433/proxima?sslmode=verify-full&sslrootcert=/etc/ca.pem';
    expect(storeChoiceSchema.parse({ kind: 'postgresql', url: `  ${url} ` })).toEqual({ kind: 'postgresql', url });
    expect(storeChoiceSchema.parse({ kind: 'postgresql', url: 'postgres://127.0.0.1/db' }).kind).toBe('postgresql');
  });

  it('refuses a password in the URL, in the authority or as a parameter', () => {
    for (const url of ['postgresql://lab:s3cret@db/proxima', 'postgresql://lab:@db/proxima', 'postgres://db/proxima?sslmode=require&password=x', 'postgresql://db/p?sslpassword=k']) {
      expect(urlHasPassword(url)).toBe(true);
      const result = storeChoiceSchema.safeParse({ kind: 'postgresql', url });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toMatch(/leave the password out of the URL/);
    }
    // A user name alone, or a colon after the host (the port), is no password.
    expect(urlHasPassword('postgresql://lab@db:5432/proxima')).toBe(false);
  });

  it('refuses what is not a PostgreSQL URL, unknown fields and other versions', () => {
    expect(storeChoiceSchema.safeParse({ kind: 'postgresql', url: 'mysql://db/x' }).success).toBe(false);
    expect(storeChoiceSchema.safeParse({ kind: 'postgresql', url: 'postgresql://db/has space' }).success).toBe(false);
    expect(storeChoiceSchema.safeParse({ kind: 'sqlite', url: 'postgresql://db/x' }).success).toBe(false);
    expect(storeChoiceSchema.safeParse({ kind: 'postgresql', url: 'postgresql://db/x', password: 'p' }).success).toBe(false);
    expect(appSettingsSchema.safeParse({ version: 2, store: { kind: 'sqlite' } }).success).toBe(false);
    expect(appSettingsSchema.safeParse({ version: 1 }).success).toBe(false);
  });
});
