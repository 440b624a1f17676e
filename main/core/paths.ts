// Where the app keeps its data. The CLI uses the same per-user folder as the desktop app
// (Electron's userData for the product name), so both see the same store.
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
