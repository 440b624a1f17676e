// The desktop transport: the preload's `window.kleinkram` (Electron IPC underneath).
import type { KleinkramBridge } from '../../../main/shared/contract.js';
import type { AppApi } from './app-api.js';
import { unwrap } from './unwrap.js';

export function createDesktopApi(bridge: KleinkramBridge): AppApi {
  return {
    platform: 'desktop',
    request: async (name, input) => unwrap(await bridge.request(name, input)),
    on: (name, listener) => bridge.on(name, listener),
    supports: () => true,
    pathForFile: (file) => bridge.pathForFile(file),
    artifactUrl: () => null,
    artifactsZipUrl: () => null,
    // IPC to the app's own main process does not drop while the window lives.
    onConnectionChange: () => () => undefined,
  };
}
