// A compact home for the log of one execution: a million lines must fit without a million
// objects. Text is kept as one string per line; stream, sequence number and time live in
// typed arrays that grow by doubling. A view holds the indices of the lines that pass the
// stream filter and search, as a typed array too, and is extended as lines arrive instead of
// being rebuilt.
import type { LogLine, LogStream } from '../../../main/shared/domain.js';

const INITIAL_CAPACITY = 1024;
const STDERR = 1;

function grow<T extends Uint8Array | Uint32Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let capacity = array.length;
  while (capacity < needed) capacity *= 2;
  const bigger = new (array.constructor as new (length: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}

// Matches the escape sequences a terminal would interpret (SGR colours, cursor moves, OSC).
const ANSI_PATTERN = new RegExp(
  // eslint-disable-next-line no-control-regex -- escape sequences start with control characters
  '\u001b(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001b]*(?:\u0007|\u001b\\\\)|[@-Z\\\\-_])',
  'g',
);

export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(ANSI_PATTERN, '') : text;
}

export class LogBuffer {
  length = 0;
  /** The highest sequence number held; history and live lines overlap and are deduplicated. */
  lastSeq = 0;
  private texts: string[] = [];
  private streams = new Uint8Array(INITIAL_CAPACITY);
  private cuts = new Uint8Array(INITIAL_CAPACITY);
  private seqs = new Uint32Array(INITIAL_CAPACITY);
  private times = new Float64Array(INITIAL_CAPACITY);

  /** Appends the lines not held yet; returns how many were new. */
  append(lines: readonly LogLine[]): number {
    const start = this.length;
    const needed = start + lines.length;
    this.streams = grow(this.streams, needed);
    this.cuts = grow(this.cuts, needed);
    this.seqs = grow(this.seqs, needed);
    this.times = grow(this.times, needed);
    let at = start;
    for (const line of lines) {
      if (line.seq <= this.lastSeq) continue;
      this.texts.push(line.text);
      this.streams[at] = line.stream === 'stderr' ? STDERR : 0;
      this.cuts[at] = line.cut ? 1 : 0;
      this.seqs[at] = line.seq;
      this.times[at] = line.time;
      this.lastSeq = line.seq;
      at += 1;
    }
    this.length = at;
    return at - start;
  }

  text(index: number): string {
    return this.texts[index] ?? '';
  }

  stream(index: number): LogStream {
    return this.streams[index] === STDERR ? 'stderr' : 'stdout';
  }

  seq(index: number): number {
    return this.seqs[index] ?? 0;
  }

  time(index: number): number {
    return this.times[index] ?? 0;
  }

  isCut(index: number): boolean {
    return this.cuts[index] === 1;
  }
}

export type StreamFilter = 'all' | LogStream;

export interface LogFilter {
  stream: StreamFilter;
  search: string;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The lines of a buffer that pass a filter, by index; all of them when nothing filters. */
export class LogView {
  length = 0;
  private indices: Uint32Array | null = null;
  private scanned = 0;
  private readonly pattern: RegExp | null;
  private readonly stream: number | null;

  constructor(
    private readonly buffer: LogBuffer,
    readonly filter: LogFilter,
  ) {
    const search = filter.search.trim();
    this.pattern = search ? new RegExp(escapeRegExp(search), 'i') : null;
    this.stream = filter.stream === 'all' ? null : filter.stream === 'stderr' ? STDERR : 0;
    if (this.pattern || this.stream !== null) this.indices = new Uint32Array(INITIAL_CAPACITY);
    this.extend();
  }

  get filtering(): boolean {
    return this.indices !== null;
  }

  /** Takes in the lines appended to the buffer since the last call. */
  extend(): void {
    const end = this.buffer.length;
    if (!this.indices) {
      this.scanned = end;
      this.length = end;
      return;
    }
    for (let index = this.scanned; index < end; index += 1) {
      if (!this.passes(index)) continue;
      this.indices = grow(this.indices, this.length + 1);
      this.indices[this.length] = index;
      this.length += 1;
    }
    this.scanned = end;
  }

  /** The buffer index of the row-th line of the view. */
  lineAt(row: number): number {
    return this.indices ? (this.indices[row] ?? 0) : row;
  }

  private passes(index: number): boolean {
    if (this.stream !== null && (this.buffer.stream(index) === 'stderr' ? 1 : 0) !== this.stream) {
      return false;
    }
    return this.pattern ? this.pattern.test(stripAnsi(this.buffer.text(index))) : true;
  }
}
