/**
 * The renderer's API client. It picks the transport once at start — the Electron preload bridge when present,
 * otherwise web mode (same-origin HTTP for requests, a WebSocket for events) — and otherwise cannot tell them apart.
 */
import {
  ApiCallError,
  type ApiClient,
  type ApiEvent,
  type ApiMethod,
  type ApiParams,
  type ApiResponses,
  type ApiResult,
} from '../../../../core/api/contract';
import { englishText, type Coded } from '../../../../core/validation/coded-messages';

/** The shape of the bridge that src/preload exposes as `window.proxima`. */
export interface PreloadBridge {
  call(method: string, params: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

declare global {
  interface Window {
    proxima?: PreloadBridge;
  }
}

function unwrap<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value as T;
}

function electronClient(bridge: PreloadBridge): ApiClient {
  return {
    call: async <M extends ApiMethod>(method: M, params: ApiParams<M>) =>
      unwrap<ApiResponses[M]>(await bridge.call(method, params)),
    subscribe: (listener) => bridge.subscribe(listener),
  };
}

function webClient(): ApiClient {
  const listeners = new Set<(event: ApiEvent) => void>();
  let socket: WebSocket | null = null;
  const connect = (): void => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`;
    socket = new WebSocket(url);
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as ApiEvent;
      for (const listener of listeners) listener(event);
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size > 0) setTimeout(connect, 1_000);
    };
  };
  return {
    call: async <M extends ApiMethod>(method: M, params: ApiParams<M>) => {
      let response: Response;
      try {
        response = await fetch('/api', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ method, params }),
          credentials: 'same-origin',
        });
      } catch (error) {
        const coded: Coded = { code: 'backendUnreachable', params: { detail: String(error) } };
        throw new ApiCallError({ code: 'internal', message: englishText(coded), coded });
      }
      return unwrap<ApiResponses[M]>((await response.json()) as ApiResult<unknown>);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      if (!socket) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) socket?.close();
      };
    },
  };
}

export const api: ApiClient = window.proxima ? electronClient(window.proxima) : webClient();
