// The decoder on byte sequences chosen to break a naive one: the frames are made by hand here
// because Docker decides for itself where it cuts a stream.
import { describe, expect, it } from 'vitest';

import {
  LogDecoder,
  MAX_LINE_CHARS,
  type DecodedLine,
} from '../../main/core/runner/log-decoder.js';

function decode(chunks: Array<['stdout' | 'stderr', number[] | string]>): DecodedLine[] {
  const lines: DecodedLine[] = [];
  const decoder = new LogDecoder((line) => lines.push(line));
  for (const [stream, chunk] of chunks) {
    decoder.push(stream, typeof chunk === 'string' ? Buffer.from(chunk) : Uint8Array.from(chunk));
  }
  decoder.end();
  return lines;
}

describe('LogDecoder', () => {
  it('joins a character split across frames, per stream, even with the other stream between', () => {
    const emoji = [...Buffer.from('😀')];
    const lines = decode([
      ['stdout', [0x61, ...emoji.slice(0, 2)]],
      ['stderr', 'err\n'],
      ['stdout', [...emoji.slice(2), 0x0a]],
    ]);
    expect(lines).toEqual([
      { stream: 'stderr', text: 'err', cut: false },
      { stream: 'stdout', text: 'a😀', cut: false },
    ]);
  });

  it('replaces invalid bytes and a truncated final character with U+FFFD', () => {
    const lines = decode([['stdout', [0x62, 0xff, 0x0a, 0x63, 0xf0, 0x9f]]]);
    expect(lines.map((line) => line.text)).toEqual(['b\uFFFD', 'c\uFFFD']);
  });

  it('treats CRLF as one line end and keeps empty lines', () => {
    expect(decode([['stdout', 'a\r\n\nb\n']]).map((line) => line.text)).toEqual(['a', '', 'b']);
  });

  it('cuts at the cap across many small chunks and resumes at the next newline', () => {
    const chunk = 'y'.repeat(1000);
    const chunks: Array<['stdout', string]> = [];
    for (let i = 0; i < MAX_LINE_CHARS / 1000 + 10; i++) chunks.push(['stdout', chunk]);
    chunks.push(['stdout', 'tail\nnext\n']);
    const lines = decode(chunks);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.cut).toBe(true);
    expect(lines[0]!.text.length).toBe(MAX_LINE_CHARS);
    expect(lines[1]).toEqual({ stream: 'stdout', text: 'next', cut: false });
  });
});
