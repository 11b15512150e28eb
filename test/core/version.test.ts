import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROXIMA_VERSION } from '../../src/core/version';

describe('PROXIMA_VERSION', () => {
  it('equals package.json version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PROXIMA_VERSION).toBe(pkg.version);
  });
});
