// The browser transport: requests as HTTP POSTs and events over one WebSocket, both to the
// server of `kleinkram-actions serve`. The socket reconnects by itself (partysocket) and
// subscribes again to what the page listens to.
import ReconnectingWebSocket from 'partysocket/ws';

import {
  DESKTOP_ONLY_REQUESTS,
  HTTP_API,
  RequestError,
  type ErrorValue,
  type EventMessage,
  type EventName,
  type EventSubscription,
  type RequestName,
  type Result,
} from '../../../main/shared/contract.js';
import type { AppApi } from './app-api.js';
import { unwrap } from './unwrap.js';

export interface BrowserApiOptions {
  /** The server's origin, e.g. http://127.0.0.1:8765. */
  baseUrl: string;
  token: string | null;
  /** A WebSocket class where there is no global one (Node in tests). */
  WebSocket?: unknown;
}

export interface BrowserApi extends AppApi {
  /** Closes the event connection (tests; a page simply goes away). */
  close(): void;
}

const NO_TOKEN: ErrorValue = {
  code: 'unauthorized',
  message: 'this page has no valid access token',
  hint: 'open the address that `kleinkram-actions serve` printed, with its ?token=... part',
};

const UNREACHABLE: ErrorValue = {
  code: 'unavailable',
  message: 'the Kleinkram Actions server does not answer',
  hint: 'is `kleinkram-actions serve` still running? Start it again and reload this page',
};

type Listener = (payload: unknown) => void;

/** A listener that throws must not keep the others from their event; its error still shows. */
function callSafely(listener: (value: never) => void, value: unknown): void {
  try {
    (listener as (value: unknown) => void)(value);
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}

export function createBrowserApi(options: BrowserApiOptions): BrowserApi {
  const { token } = options;
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const listeners = new Map<EventName, Set<Listener>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  const desktopOnly: readonly RequestName[] = DESKTOP_ONLY_REQUESTS;
  let connected = false;

  const withToken = (route: string) => {
    const url = new URL(route, `${baseUrl}/`);
    if (token) url.searchParams.set(HTTP_API.tokenParam, token);
    return url.toString();
  };

  const socket = token
    ? new ReconnectingWebSocket(withToken(HTTP_API.events).replace(/^http/, 'ws'), [], {
        WebSocket: options.WebSocket,
        // Subscriptions are sent again on every open; nothing may queue up meanwhile.
        maxEnqueuedMessages: 0,
        maxReconnectionDelay: 10_000,
      })
    : null;

  const send = (message: EventSubscription) => {
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  const setConnected = (value: boolean) => {
    if (value === connected) return;
    connected = value;
    for (const listener of [...connectionListeners]) callSafely(listener, value);
  };

  socket?.addEventListener('open', () => {
    for (const event of listeners.keys()) send({ type: 'subscribe', event });
    setConnected(true);
  });
  socket?.addEventListener('close', () => setConnected(false));
  socket?.addEventListener('message', (message: MessageEvent) => {
    if (typeof message.data !== 'string') return;
    const { event, payload } = JSON.parse(message.data) as EventMessage;
    for (const listener of [...(listeners.get(event) ?? [])]) callSafely(listener, payload);
  });

  return {
    platform: 'browser',

    async request(name, input) {
      if (!token) throw new RequestError(NO_TOKEN);
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${HTTP_API.request(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [HTTP_API.tokenHeader]: token },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new RequestError(UNREACHABLE);
      }
      if (response.status === 401) throw new RequestError(NO_TOKEN);
      if (!response.ok) {
        throw new RequestError({
          code: response.status === 403 ? 'forbidden' : 'internal',
          message: `the server refused the request: ${response.status} ${await response.text()}`,
        });
      }
      return unwrap((await response.json()) as Result<never>);
    },

    on(name, listener) {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
        send({ type: 'subscribe', event: name });
      }
      const entry = listener as Listener;
      set.add(entry);
      return () => {
        const current = listeners.get(name);
        if (!current?.delete(entry) || current.size > 0) return;
        listeners.delete(name);
        send({ type: 'unsubscribe', event: name });
      };
    },

    supports: (name) => !desktopOnly.includes(name),
    pathForFile: () => null,
    artifactUrl: (executionId, artifactPath) =>
      withToken(HTTP_API.artifact(executionId, artifactPath)),
    artifactsZipUrl: (executionId) => withToken(HTTP_API.artifactsZip(executionId)),

    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => {
        connectionListeners.delete(listener);
      };
    },

    close() {
      socket?.close();
    },
  };
}
