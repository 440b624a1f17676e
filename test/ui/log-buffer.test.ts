// The log viewer's compact store: lines kept once each in seq order, filtered by stream and
// search without a pass over the whole log for every batch, and a million lines cheaply.
import { describe, expect, it } from 'vitest';

import type { LogLine } from '../../main/shared/domain.js';
import { LogBuffer, LogView, stripAnsi } from '../../renderer/src/lib/log-buffer.js';

function lines(from: number, count: number, text = (seq: number) => `line ${seq}`): LogLine[] {
  return Array.from({ length: count }, (_, index) => {
    const seq = from + index;
    return {
      seq,
      stream: seq % 3 === 0 ? 'stderr' : 'stdout',
      time: seq,
      text: text(seq),
      cut: false,
    };
  });
}

describe('LogBuffer', () => {
  it('keeps each line once when history and live batches overlap', () => {
    const buffer = new LogBuffer();
    expect(buffer.append(lines(1, 10))).toBe(10);
    expect(buffer.append(lines(5, 10))).toBe(4);
    expect(buffer.length).toBe(14);
    expect(buffer.text(13)).toBe('line 14');
    expect(buffer.stream(2)).toBe('stderr');
    expect(buffer.seq(0)).toBe(1);
  });
});

describe('LogView', () => {
  it('filters by stream and by search, and takes in lines as they arrive', () => {
    const buffer = new LogBuffer();
    buffer.append(lines(1, 30));
    const stderr = new LogView(buffer, { stream: 'stderr', search: '' });
    expect(stderr.length).toBe(10);
    expect(buffer.text(stderr.lineAt(0))).toBe('line 3');

    const search = new LogView(buffer, { stream: 'all', search: 'LINE 2' });
    expect(search.length).toBe(11);
    buffer.append(lines(31, 10, (seq) => `\u001b[31mline\u001b[0m ${seq - 10}`));
    search.extend();
    expect(search.length).toBe(20);
  });

  it('shows every line without an index when nothing filters', () => {
    const buffer = new LogBuffer();
    buffer.append(lines(1, 5));
    const view = new LogView(buffer, { stream: 'all', search: '  ' });
    expect(view.filtering).toBe(false);
    expect(view.length).toBe(5);
    expect(view.lineAt(4)).toBe(4);
  });

  it('holds a million lines and searches them quickly', () => {
    const buffer = new LogBuffer();
    const started = performance.now();
    for (let from = 1; from <= 1_000_000; from += 20_000) buffer.append(lines(from, 20_000));
    const appended = performance.now();
    const view = new LogView(buffer, { stream: 'all', search: 'line 99999' });
    const searched = performance.now();
    expect(buffer.length).toBe(1_000_000);
    expect(view.length).toBe(11);
    expect(appended - started).toBeLessThan(5_000);
    expect(searched - appended).toBeLessThan(2_000);
  });
});

describe('stripAnsi', () => {
  it('removes colour codes and leaves the text', () => {
    expect(stripAnsi('\u001b[1;32mok\u001b[0m done')).toBe('ok done');
  });
});
