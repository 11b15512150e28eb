/**
 * The Settings panel's handlers: which store this process has open (its location as the store reports it, any
 * password masked) and, in the app, the saved choice for the next start. The host owns the settings file (the
 * Electron main process: settings-file.ts); web mode passes none, so there the choice is read-only (`--store`).
 */
import type { StoreSettingsInfo } from '../../core/api/contract';
import type { AppSettings, StoreChoice } from '../../core/settings/store-settings';
import { isPostgresUrl, maskUrl } from '../store/store-url';
import type { ExperimentStore } from '../store/types';
import { ApiFailure, type Handlers } from './handlers';

/** Where the app keeps its settings (read at start, written when the user saves). */
export interface SettingsHost {
  read(): AppSettings;
  /** Writes the settings; throws when it cannot. */
  save(settings: AppSettings): void;
}

export function settingsHandlers(
  store: ExperimentStore,
  host: SettingsHost | undefined,
  env: Record<string, string | undefined> = process.env,
): Pick<Handlers, 'settings.get' | 'settings.setStore'> {
  const info = (): StoreSettingsInfo => {
    const current = { kind: isPostgresUrl(store.location) ? ('postgresql' as const) : ('sqlite' as const), location: store.location };
    const saved = host ? host.read().store : null;
    return { current, editable: host !== undefined, saved, restartRequired: saved !== null && !opens(saved, current), passwordFromEnv: Boolean(env['PGPASSWORD']) };
  };
  return {
    'settings.get': async () => info(),
    'settings.setStore': async (choice) => {
      if (!host) throw new ApiFailure('bad-request', 'web mode uses the store given by --store or --db; restart it with another to change it');
      try {
        host.save({ ...host.read(), store: choice });
      } catch (err) {
        throw new ApiFailure('internal', `could not save the settings: ${(err as Error).message}`);
      }
      return info();
    },
  };
}

/** Whether the store `current` is the one `choice` names. */
function opens(choice: StoreChoice, current: StoreSettingsInfo['current']): boolean {
  return choice.kind === 'sqlite' ? current.kind === 'sqlite' : current.kind === 'postgresql' && maskUrl(choice.url) === current.location;
}
