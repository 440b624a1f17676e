// The built renderer (renderer/dist, made by `vite build`) as static files. Unknown paths
// without an extension get index.html, so a reload on any page of the app works.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import sirv from 'sirv';

export const RENDERER_MISSING =
  'The Kleinkram Actions UI is not built yet: run `npm run build:renderer` in the app folder ' +
  '(then reload the page).';

/** renderer/dist of the app folder this file belongs to (a checkout or an installed copy). */
export function defaultRendererDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.join(dir, 'renderer', 'dist');
}

export function rendererBuilt(rendererDir: string): boolean {
  return fs.existsSync(path.join(rendererDir, 'index.html'));
}

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function rendererFiles(rendererDir: string): StaticHandler {
  const notBuilt: StaticHandler = (_req, res) => {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${RENDERER_MISSING}\n`);
  };
  const notFound: StaticHandler = (_req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  };
  let serve: StaticHandler | null = null;
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    // Looked up on each request until found, so a build made while serving is picked up.
    if (!serve) {
      if (!rendererBuilt(rendererDir)) return notBuilt(req, res);
      serve = sirv(rendererDir, { single: true, etag: true, dotfiles: false, onNoMatch: notFound });
    }
    serve(req, res);
  };
}
