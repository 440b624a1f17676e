// The names the preload and main agree on. Kept apart from the contract so that the sandboxed
// preload bundle does not carry zod and the schemas, which only main needs.

/** The preload's global: `window.kleinkram`. */
export const BRIDGE_GLOBAL = 'kleinkram';

/** The IPC channels between the preload and main. */
export const IPC_CHANNELS = {
  request: 'kleinkram:request',
  event: 'kleinkram:event',
} as const;
