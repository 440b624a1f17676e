// The browser transport's server (`kleinkram-actions serve`): the built renderer, the
// request endpoint, the events WebSocket and artifact downloads, all on one port. It binds
// to loopback by default and answers /api only with the token printed at start.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

import getRawBody from 'raw-body';
import { WebSocketServer } from 'ws';

import { createHandlers, type Handlers } from '../bridge/handlers.js';
import { invokeRequest } from '../bridge/invoke.js';
import type { Engine } from '../core/engine.js';
import { AppError, errorMessage, isAppError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { HTTP_API, type Result } from '../shared/contract.js';
import {
  allowedHost,
  isLoopbackHost,
  newToken,
  originAllowed,
  tokenMatches,
  tokenOf,
} from './access.js';
import { sendArtifact, sendArtifactsZip } from './artifact-downloads.js';
import { EventHub } from './event-hub.js';
import { defaultRendererDir, rendererFiles } from './renderer-files.js';
import { setSecurityHeaders } from './security-headers.js';

const log = createLogger('server');

export const DEFAULT_PORT = 8765;
export const DEFAULT_HOST = '127.0.0.1';
/** importYaml takes up to a million characters; JSON escaping can double them. */
const MAX_BODY = '4mb';

export interface ServerOptions {
  engine: Engine;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  rendererDir?: string;
  /** Default: a fresh random one. */
  token?: string;
  /** Default: the engine's handler table without desktop services. */
  handlers?: Handlers;
}

export interface RunningServer {
  /** The address to open, with the token in it. */
  url: string;
  /** The address without the token. */
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const ARTIFACT_ROUTE = /^\/api\/executions\/([^/]+)\/artifact$/;
const ZIP_ROUTE = /^\/api\/executions\/([^/]+)\/artifacts\.zip$/;
const REQUEST_ROUTE = /^\/api\/request\/([^/]+)$/;

function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

const STATUS_OF_CODE: Record<string, number> = { not_found: 404, invalid_input: 400 };

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { engine } = options;
  const host = options.host ?? DEFAULT_HOST;
  const token = options.token ?? newToken();
  const handlers = options.handlers ?? createHandlers(engine);
  const staticFiles = rendererFiles(options.rendererDir ?? defaultRendererDir());
  const hub = new EventHub(engine);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });

  const postRequest = async (req: IncomingMessage, res: ServerResponse, name: string) => {
    if (req.method !== 'POST') return sendText(res, 405, 'requests are POSTed');
    if (!req.headers['content-type']?.startsWith('application/json')) {
      return sendText(res, 415, 'requests are JSON (Content-Type: application/json)');
    }
    let input: unknown;
    try {
      const body = await getRawBody(req, { limit: MAX_BODY, encoding: 'utf-8' });
      input = body.length === 0 ? undefined : (JSON.parse(body) as unknown);
    } catch (error) {
      const tooLarge = (error as { type?: string }).type === 'entity.too.large';
      const answer: Result<never> = {
        ok: false,
        error: {
          code: 'invalid_input',
          message: tooLarge
            ? `the request is larger than ${MAX_BODY}`
            : 'the request body is not JSON',
        },
      };
      return sendJson(res, tooLarge ? 413 : 400, answer);
    }
    sendJson(res, 200, await invokeRequest(handlers, decodeURIComponent(name), input));
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const via = `browser download by ${req.socket.remoteAddress ?? 'an unknown address'}`;
    const request = REQUEST_ROUTE.exec(url.pathname);
    if (request) return postRequest(req, res, request[1]!);
    if (req.method !== 'GET') return sendText(res, 405, 'downloads are GETs');
    const artifact = ARTIFACT_ROUTE.exec(url.pathname);
    const artifactPath = url.searchParams.get('path');
    if (artifact && artifactPath) {
      return sendArtifact(engine, res, decodeURIComponent(artifact[1]!), artifactPath, via);
    }
    const zip = ZIP_ROUTE.exec(url.pathname);
    if (zip) return sendArtifactsZip(engine, res, decodeURIComponent(zip[1]!), `${via} (zip)`);
    sendText(res, 404, 'no such route');
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://server');
    const allowed = allowedHost(req, host);
    if (!allowed || !originAllowed(req, allowed)) {
      log.warn(`refused ${req.method} ${url.pathname}: foreign origin or host`);
      return sendText(res, 403, 'this server answers only its own pages');
    }
    setSecurityHeaders(res, allowed);
    if (!url.pathname.startsWith('/api/')) return staticFiles(req, res);
    if (!tokenMatches(tokenOf(req, url), token)) {
      log.warn(`refused ${req.method} ${url.pathname}: no valid token`);
      return sendText(res, 401, 'a valid token is needed: open the address `serve` printed');
    }
    api(req, res, url).catch((error: unknown) => {
      if (error instanceof URIError) return sendText(res, 400, 'the address is malformed');
      if (isAppError(error)) {
        log.warn(`refused ${url.pathname}: ${error.code}: ${error.message}`);
        return sendText(res, STATUS_OF_CODE[error.code] ?? 500, error.message);
      }
      log.error(`${req.method} ${url.pathname} failed`, error);
      sendText(res, 500, 'the server failed: its log has the details');
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://server');
    const allowed = allowedHost(req, host);
    if (url.pathname !== HTTP_API.events) return refuseUpgrade(socket, 404, 'Not Found');
    if (!allowed || !originAllowed(req, allowed)) {
      log.warn('refused an events socket: foreign origin or host');
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    if (!tokenMatches(tokenOf(req, url), token)) {
      log.warn('refused an events socket: no valid token');
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      hub.add(ws, `events client ${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      hub.close();
      if (error.code === 'EADDRINUSE') {
        reject(
          new AppError(
            'conflict',
            `port ${options.port} on ${host} is in use`,
            undefined,
            'choose another with --port, or --port 0 for any free one',
          ),
        );
      } else {
        reject(
          new AppError(
            'io_error',
            `cannot listen on ${host}:${options.port}: ${errorMessage(error)}`,
          ),
        );
      }
    };
    server.once('error', failed);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', failed);
      resolve();
    });
  });

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const origin = `http://${urlHost(host)}:${port}`;
  log.info(`serving on ${origin}${isLoopbackHost(host) ? '' : ' (reachable from other machines)'}`);

  return {
    url: `${origin}/?${HTTP_API.tokenParam}=${token}`,
    origin,
    token,
    port,
    async close() {
      hub.close();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      log.info('server closed');
    },
  };
}
