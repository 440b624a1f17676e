// Stored log lines of executions. Lines arrive in batches and are written in one transaction
// per batch: a long stream costs a few hundred commits, not one per line.
import type { LogLine, LogStream } from '../shared/domain.js';
import type { Db } from './store/database.js';

// Rows are read as arrays (`.raw()`) in this column order: a page of a thousand lines then
// builds one object per line instead of two, which is most of what a read costs.
type LogRow = [seq: number, stream: LogStream, time: number, text: string, cut: number];
export const LOG_LINE_COLUMNS = 'seq, stream, time, text, cut';

const toLine = (row: LogRow): LogLine => ({
  seq: row[0],
  stream: row[1],
  time: row[2],
  text: row[3],
  cut: row[4] === 1,
});

export interface NewLogLine {
  stream: LogStream;
  time: number;
  text: string;
  cut: boolean;
}

export interface LogQuery {
  /** Lines with a sequence number above this one. */
  afterSeq?: number;
  limit?: number;
  stream?: LogStream;
  /** Only lines containing this text (case-insensitive for ASCII). */
  search?: string;
}

export class LogStore {
  constructor(private readonly db: Db) {}

  /** The highest stored sequence number of an execution, 0 when it has none. */
  lastSeq(executionId: string): number {
    return this.db
      .prepare('SELECT COALESCE(MAX(seq), 0) FROM log_lines WHERE execution_id = ?')
      .pluck()
      .get(executionId) as number;
  }

  /** Appends lines after `afterSeq` and returns them with their sequence numbers. */
  append(executionId: string, afterSeq: number, lines: NewLogLine[]): LogLine[] {
    const insert = this.db.prepare(
      'INSERT INTO log_lines (execution_id, seq, stream, time, text, cut) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const stored: LogLine[] = [];
    this.db.transaction(() => {
      let seq = afterSeq;
      for (const line of lines) {
        seq += 1;
        insert.run(executionId, seq, line.stream, line.time, line.text, line.cut ? 1 : 0);
        stored.push({ seq, ...line });
      }
    })();
    return stored;
  }

  read(executionId: string, query: LogQuery = {}): LogLine[] {
    const where = ['execution_id = ?', 'seq > ?'];
    const params: unknown[] = [executionId, query.afterSeq ?? 0];
    if (query.stream) {
      where.push('stream = ?');
      params.push(query.stream);
    }
    if (query.search) {
      where.push("text LIKE ? ESCAPE '\\'");
      params.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    params.push(query.limit ?? 1000);
    const rows = this.db
      .prepare(
        `SELECT ${LOG_LINE_COLUMNS} FROM log_lines WHERE ${where.join(' AND ')} ` +
          'ORDER BY seq LIMIT ?',
      )
      .raw()
      .all(...params) as LogRow[];
    return rows.map(toLine);
  }

  count(executionId: string): number {
    return this.db
      .prepare('SELECT COUNT(*) FROM log_lines WHERE execution_id = ?')
      .pluck()
      .get(executionId) as number;
  }
}
