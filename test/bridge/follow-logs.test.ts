// followLogs against a fake API whose store and events the test controls: lines that arrive
// while the history is read, batches that repeat lines, a batch lost on the way, and the
// tail that is only in the store when the execution ends.
import { describe, expect, it } from 'vitest';

import type { KleinkramApi } from '../../main/shared/contract.js';
import type { Execution, LogLine } from '../../main/shared/domain.js';
import type { EngineEventMap } from '../../main/shared/events.js';
import { followLogs } from '../../renderer/src/api/follow-logs.js';

const line = (seq: number): LogLine => ({
  seq,
  stream: 'stdout',
  time: seq,
  text: `l${seq}`,
  cut: false,
});
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => line(from + i));

function fakeApi(stored: LogLine[]) {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  let reads = 0;
  const api: KleinkramApi = {
    async request(name, input) {
      if (name !== 'logs.read') throw new Error(`unexpected ${name}`);
      reads++;
      const { afterSeq = 0, limit = 5000 } = input as { afterSeq?: number; limit?: number };
      await new Promise((resolve) => setTimeout(resolve, 5));
      return stored.filter((l) => l.seq > afterSeq).slice(0, limit) as never;
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
  const emit = <K extends keyof EngineEventMap>(name: K, payload: EngineEventMap[K]) => {
    for (const listener of listeners.get(name) ?? []) (listener as (p: unknown) => void)(payload);
  };
  return { api, emit, reads: () => reads, listeners };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('followLogs', () => {
  it('reads the history page by page, then follows live batches, each line once', async () => {
    const stored = range(1, 25);
    const { api, emit } = fakeApi(stored);
    const seen: number[] = [];
    const stop = followLogs(api, 'e1', (lines) => seen.push(...lines.map((l) => l.seq)), {
      pageSize: 10,
    });
    // Arrives while the history is being read: picked up by the read, not shown twice.
    stored.push(...range(26, 27));
    emit('logs.appended', { executionId: 'e1', lines: range(26, 27) });
    await settle();
    stored.push(...range(28, 30));
    emit('logs.appended', { executionId: 'e1', lines: range(27, 30) });
    emit('logs.appended', { executionId: 'other', lines: range(31, 40) });
    await settle();
    expect(seen).toEqual(range(1, 30).map((l) => l.seq));
    stop();
  });

  it('fills a gap from the store and reads the tail when the execution ends', async () => {
    const stored = range(1, 3);
    const { api, emit } = fakeApi(stored);
    const seen: number[] = [];
    const stop = followLogs(api, 'e1', (lines) => seen.push(...lines.map((l) => l.seq)));
    await settle();
    // 4..6 were lost on the way; 7..8 arrive.
    stored.push(...range(4, 8));
    emit('logs.appended', { executionId: 'e1', lines: range(7, 8) });
    await settle();
    expect(seen).toEqual(range(1, 8).map((l) => l.seq));
    // The last batch never comes as an event; the end makes the follower read it.
    stored.push(...range(9, 10));
    emit('execution.changed', { id: 'e1', state: 'succeeded' } as Execution);
    await settle();
    expect(seen).toEqual(range(1, 10).map((l) => l.seq));
    stop();
  });

  it('stops delivering and unsubscribes', async () => {
    const stored = range(1, 2);
    const { api, emit, listeners } = fakeApi(stored);
    const seen: number[] = [];
    const stop = followLogs(api, 'e1', (lines) => seen.push(...lines.map((l) => l.seq)));
    stop();
    await settle();
    emit('logs.appended', { executionId: 'e1', lines: range(3, 4) });
    expect(seen).toEqual([]);
    expect([...listeners.values()].every((set) => set.size === 0)).toBe(true);
  });

  it('hands a failed read to onError', async () => {
    const api: KleinkramApi = {
      request: () => Promise.reject(new Error('gone')),
      on: () => () => undefined,
    };
    const errors: unknown[] = [];
    followLogs(api, 'e1', () => undefined, { onError: (error) => errors.push(error) });
    await settle();
    expect(errors).toHaveLength(1);
  });
});
