// Collects decoded lines and stores them in batches: every FLUSH_MS, or sooner when a batch
// is full, one transaction writes the batch and one event carries it to followers.
import type { DecodedLine } from './log-decoder.js';
import type { EventBus } from '../event-bus.js';
import type { LogStore, NewLogLine } from '../logs.js';

const FLUSH_MS = 100;
const MAX_BATCH = 5000;

export class LogWriter {
  private batch: NewLogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastSeq: number;
  /** Lines already stored by an earlier run of the engine, skipped when the stream replays. */
  private skip: number;

  constructor(
    private readonly logs: LogStore,
    private readonly events: EventBus,
    private readonly executionId: string,
  ) {
    this.lastSeq = logs.lastSeq(executionId);
    this.skip = this.lastSeq;
  }

  /** How many lines are stored or waiting to be. */
  get count(): number {
    return this.lastSeq + this.batch.length;
  }

  push(line: DecodedLine): void {
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    this.batch.push({ stream: line.stream, text: line.text, cut: line.cut, time: Date.now() });
    if (this.batch.length >= MAX_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.batch.length === 0) return;
    const lines = this.logs.append(this.executionId, this.lastSeq, this.batch);
    this.lastSeq += this.batch.length;
    this.batch = [];
    this.events.emit('logs.appended', { executionId: this.executionId, lines });
  }
}
