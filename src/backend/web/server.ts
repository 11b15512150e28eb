/**
 * Web mode: the built renderer and the API over HTTP + WebSocket, on 127.0.0.1 only, guarded by a random
 * per-launch token. The printed URL carries the token; the first page load trades it for an HttpOnly, SameSite=Strict
 * cookie, so the renderer's same-origin requests (assets, `POST /api`, the `/api/events` WebSocket) are authorised
 * without the renderer ever handling the token. Requests without a valid token, or addressed to another Host
 * (DNS rebinding), are refused.
 *
 * Cross-site requests are refused too, whatever they carry: `POST /api` must be `application/json` (an HTML form or
 * a "simple" cross-site fetch cannot send that without a CORS preflight, which this server never grants) and, like
 * the WebSocket upgrade, must come from no Origin or our own and not be marked cross-site by `Sec-Fetch-Site`. The
 * cookie's name carries the port: cookies ignore ports, so every 127.0.0.1 server shares one jar, and two instances
 * would otherwise overwrite each other's token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestEnvelopeSchema, type ApiResult } from '../../core/api/contract';
import type { ApiService } from '../api/service';

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

/** The token cookie's name for the server on `port` (cookies are shared across ports of one host). */
export const cookieName = (port: number): string => `proxima_token_${port}`;

function tokenFrom(req: IncomingMessage, url: URL, cookie: string): string | null {
  const header = req.headers['x-proxima-token'];
  if (typeof header === 'string') return header;
  const query = url.searchParams.get('token');
  if (query) return query;
  const found = req.headers.cookie
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === cookie);
  return found?.[1] ? decodeURIComponent(found[1]) : null;
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

function refuse(res: ServerResponse, status: 401 | 403 | 404 | 405 | 413 | 415, message: string): void {
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

  /** Why a request is cross-site (then refused), or null: an Origin other than ours, or Sec-Fetch-Site saying so. */
  const crossSite = (req: IncomingMessage): string | null => {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return `cross-origin request refused (Origin ${origin})`;
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site request refused (Sec-Fetch-Site ${String(site)})`;
    return null;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (!hostAllowed(req)) return refuse(res, 403, 'wrong Host header');
      const given = tokenFrom(req, url, cookieName(port));
      if (!sameToken(given, token)) return refuse(res, 401, 'missing or wrong token: open the URL that `proxima web` printed');

      if (url.pathname === '/api') {
        if (req.method !== 'POST') return refuse(res, 405, 'POST /api with {"method", "params"}');
        const foreign = crossSite(req);
        if (foreign) return refuse(res, 403, foreign);
        if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
          return refuse(res, 415, 'POST /api needs content-type application/json');
        }
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
        res.setHeader('set-cookie', `${cookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
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
    if (url.pathname !== '/api/events' || !hostAllowed(req) || !sameToken(tokenFrom(req, url, cookieName(port)), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    // Browsers send Origin on every WebSocket handshake; a page of another site must not subscribe to our events.
    if (crossSite(req)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
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
