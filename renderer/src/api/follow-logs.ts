// A late subscriber first reads the stored history, then follows: it subscribes before
// reading, so no line falls between the two, and numbers lines by their seq, so none is
// shown twice. A gap in the live lines (a batch the server dropped for a slow client, a
// reconnect) is filled from the store, and so is the tail once the execution has ended.
import type { KleinkramApi } from '../../../main/shared/contract.js';
import { isFinalState, type LogLine } from '../../../main/shared/domain.js';

export interface FollowLogsOptions {
  /** Lines per history request. */
  pageSize?: number;
  /** A failed history read; without this it is rethrown as an uncaught error. */
  onError?: (error: unknown) => void;
}

/** Calls onLines with new lines in seq order, each line once; returns the unsubscribe. */
export function followLogs(
  api: KleinkramApi,
  executionId: string,
  onLines: (lines: LogLine[]) => void,
  options: FollowLogsOptions = {},
): () => void {
  const pageSize = options.pageSize ?? 5000;
  let lastSeq = 0;
  let reading = false;
  // Set when lines arrive during a read: the read goes round once more to pick them up.
  let again = false;
  let stopped = false;

  const emit = (lines: LogLine[]) => {
    if (lines.length === 0) return;
    lastSeq = lines[lines.length - 1]!.seq;
    onLines(lines);
  };

  const readStored = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        for (;;) {
          const page = await api.request('logs.read', {
            execution: executionId,
            afterSeq: lastSeq,
            limit: pageSize,
          });
          if (stopped) return;
          emit(page.filter((line) => line.seq > lastSeq));
          if (page.length < pageSize) break;
        }
      } while (again && !stopped);
    } catch (error) {
      if (stopped) return;
      if (options.onError) options.onError(error);
      else throw error;
    } finally {
      reading = false;
    }
  };

  const unsubscribeLines = api.on('logs.appended', (batch) => {
    if (stopped || batch.executionId !== executionId) return;
    if (reading) {
      again = true;
      return;
    }
    const fresh = batch.lines.filter((line) => line.seq > lastSeq);
    if (fresh.length === 0) return;
    if (fresh[0]!.seq === lastSeq + 1) emit(fresh);
    else void readStored();
  });
  const unsubscribeState = api.on('execution.changed', (execution) => {
    if (!stopped && execution.id === executionId && isFinalState(execution.state)) {
      void readStored();
    }
  });
  void readStored();

  return () => {
    stopped = true;
    unsubscribeLines();
    unsubscribeState();
  };
}
