// Turns the byte chunks of a container's stdout and stderr into lines. Each stream has its own
// UTF-8 decoder in streaming mode, so a character split across two frames is joined again and
// invalid bytes become U+FFFD instead of corrupting the rest of the line.
import type { LogStream } from '../../shared/domain.js';

/** Longer lines keep their first MAX_LINE_CHARS characters and are marked as cut. */
export const MAX_LINE_CHARS = 256 * 1024;

export interface DecodedLine {
  stream: LogStream;
  text: string;
  cut: boolean;
}

class StreamSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private partial = '';
  /** Set once a line passed the cap: the rest of it, up to the next newline, is dropped. */
  private cutting = false;

  constructor(
    private readonly stream: LogStream,
    private readonly emit: (line: DecodedLine) => void,
  ) {}

  push(chunk: Uint8Array): void {
    this.take(this.decoder.decode(chunk, { stream: true }));
  }

  end(): void {
    this.take(this.decoder.decode());
    if (this.partial.length > 0 || this.cutting) this.finishLine('');
  }

  private take(text: string): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      this.finishLine(text.slice(start, newline));
      start = newline + 1;
    }
    if (start < text.length) this.append(text.slice(start));
  }

  private append(text: string): void {
    if (this.cutting) return;
    this.partial += text;
    if (this.partial.length > MAX_LINE_CHARS) {
      this.partial = this.partial.slice(0, MAX_LINE_CHARS);
      this.cutting = true;
    }
  }

  private finishLine(rest: string): void {
    this.append(rest);
    let text = this.partial;
    // A Windows-style line end is one line end, not a character of the line.
    if (!this.cutting && text.endsWith('\r')) text = text.slice(0, -1);
    this.emit({ stream: this.stream, text, cut: this.cutting });
    this.partial = '';
    this.cutting = false;
  }
}

export class LogDecoder {
  private readonly streams: Record<LogStream, StreamSplitter>;

  constructor(emit: (line: DecodedLine) => void) {
    this.streams = {
      stdout: new StreamSplitter('stdout', emit),
      stderr: new StreamSplitter('stderr', emit),
    };
  }

  push(stream: LogStream, chunk: Uint8Array): void {
    this.streams[stream].push(chunk);
  }

  /** Flushes what is left: a last line without a newline, an incomplete character. */
  end(): void {
    this.streams.stdout.end();
    this.streams.stderr.end();
  }
}
