import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiService } from '../../../src/backend/api/service';
import { openStore } from '../../../src/backend/store/open-store';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';
import { startWebServer, type WebServer } from '../../../src/backend/web/server';

let server: WebServer;
let service: ApiService;
let base: string;
let dbPath: string;

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'proxima-web-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Proxima</title>');
  dbPath = join(staticDir, 'proxima.db');
  service = new ApiService({ host: 'web', store: await openStore(dbPath), launcher: nodeTrainerLauncher() });
  server = await startWebServer({ service, staticDir, port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await service.close();
});

const post = (body: string, headers: Record<string, string> = { 'x-proxima-token': server.token }): Promise<Response> =>
  fetch(`${base}/api`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('web mode server', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await post(JSON.stringify({ method: 'app.about' }), {})).status).toBe(401);
    expect((await post(JSON.stringify({ method: 'app.about' }), { 'x-proxima-token': 'x' })).status).toBe(401);
  });

  it('serves the page with the token and trades it for a cookie that authorises later requests', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const again = await fetch(`${base}/index.html`, { headers: { cookie: cookie.split(';')[0] as string } });
    expect(again.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: `/?token=${server.token}`, headers: { host: 'evil.example:80' } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('answers malformed messages with schema errors and keeps serving', async () => {
    const notJson = await post('{"method":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    const noMethod = await post(JSON.stringify({ params: {} }));
    expect(await noMethod.json()).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    const unknown = await post(JSON.stringify({ method: 'nope.nothing' }));
    expect(await unknown.json()).toMatchObject({ ok: false, error: { message: expect.stringMatching(/unknown API method/) } });

    const badParams = await post(JSON.stringify({ method: 'app.about', params: { extra: 1 } }));
    const bad = (await badParams.json()) as { ok: boolean; error: { issues: unknown[] } };
    expect(bad.ok).toBe(false);
    expect(bad.error.issues.length).toBeGreaterThan(0);

    // Still serving: a real request answers with values from a real trainer process.
    const about = await post(JSON.stringify({ method: 'app.about', params: {} }));
    const result = (await about.json()) as { ok: boolean; value: { trainerBackend: string; dbPath: string } };
    expect(result.ok).toBe(true);
    expect(['wasm', 'cpu', 'tfjs-node']).toContain(result.value.trainerBackend);
    expect(result.value.dbPath).toBe(dbPath);
  });

  it('refuses cross-site API requests: other content types, foreign Origins, Sec-Fetch-Site cross-site', async () => {
    const body = JSON.stringify({ method: 'runs.list', params: {} });
    // What an HTML form or a no-preflight cross-site fetch can send.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await post(body, { 'x-proxima-token': server.token, 'content-type': type });
      expect(r.status, type).toBe(415);
      expect(await r.json()).toMatchObject({ ok: false, error: { message: 'POST /api needs content-type application/json' } });
    }
    const evil = await post(body, { 'x-proxima-token': server.token, origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: { message: 'cross-origin request refused (Origin http://evil.example)' } });
    // Another local server (another port) is another origin.
    expect((await post(body, { 'x-proxima-token': server.token, origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await post(body, { 'x-proxima-token': server.token, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post(body, { 'x-proxima-token': server.token, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    // Our own page: same Origin, same-origin fetch metadata, JSON with a charset.
    const own = await post(body, {
      'x-proxima-token': server.token,
      origin: `http://127.0.0.1:${server.port}`,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ ok: true, value: [] });
  });

  it('names its cookie after its port, so two instances on 127.0.0.1 keep their own tokens', async () => {
    const other = await startWebServer({ service, staticDir: mkdtempSync(join(tmpdir(), 'proxima-web-')), port: 0 });
    try {
      const ours = (await fetch(server.url)).headers.get('set-cookie') ?? '';
      const theirs = (await fetch(other.url)).headers.get('set-cookie') ?? '';
      expect(ours.startsWith(`proxima_token_${server.port}=`)).toBe(true);
      expect(theirs.startsWith(`proxima_token_${other.port}=`)).toBe(true);
      // The browser sends both cookies to both ports; each server reads only its own.
      const both = `${ours.split(';')[0]}; ${theirs.split(';')[0]}`;
      const r = await fetch(`${base}/api`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: both }, body: JSON.stringify({ method: 'runs.list', params: {} }) });
      expect(r.status).toBe(200);
      const onlyTheirs = await fetch(`${base}/api`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: theirs.split(';')[0] as string }, body: '{}' });
      expect(onlyTheirs.status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('refuses a WebSocket from a foreign Origin even with the token', async () => {
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`, { origin: 'http://evil.example' });
      ws.on('error', (e) => resolve(String(e.message)));
      ws.on('open', () => resolve('open'));
    });
    expect(refused).toMatch(/403/);
  });

  it('pushes events over the WebSocket only with the token', async () => {
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`);
      ws.on('error', (e) => resolve(String(e.message)));
      ws.on('open', () => resolve('open'));
    });
    expect(refused).toMatch(/401/);

    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`);
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const received = new Promise<unknown>((resolve) => ws.on('message', (data) => resolve(JSON.parse(String(data)))));
    service.emit({ type: 'queue.state', paused: false, running: 1, queued: 2, concurrency: 2, halted: null });
    expect(await received).toEqual({ type: 'queue.state', paused: false, running: 1, queued: 2, concurrency: 2, halted: null });
    ws.close();
  });
});
