// Collects decoded lines and stores them in batches: every FLUSH_MS, or sooner when a batch
// is full, one transaction writes the batch and one event carries it to followers.
import { createLogger } from '../logger.js';
import { isDiskFull } from './disk-space.js';
import type { DecodedLine } from './log-decoder.js';
import type { EventBus } from '../event-bus.js';
import type { LogStore, NewLogLine } from '../logs.js';

const FLUSH_MS = 100;
const MAX_BATCH = 5000;
const RETRY_MS = 1000;

const log = createLogger('log-writer');

export class LogWriter {
  private batch: NewLogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastSeq: number;
  /** Lines already stored by an earlier run of the engine, skipped when the stream replays. */
  private skip: number;
  private diskFullLogged = false;

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
    if (this.batch.length >= MAX_BATCH && !this.diskFullLogged) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Stores the waiting lines now, or throws: for the end of a run, where nothing may wait. */
  flushOrThrow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.batch.length === 0) return;
    const lines = this.logs.append(this.executionId, this.lastSeq, this.batch);
    this.lastSeq += this.batch.length;
    this.batch = [];
    this.diskFullLogged = false;
    this.events.emit('logs.appended', { executionId: this.executionId, lines });
  }

  /**
   * Stores the waiting lines in one transaction. When the disk is full the batch is kept and
   * tried again: lines wait in memory rather than being dropped.
   */
  flush(): void {
    try {
      this.flushOrThrow();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      if (!this.diskFullLogged)
        log.warn(`execution ${this.executionId}: disk full, log lines wait`);
      this.diskFullLogged = true;
      this.timer = setTimeout(() => this.flush(), RETRY_MS);
    }
  }

  /**
   * Drops what waits, when the run gives up (Docker lost): those lines are not stored, so a
   * later replay of the container's log brings them again, in their place.
   */
  discard(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.batch = [];
  }
}
