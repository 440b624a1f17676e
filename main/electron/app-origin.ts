// Where the window's page comes from, and the checks built on it. The packaged renderer is
// served from a custom scheme (app://kleinkram/) rather than file://: under file:// every
// local file shares one origin, so "is this our page" could not be told from the URL.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kleinkram';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Whether a frame URL is our own page: the app's scheme, or the Vite dev server in development. */
export function isOwnPage(frameUrl: string, devServerUrl: string | null): boolean {
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (`${url.protocol}//${url.host}` === APP_ORIGIN) return true;
  if (devServerUrl === null) return false;
  return url.origin === new URL(devServerUrl).origin;
}

/**
 * The file of the renderer build that an app:// URL names, or null when it names one outside
 * the build. Paths without an extension get index.html, so a reload on any page works.
 */
export function rendererFileFor(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (relative === '/' || path.posix.extname(relative) === '') relative = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${relative}`);
  return file.startsWith(root + path.sep) ? file : null;
}
