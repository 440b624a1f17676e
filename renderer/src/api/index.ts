// The renderer's way to the core: the Electron preload's global when the page runs in the
// desktop window, else the browser transport to `kleinkram-actions serve`.
import type { KleinkramBridge } from '../../../main/shared/contract.js';
import type { AppApi } from './app-api.js';
import { createBrowserApi } from './browser-transport.js';
import { createDesktopApi } from './desktop-transport.js';
import { readToken } from './token.js';

export type { AppApi, Platform } from './app-api.js';
export { createBrowserApi, type BrowserApi, type BrowserApiOptions } from './browser-transport.js';
export { createDesktopApi } from './desktop-transport.js';
export { followLogs, type FollowLogsOptions } from './follow-logs.js';
export { readToken } from './token.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser tab. */
    kleinkram?: KleinkramBridge;
  }
}

let api: AppApi | null = null;

/** The one API of this page, made on first use. */
export function getApi(): AppApi {
  api ??= window.kleinkram
    ? createDesktopApi(window.kleinkram)
    : createBrowserApi({ baseUrl: window.location.origin, token: readToken() });
  return api;
}
