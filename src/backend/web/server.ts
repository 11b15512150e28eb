/**
 * Web mode: the built renderer and the API over HTTP + WebSocket, on 127.0.0.1 only, guarded by a random
 * per-launch token. The printed URL carries the token; the first page load trades it for an HttpOnly, SameSite=Strict
 * cookie, so the renderer's same-origin requests (assets, `POST /api`, the `/api/events` WebSocket) are authorised
 * without the renderer ever handling the token. Requests without a valid token, or addressed to another Host
 * (DNS rebinding), are refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestEnvelopeSchema, type ApiResult } from '../../core/api/contract';
import type { ApiService } from '../api/service';

const COOKIE = 'proxima_token';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface WebServerOptions {
  service: ApiService;
  /** Directory of the built renderer (out/web). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); random otherwise. */
  token?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function tokenFrom(req: IncomingMessage, url: URL): string | null {
  const header = req.headers['x-proxima-token'];
  if (typeof header === 'string') return header;
  const query = url.searchParams.get('token');
  if (query) return query;
  const cookie = req.headers.cookie
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === COOKIE);
  return cookie?.[1] ? decodeURIComponent(cookie[1]) : null;
}

function sameToken(a: string | null, b: string): boolean {
  if (a === null) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function refuse(res: ServerResponse, status: 401 | 403 | 404 | 405 | 413, message: string): void {
  const result: ApiResult<never> = {
    ok: false,
    error: { code: status === 404 ? 'not-found' : status === 401 ? 'unauthorized' : 'bad-request', message },
  };
  sendJson(res, status, result);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const assets = sirv(options.staticDir, { dev: false, etag: true, gzip: false, single: false });
  let port = 0;

  const csp = (): string =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      `connect-src 'self' ws://127.0.0.1:${port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ].join('; ');

  const hostAllowed = (req: IncomingMessage): boolean =>
    req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (!hostAllowed(req)) return refuse(res, 403, 'wrong Host header');
      const given = tokenFrom(req, url);
      if (!sameToken(given, token)) return refuse(res, 401, 'missing or wrong token: open the URL that `proxima web` printed');

      if (url.pathname === '/api') {
        if (req.method !== 'POST') return refuse(res, 405, 'POST /api with {"method", "params"}');
        const body = await readBody(req);
        if (body === null) return refuse(res, 413, 'request body too large');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          return sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: 'request body is not valid JSON' } });
        }
        const envelope = requestEnvelopeSchema.safeParse(json);
        if (!envelope.success) {
          return sendJson(res, 400, {
            ok: false,
            error: { code: 'bad-request', message: 'request must be {"method": string, "params"?: object}' },
          });
        }
        const result = await options.service.handle(envelope.data.method, envelope.data.params);
        return sendJson(res, 200, result);
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
      if (url.searchParams.has('token')) {
        res.setHeader('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
      }
      res.setHeader('content-security-policy', csp());
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      assets(req, res, () => refuse(res, 404, `not found: ${url.pathname}`));
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: String(error) } });
      else res.destroy();
    });
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  const unsubscribe = options.service.subscribe((event) => {
    const text = JSON.stringify(event);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/api/events' || !hostAllowed(req) || !sameToken(tokenFrom(req, url), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
