/**
 * The app's settings file, `settings.json` in Electron's userData directory: validated with the core schema on
 * every read, written whole (to a temporary file, then renamed, so a crash never leaves half a file). A missing
 * file is the defaults; a damaged or foreign one is reported and treated as the defaults, never overwritten until
 * the user saves. It never holds a password (the schema refuses one; see core/settings/store-settings.ts).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appSettingsSchema, DEFAULT_APP_SETTINGS, type AppSettings } from '../core/settings/store-settings';
import type { SettingsHost } from '../backend/api/settings';

export interface SettingsFile extends SettingsHost {
  path: string;
  /** Why the file on disk was not used (unreadable JSON, schema errors), or null. */
  problem: string | null;
}

export function settingsFile(dir: string): SettingsFile {
  const path = join(dir, 'settings.json');
  let problem: string | null = null;
  const read = (): AppSettings => {
    if (!existsSync(path)) return DEFAULT_APP_SETTINGS;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      problem = `${path} is not JSON (${(err as Error).message}); using the defaults`;
      return DEFAULT_APP_SETTINGS;
    }
    const result = appSettingsSchema.safeParse(parsed);
    if (!result.success) {
      problem = `${path}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}; using the defaults`;
      return DEFAULT_APP_SETTINGS;
    }
    problem = null;
    return result.data;
  };
  return {
    path,
    get problem() {
      return problem;
    },
    read,
    save(settings) {
      const valid = appSettingsSchema.parse(settings);
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
      problem = null;
    },
  };
}
