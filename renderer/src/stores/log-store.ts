// The log of the execution being looked at. Lines go into a compact buffer outside React; the
// store only carries a revision number that moves when lines arrived, at most every few tens
// of milliseconds, so a fast log costs one render per batch and not one per line.
import { create } from 'zustand';

import type { ErrorValue } from '../../../main/shared/contract.js';
import type { LogLine } from '../../../main/shared/domain.js';
import { followExecutionLogs } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';
import { LogBuffer, LogView, type LogFilter } from '../lib/log-buffer.js';

const PUBLISH_INTERVAL_MS = 50;

interface LogState {
  executionId: string | null;
  buffer: LogBuffer;
  view: LogView;
  revision: number;
  filter: LogFilter;
  /** Keep the newest line in sight as lines arrive. */
  follow: boolean;
  error: ErrorValue | null;
  open(executionId: string): void;
  close(): void;
  setFilter(change: Partial<LogFilter>): void;
  setFollow(follow: boolean): void;
}

const NO_FILTER: LogFilter = { stream: 'all', search: '' };

let stopFollowing: (() => void) | null = null;
let publishTimer: ReturnType<typeof setTimeout> | null = null;

function emptyLog(filter: LogFilter) {
  const buffer = new LogBuffer();
  return { buffer, view: new LogView(buffer, filter) };
}

export const useLogStore = create<LogState>((set, get) => {
  const publish = () => {
    publishTimer = null;
    get().view.extend();
    set({ revision: get().revision + 1 });
  };

  const receive = (executionId: string, lines: LogLine[]) => {
    if (get().executionId !== executionId) return;
    if (get().buffer.append(lines) === 0) return;
    publishTimer ??= setTimeout(publish, PUBLISH_INTERVAL_MS);
  };

  return {
    executionId: null,
    ...emptyLog(NO_FILTER),
    revision: 0,
    filter: NO_FILTER,
    follow: true,
    error: null,

    open(executionId) {
      if (get().executionId === executionId) return;
      get().close();
      set({
        executionId,
        ...emptyLog(get().filter),
        revision: get().revision + 1,
        follow: true,
        error: null,
      });
      stopFollowing = followExecutionLogs(
        executionId,
        (lines) => receive(executionId, lines),
        (error) => {
          if (get().executionId === executionId) set({ error: toErrorValue(error) });
        },
      );
    },

    close() {
      stopFollowing?.();
      stopFollowing = null;
      if (publishTimer) clearTimeout(publishTimer);
      publishTimer = null;
      set({ executionId: null, ...emptyLog(get().filter) });
    },

    setFilter(change) {
      const filter = { ...get().filter, ...change };
      set({ filter, view: new LogView(get().buffer, filter), revision: get().revision + 1 });
    },

    setFollow(follow) {
      set({ follow });
    },
  };
});
