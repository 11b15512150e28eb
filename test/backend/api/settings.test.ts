/** The Settings panel's handlers: the store in use shown masked, the saved choice, restart needed, web mode read-only. */
import { describe, expect, it } from 'vitest';
import { settingsHandlers, type SettingsHost } from '../../../src/backend/api/settings';
import { maskUrl } from '../../../src/backend/store/store-url';
import type { ExperimentStore } from '../../../src/backend/store/types';
import { DEFAULT_APP_SETTINGS, type AppSettings } from '../../../src/core/settings/store-settings';

const storeAt = (location: string) => ({ location }) as ExperimentStore;

function memoryHost(): SettingsHost & { saved: AppSettings[] } {
  let current = DEFAULT_APP_SETTINGS;
  const saved: AppSettings[] = [];
  return {
    saved,
    read: () => current,
    save: (s) => {
      current = s;
      saved.push(s);
    },
  };
}

describe('settings handlers', () => {
  it('show a PostgreSQL store with its password masked, read-only in web mode', async () => {
    // PostgresStore.location is maskUrl of the URL it was opened with.
    const handlers = settingsHandlers(storeAt(maskUrl('postgresql://lab:s3cr%3At@db.example.org:5432/proxima?sslmode=require')), undefined, { PGPASSWORD: 'x' });
    const info = await handlers['settings.get']({});
    expect(info.current).toEqual({ kind: 'postgresql', location: 'postgresql://lab:***@db.example.org:5432/proxima?sslmode=require' });
    expect(JSON.stringify(info)).not.toMatch(/s3cr/);
    expect(info).toMatchObject({ editable: false, saved: null, restartRequired: false, passwordFromEnv: true });
    await expect(handlers['settings.setStore']({ kind: 'sqlite' })).rejects.toMatchObject({ code: 'bad-request', message: /--store or --db/ });
  });

  it('save the choice for the next start and say a restart applies it, until it is the store in use', async () => {
    const host = memoryHost();
    const onFile = settingsHandlers(storeAt('/home/u/.config/Proxima/proxima.db'), host, {});
    expect(await onFile['settings.get']({})).toMatchObject({ current: { kind: 'sqlite' }, editable: true, saved: { kind: 'sqlite' }, restartRequired: false, passwordFromEnv: false });
    const url = 'postgresql://lab@db:5432/proxima';
    expect(await onFile['settings.setStore']({ kind: 'postgresql', url })).toMatchObject({ saved: { kind: 'postgresql', url }, restartRequired: true });
    expect(host.saved).toEqual([{ version: 1, store: { kind: 'postgresql', url } }]);
    // After the restart the app is on that server: nothing pending.
    const onServer = settingsHandlers(storeAt(maskUrl(url)), host, {});
    expect((await onServer['settings.get']({})).restartRequired).toBe(false);
    expect((await onServer['settings.setStore']({ kind: 'sqlite' })).restartRequired).toBe(true);
  });
});
