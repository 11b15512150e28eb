import { describe, expect, it, vi } from 'vitest';

// Importing the real `electron` package under Node tries to download the binary; main-process code is tested with a mock.
vi.mock('electron', () => ({ dialog: {}, shell: { openExternal: vi.fn() } }));

const { isAppUrl } = await import('../../src/main/security');

describe('isAppUrl', () => {
  const root = 'file:///opt/proxima/out/renderer/';
  it('accepts only the app itself', () => {
    expect(isAppUrl('file:///opt/proxima/out/renderer/index.html', undefined, root)).toBe(true);
    expect(isAppUrl('file:///opt/proxima/out/renderer/index.html#/runs', undefined, root)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', undefined, root)).toBe(false);
    expect(isAppUrl('file:///opt/proxima/out/renderer/../main/index.js', undefined, root)).toBe(false);
    expect(isAppUrl('https://example.com/', undefined, root)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173/', root)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/', root)).toBe(false);
  });
});
