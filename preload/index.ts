// The preload of the sandboxed window: exposes exactly the contract's bridge as
// `window.kleinkram` and nothing else (no ipcRenderer). Results come back from main as
// values; the renderer's getApi() turns error values into RequestErrors. Bundled as
// CommonJS (npm run build:preload), as a sandboxed preload cannot load ES modules.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

import { BRIDGE_GLOBAL, IPC_CHANNELS } from '../main/bridge/channels.js';
import type { EventName, KleinkramBridge } from '../main/shared/contract.js';

type Listener = (payload: unknown) => void;

const listeners = new Map<EventName, Set<Listener>>();

// One IPC listener for all events, fanned out here, so many subscriptions do not pile up
// listeners on ipcRenderer.
ipcRenderer.on(
  IPC_CHANNELS.event,
  (_event: IpcRendererEvent, name: EventName, payload: unknown) => {
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        // One broken subscriber must not keep the others from the event; its error still shows.
        setTimeout(() => {
          throw error;
        });
      }
    }
  },
);

const bridge: KleinkramBridge = {
  request: (name, input) => ipcRenderer.invoke(IPC_CHANNELS.request, name, input),
  on(name, listener) {
    let set = listeners.get(name);
    if (!set) {
      set = new Set();
      listeners.set(name, set);
    }
    const entry = listener as Listener;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
