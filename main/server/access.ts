// Who may talk to the server: a request must carry the token printed at start (in a header,
// or in the query where a browser cannot set one) and must not come from a page of another
// origin. Bound to loopback, the Host must be a loopback name too, so a DNS-rebound page
// cannot pass as ours.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { HTTP_API } from '../shared/contract.js';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || host === '::1' || host.startsWith('127.');
}

/** The token a request carries, from the header first, then from the query. */
export function tokenOf(req: IncomingMessage, url: URL): string | null {
  const header = req.headers[HTTP_API.tokenHeader];
  if (typeof header === 'string' && header.length > 0) return header;
  return url.searchParams.get(HTTP_API.tokenParam);
}

/** Compares in constant time (hashing first makes the lengths equal). */
export function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The Host header when it is one this server answers to; null when it is not. */
export function allowedHost(req: IncomingMessage, boundHost: string): string | null {
  const host = req.headers.host;
  if (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return null;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
  if (isLoopbackHost(boundHost) && !isLoopbackHost(hostname)) return null;
  return host;
}

/** Whether the request comes from no page (curl, a navigation) or from one of our own. */
export function originAllowed(req: IncomingMessage, host: string): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${host}`;
}
