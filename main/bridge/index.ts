// The bridge between the engine and its faces: the handler table and the one way into it.
export { BRIDGE_GLOBAL, IPC_CHANNELS } from './channels.js';
export {
  createHandlers,
  defaultAuthor,
  type DesktopServices,
  type Handler,
  type HandlerOptions,
  type Handlers,
} from './handlers.js';
export { fieldErrorsOf, invokeRequest, isRequestName } from './invoke.js';
