import { describe, expect, it, vi } from 'vitest';

// Importing the real `electron` package under Node tries to download the binary; main-process code is tested with a mock.
vi.mock('electron', () => ({ dialog: { showMessageBox: vi.fn(async () => ({ response: 1 })) }, shell: { openExternal: vi.fn() } }));

const { hardenSession, hardenWindow, isAppUrl } = await import('../../src/main/security');

describe('isAppUrl', () => {
  const root = 'file:///opt/proxima/out/renderer/';
  it('accepts only the app itself', () => {
    expect(isAppUrl('file:///opt/proxima/out/renderer/index.html', undefined, root)).toBe(true);
    expect(isAppUrl('file:///opt/proxima/out/renderer/index.html#/runs', undefined, root)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', undefined, root)).toBe(false);
    expect(isAppUrl('file:///opt/proxima/out/renderer/../main/index.js', undefined, root)).toBe(false);
    expect(isAppUrl('https://example.com/', undefined, root)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173/', root)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.ts?t=1', 'http://localhost:5173/', root)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/', root)).toBe(false);
  });

  it('matches the dev server by exact origin, not by prefix', () => {
    expect(isAppUrl('http://localhost:51730/', 'http://localhost:5173', root)).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', 'http://localhost:5173', root)).toBe(false);
    expect(isAppUrl('http://localhost:5173@evil.example/', 'http://localhost:5173', root)).toBe(false);
    expect(isAppUrl('not a url', 'http://localhost:5173', root)).toBe(false);
  });
});

describe('hardenWindow and hardenSession', () => {
  const root = 'file:///opt/proxima/out/renderer/';

  function fakeWindow() {
    const handlers = new Map<string, (event: { url: string; preventDefault: () => void }) => void>();
    const window = {
      webContents: {
        setWindowOpenHandler: vi.fn(),
        on: (name: string, handler: (event: { url: string; preventDefault: () => void }) => void) => handlers.set(name, handler),
      },
    };
    const fire = (name: string, url: string): boolean => {
      const preventDefault = vi.fn();
      handlers.get(name)!({ url, preventDefault });
      return preventDefault.mock.calls.length > 0;
    };
    return { window, handlers, fire };
  }

  it('blocks navigations, redirects and subframe navigations away from the app, and webviews', () => {
    const { window, handlers, fire } = fakeWindow();
    hardenWindow(window as never, undefined, root);
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(fire(name, 'https://evil.example/'), name).toBe(true);
      expect(fire(name, 'file:///etc/passwd'), name).toBe(true);
      expect(fire(name, `${root}index.html#/compare`), name).toBe(false);
    }
    expect(handlers.has('will-attach-webview')).toBe(true);
  });

  it('denies permission requests and permission checks', () => {
    let request: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let check: ((...args: unknown[]) => boolean) | undefined;
    hardenSession({
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as never);
    const granted = vi.fn();
    request!(null, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(check!(null, 'notifications', 'file://', {})).toBe(false);
  });
});
