import { describe, expect, it, vi } from 'vitest';

// Importing the real `electron` package under Node tries to download the binary; main-process code is tested with a mock.
vi.mock('electron', () => ({ dialog: {}, shell: { openExternal: vi.fn() } }));

const { isAppUrl } = await import('../../src/main/security');

describe('isAppUrl', () => {
  it('accepts only the app itself', () => {
    expect(isAppUrl('file:///opt/proxima/out/renderer/index.html', undefined)).toBe(true);
    expect(isAppUrl('https://example.com/', undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});
