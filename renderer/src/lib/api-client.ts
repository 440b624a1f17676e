// The one place the renderer reaches the core. The transport (Electron preload or HTTP and a
// WebSocket) is chosen once at start-up and handed in here, so stores and components stay the
// same in the desktop window, in a browser and in tests.
import type {
  EventName,
  RequestInput,
  RequestName,
  RequestResults,
} from '../../../main/shared/contract.js';
import type { LogLine } from '../../../main/shared/domain.js';
import type { EngineEventMap } from '../../../main/shared/events.js';
import { followLogs, type AppApi } from '../api/index.js';

let current: AppApi | null = null;

export function provideApi(api: AppApi): void {
  current = api;
}

export function api(): AppApi {
  if (!current) throw new Error('the API is used before start-up provided it');
  return current;
}

export function request<K extends RequestName>(
  name: K,
  input: RequestInput<K>,
): Promise<RequestResults[K]> {
  return api().request(name, input);
}

export function subscribe<K extends EventName>(
  name: K,
  listener: (payload: EngineEventMap[K]) => void,
): () => void {
  return api().on(name, listener);
}

/** Reads the stored log of an execution, then follows it; returns a function that stops. */
export function followExecutionLogs(
  executionId: string,
  onLines: (lines: LogLine[]) => void,
  onError: (error: unknown) => void,
): () => void {
  return followLogs(api(), executionId, onLines, { onError, pageSize: 20_000 });
}
