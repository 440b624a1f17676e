// The e2e tests drive the built renderer, so they build it first when renderer/dist is missing
// or older than its sources. Test files run in parallel workers: a lock directory makes one
// of them build while the others wait, and they re-check after waiting.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { PROJECT_ROOT } from '../helpers/engine.js';

export const RENDERER_DIST = path.join(PROJECT_ROOT, 'renderer', 'dist');
const BUILT_MARKER = path.join(RENDERER_DIST, 'index.html');
const LOCK = path.join(PROJECT_ROOT, 'test-output', 'renderer-build.lock');
const SOURCES = [
  'renderer/src',
  'renderer/index.html',
  'renderer/public',
  'main/shared',
  'vite.config.ts',
];
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

export function rendererStale(): boolean {
  const built = fs.statSync(BUILT_MARKER, { throwIfNoEntry: false });
  if (!built) return true;
  const newest = Math.max(...SOURCES.map((source) => newestMtime(path.join(PROJECT_ROOT, source))));
  return newest > built.mtimeMs;
}

function tryLock(): boolean {
  try {
    fs.mkdirSync(LOCK);
    return true;
  } catch {
    // A lock left by a killed run is taken over once it is clearly too old to be alive.
    const stat = fs.statSync(LOCK, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true });
    return false;
  }
}

export async function ensureRendererBuilt(): Promise<void> {
  if (!rendererStale()) return;
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  while (!tryLock()) await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    if (!rendererStale()) return;
    execFileSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules/vite/bin/vite.js'), 'build'],
      {
        cwd: PROJECT_ROOT,
        stdio: 'pipe',
        // vitest sets NODE_ENV=test, which would make vite bundle React's development build:
        // the tests and `serve` must get what the app ships.
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
