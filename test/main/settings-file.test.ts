import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settingsFile } from '../../src/main/settings-file';
import { tempDir } from '../backend/store/helpers';

describe('settings file', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('reads the defaults when absent, keeps a saved choice, and writes only the owner can read', () => {
    const file = settingsFile(tmp.dir);
    expect(file.read()).toEqual({ version: 1, store: { kind: 'sqlite' } });
    file.save({ version: 1, store: { kind: 'postgresql', url: 'postgresql://lab@db/proxima' } });
    expect(settingsFile(tmp.dir).read().store).toEqual({ kind: 'postgresql', url: 'postgresql://lab@db/proxima' });
    expect(statSync(join(tmp.dir, 'settings.json')).mode & 0o077).toBe(0);
  });

  it('refuses to write a password, and falls back to the defaults (saying why) on a damaged or edited file', () => {
    const file = settingsFile(tmp.dir);
    expect(() => file.save({ version: 1, store: { kind: 'postgresql', url: 'postgresql://lab:pw@db/proxima' } })).toThrow(/leave the password out/);
    writeFileSync(join(tmp.dir, 'settings.json'), '{"version": 1, "store": {"kind": "postgresql", "url": "postgresql://lab:pw@db/p"}}');
    expect(file.read()).toEqual({ version: 1, store: { kind: 'sqlite' } });
    expect(file.problem).toMatch(/store\.url: leave the password out/);
    writeFileSync(join(tmp.dir, 'settings.json'), '{not json');
    expect(file.read().store.kind).toBe('sqlite');
    expect(file.problem).toMatch(/is not JSON/);
    // Never overwritten behind the user's back.
    expect(readFileSync(join(tmp.dir, 'settings.json'), 'utf8')).toBe('{not json');
  });
});
