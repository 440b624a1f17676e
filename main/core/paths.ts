// Where the app keeps its data. The CLI uses the same per-user folder as the desktop app
// (Electron's userData for the product name), so both see the same store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Kleinkram Actions';
export const DATA_DIR_ENV = 'KLEINKRAM_ACTIONS_DATA';

export function defaultDataDir(platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') {
    return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  }
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

/** The flag wins over the environment variable, which wins over the default. */
export function resolveDataDir(flag?: string): string {
  const chosen = flag ?? process.env[DATA_DIR_ENV];
  return path.resolve(chosen && chosen.length > 0 ? chosen : defaultDataDir());
}

export interface DataLayout {
  root: string;
  database: string;
  executions: string;
  logs: string;
}

export function dataLayout(root: string): DataLayout {
  return {
    root,
    database: path.join(root, 'kleinkram-actions.sqlite'),
    executions: path.join(root, 'executions'),
    logs: path.join(root, 'logs'),
  };
}

/** The folder of one execution: /out is bind-mounted from `out`, /tmp_disk from `scratch`. */
export function executionDirs(layout: DataLayout, executionId: string) {
  const root = path.join(layout.executions, executionId);
  return { root, out: path.join(root, 'out'), scratch: path.join(root, 'scratch') };
}

/**
 * Makes a folder and the missing ones above it, for paths people type (the data folder, an
 * export destination). Node's recursive mkdir never returns for some of them: under /proc,
 * mkdir answers ENOENT below a folder that exists, and it retries forever. One level at a time,
 * the first refusal is thrown with its path.
 */
export function makeFolders(folder: string): void {
  const missing: string[] = [];
  let current = path.resolve(folder);
  // lstat, not exists: a dangling link is an entry that is in the way, not a missing folder.
  while (!fs.lstatSync(current, { throwIfNoEntry: false })) {
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  assertFolder(current);
  for (const level of missing.reverse()) {
    try {
      fs.mkdirSync(level);
    } catch (error) {
      // Made meanwhile by another process (the app and a CLI worker start together).
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      assertFolder(level);
    }
  }
}

function assertFolder(entry: string): void {
  if (fs.statSync(entry, { throwIfNoEntry: false })?.isDirectory()) return;
  throw Object.assign(new Error(`ENOTDIR: not a folder, ${entry}`), { code: 'ENOTDIR' });
}
